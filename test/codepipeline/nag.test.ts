import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnElement, Stack, Stage as CdkStage, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { acknowledgments, build, cmd, CONNECTION, expectNarrowAcknowledgments, flatten, pipeline, resourcesOf } from './helpers';
import { CodePipelineEngine } from '../../src/codepipeline';
import { ApprovalStep, Approver, FailureStrategy, GatePolicy, GateSeverity, ReportFormat, Source, Stage, StageKind, Trigger, TriggerKind } from '../../src/core';
import * as security from '../../src/security';

/** A pipeline using every feature the engine renders. */
function featureRich(source: Source) {
  return pipeline(
    [
      Stage.buildStage('build', {
        steps: [
          cmd('compile', {
            image: '111111111111.dkr.ecr.eu-west-1.amazonaws.com/build/node:22',
            secrets: [{ variable: 'NPM_TOKEN', secretName: 'ci/npm', key: 'token' }],
            outputs: [{ name: 'dist', paths: ['dist'] }],
            retries: 1,
          }),
          cmd('docker', { image: 'aws/codebuild/standard:7.0', privileged: true }),
        ],
      }),
      Stage.testStage('test', {
        steps: [cmd('unit', { inputs: ['dist'], reports: [{ name: 'junit', paths: ['junit.xml'], format: ReportFormat.JUNIT_XML }] })],
      }),
      Stage.securityStage('sast', {
        requires: ['build'],
        // one gate over all the stage's scans, plus each scan's own gate, every failure strategy
        gate: new GatePolicy({ failOn: GateSeverity.CRITICAL, failureStrategy: FailureStrategy.IGNORE }),
        steps: [
          cmd('legacy', { allowFailure: true, reports: [{ name: 'sarif', paths: ['legacy.sarif'], format: ReportFormat.SARIF }] }),
          new security.Bandit({}),
          new security.TrivyFs({ gate: new GatePolicy({ failureStrategy: FailureStrategy.MANUAL_INTERVENTION, interventionApprovers: [Approver.group('security'), Approver.role('SecOps'), Approver.user('dana')] }) }),
        ],
      }),
      new Stage({
        name: 'approve',
        kind: StageKind.APPROVAL,
        requires: ['test', 'sast'],
        steps: [
          new ApprovalStep({
            name: 'release',
            approvers: [Approver.user('alice'), Approver.role('Releaser')],
            notifyEmails: ['release@example.com'],
          }),
        ],
      }),
      // runs differ by trigger: the Trigger action, entry conditions and a schedule with its role
      Stage.deployStage('prod', { environment: 'prod', steps: [cmd('smoke')], onlyOn: [TriggerKind.PUSH, TriggerKind.MANUAL] }),
    ],
    // the gate image from a private ECR repository: its pull is granted to the gate roles only
    {
      source,
      triggers: [Trigger.push(), Trigger.schedule({ name: 'nightly', cron: '0 3 * * *', timeZone: 'Europe/Berlin' }), Trigger.manual()],
      defaults: { gateImage: '111111111111.dkr.ecr.eu-west-1.amazonaws.com/tools/node@sha256:' + 'a'.repeat(64) },
    },
  );
}

describe('cdk-nag AwsSolutions on every feature', () => {
  test.each([
    ['GitLab', Source.gitLab({ owner: 'acme', repository: 'app' })],
    ['CodeCommit', Source.codeCommit({ repositoryName: 'app' })],
    ['S3', Source.s3({ bucketName: 'drops', objectKey: 'app.zip' })],
  ])('a %s pipeline with ECR images, secrets, reports, gates with every failure strategy, a stage gate, a cache, approvals and a CDK deployment has 0 unsuppressed findings', (_name, source) => {
    // GIVEN
    const app = new App({ builtinCloudFormationValidation: false, context: { 'aws:cdk:disable-asset-staging': true } });
    const prod = new CdkStage(app, 'Prod');
    new s3.Bucket(new Stack(prod, 'Data'), 'Bucket');
    const stack = new Stack(app, 'Pipeline');
    new CodePipelineEngine(stack, 'Engine', {
      pipeline: featureRich(source),
      connectionArn: CONNECTION,
      cdkDeployments: [{ deployStage: 'prod', stage: prod }],
    });
    const template = Template.fromStack(stack);
    expect(Object.keys(template.findResources('AWS::Scheduler::Schedule'))).toHaveLength(1);
    expect(Object.keys(template.findResources('AWS::CodeBuild::Project', { Properties: { Description: Match.stringLikeRegexp("tells the run's trigger") } }))).toHaveLength(1);
    // WHEN the pack checks the pipeline stack
    const report = new AwsSolutionsChecks().validateScope(stack);
    // THEN
    expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    expectNarrowAcknowledgments(stack);
  });

  test('a gated pipeline without approvals acknowledges no summary reads', () => {
    // GIVEN gates (FAIL, IGNORE) and nobody who approves anything
    const p = pipeline([Stage.securityStage('sast', { steps: [new security.Bandit({}), new security.TrivyFs({ gate: new GatePolicy({ failureStrategy: FailureStrategy.IGNORE }) })] })]);
    // WHEN
    const { engine, stack } = build(p);
    // THEN
    expect(engine.gateAsset).toBeDefined();
    expect([...acknowledgments(stack).keys()].filter((k) => k.endsWith('/gatehouse/*]'))).toEqual([]);
    expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
    expectNarrowAcknowledgments(stack);
  });
});

