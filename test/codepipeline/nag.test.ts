import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Stage as CdkStage } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { acknowledgments, build, cmd, CONNECTION, expectNarrowAcknowledgments, pipeline } from './helpers';
import { CodePipelineEngine } from '../../src/codepipeline';
import { ApprovalStep, Approver, FailureStrategy, GatePolicy, GateSeverity, ReportFormat, Source, Stage, StageKind } from '../../src/core';
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
          new security.TrivyFs({ gate: new GatePolicy({ failureStrategy: FailureStrategy.MANUAL_INTERVENTION, interventionApprovers: ['group:security', 'role:SecOps', 'dana'] }) }),
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
      Stage.deployStage('prod', { environment: 'prod', steps: [cmd('smoke')] }),
    ],
    // the gate image from a private ECR repository: its pull is granted to the gate roles only
    { source, defaults: { gateImage: '111111111111.dkr.ecr.eu-west-1.amazonaws.com/tools/node@sha256:' + 'a'.repeat(64) } },
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