describe('acknowledgments stay narrow', () => {
  /** The feature-rich pipeline, built. */
  const featureRichStack = () => {
    const app = new App({ builtinCloudFormationValidation: false, context: { 'aws:cdk:disable-asset-staging': true } });
    const prod = new CdkStage(app, 'Prod');
    new s3.Bucket(new Stack(prod, 'Data'), 'Bucket');
    const stack = new Stack(app, 'Pipeline');
    new CodePipelineEngine(stack, 'Engine', {
      pipeline: featureRich(Source.gitLab({ owner: 'acme', repository: 'app' })),
      connectionArn: CONNECTION,
      cdkDeployments: [{ deployStage: 'prod', stage: prod }],
    });
    return stack;
  };

  test('each role acknowledges IAM5 for exactly the wildcard resources of its own policy, one finding each', () => {
    // GIVEN
    const stack = featureRichStack();
    const template = Template.fromStack(stack);
    // THEN for every role: the IAM5 findings acknowledged on it = the wildcard resources it is granted
    const roles = Object.entries(template.findResources('AWS::IAM::Role'));
    expect(roles.length).toBeGreaterThan(10);
    for (const [id, role] of roles) {
      const logicalId = (c: IConstruct) => stack.resolve(stack.getLogicalId(c.node.defaultChild as CfnElement));
      const construct = stack.node.findAll().find((c) => c.node.defaultChild && logicalId(c) === id)!;
      const acked = [...acknowledgments(construct).entries()]
        .filter(([rule, at]) => rule.startsWith('AwsSolutions-IAM5[') && at.includes(construct.node.path))
        .map(([rule]) => rule.replace(/^AwsSolutions-IAM5\[Resource::(.*)\]$/, '$1'));
      const wild = ((role as any).Properties.Policies ?? [])
        .flatMap((p: any) => p.PolicyDocument.Statement)
        .filter((st: any) => st.Effect === 'Allow')
        .flatMap((st: any) => resourcesOf(st).map(flatten))
        .filter((r: string) => r.includes('*'));
      expect({ role: id, acked: acked.sort() }).toEqual({ role: id, acked: [...new Set(wild as string[])].sort() });
    }
  });

  test('the narrowness check refuses an acknowledgment recorded where its finding is not', () => {
    // GIVEN the pipeline, with one role's artifact acknowledgment copied onto another role
    const stack = featureRichStack();
    const roles = stack.node.findAll().filter((c) => c.node.id === 'Role');
    const [from, to] = [roles.find((r) => /build\/compile\/Role$/.test(r.node.path))!, roles.find((r) => /test\/unit\/Role$/.test(r.node.path))!];
    const rule = [...acknowledgments(from).keys()].find((k) => k.startsWith('AwsSolutions-IAM5[') && !acknowledgments(to).has(k))!;
    expect(rule).toBeDefined();
    Validations.of(to).acknowledge({ id: rule, reason: 'copied onto a role that is not granted this resource, to prove the check' });
    // WHEN / THEN
    expect(() => expectNarrowAcknowledgments(stack)).toThrow(/silences/);
  });
});

describe('aws-cdk-lib built-in template validation on every feature', () => {
  test('the feature-rich pipeline (gates, interventions, stage gate, cache) has 0 issues', () => {
    // GIVEN (validation on: the one test outside the example that pays for it)
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-cp-validation-'));
    try {
      const app = new App({ outdir, context: { 'aws:cdk:disable-asset-staging': true } });
      const prod = new CdkStage(app, 'Prod');
      new s3.Bucket(new Stack(prod, 'Data'), 'Bucket');
      const stack = new Stack(app, 'Pipeline');
      new CodePipelineEngine(stack, 'Engine', {
        pipeline: featureRich(Source.gitLab({ owner: 'acme', repository: 'app' })),
        connectionArn: CONNECTION,
        cdkDeployments: [{ deployStage: 'prod', stage: prod }],
      });
      // WHEN
      app.synth();
      // THEN
      const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
      expect(report.pluginReports.flatMap((r: { violations: unknown[] }) => r.violations)).toEqual([]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
