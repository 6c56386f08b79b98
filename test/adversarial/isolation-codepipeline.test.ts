/**
 * Adversarial: on CodePipeline, no step may change what a gate reads. Every build (command steps,
 * scans, gates, cdk deploy) runs with its own role; these cases look for a role that could put an
 * object where a gate reads, by evaluating every Allow statement of the synthesized template against
 * the S3 keys CodePipeline and the gates use: `<pipeline, 20 characters>/<artifact, 10
 * characters>/<random key>` for artifacts, `gatehouse/<execution>/<gate>/gatehouse.md` for
 * summaries and `gatehouse/baselines/<gate>/baseline.json` for stored baselines.
 */
import { App, Stack, Stage as CdkStage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CodePipelineEngine } from '../../src/codepipeline';
import { gateArtifactName, outputArtifactName, reportsArtifactName } from '../../src/codepipeline/naming';
import { CommandStep, GatePolicy, Pipeline, Source, Stage } from '../../src/core';
import * as security from '../../src/security';

const CONNECTION = 'arn:aws:codeconnections:eu-west-1:111111111111:connection/11111111-2222-3333-4444-555555555555';
const EXECUTION = '6a0c1f6e-1d2b-4c3d-8e4f-5a6b7c8d9e0f';

/** A CloudFormation value as text, references as `<Logical.Attr>` / `<Ref>`. */
function text(v: any): string {
  if (typeof v === 'string') return v;
  if (v['Fn::Join']) return v['Fn::Join'][1].map(text).join(v['Fn::Join'][0]);
  if (v['Fn::GetAtt']) return `<${v['Fn::GetAtt'][0]}.${v['Fn::GetAtt'][1]}>`;
  if (v.Ref) return `<${v.Ref}>`;
  return JSON.stringify(v);
}

const asList = (v: any) => (Array.isArray(v) ? v : [v]);
const wildcard = (pattern: string) => new RegExp(`^${pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&'))).join('')}$`);

/** One principal's statements: a role's inline policies, or a policy resource. */
interface Principal {
  readonly id: string;
  readonly statements: any[];
  /** Whether this is CodePipeline's own role (the service writes the source and hands keys to builds). */
  readonly service: boolean;
}

function principals(template: Template): Principal[] {
  const out: Principal[] = [];
  for (const [id, r] of Object.entries(template.findResources('AWS::IAM::Role'))) {
    const trusts = JSON.stringify((r as any).Properties.AssumeRolePolicyDocument);
    out.push({ id, statements: ((r as any).Properties.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement), service: trusts.includes('codepipeline.amazonaws.com') });
  }
  for (const [id, r] of Object.entries(template.findResources('AWS::IAM::Policy'))) {
    out.push({ id, statements: (r as any).Properties.PolicyDocument.Statement, service: false });
  }
  return out;
}

/** Whether an Allow statement of `p` (and no Deny of it) lets it do `action` on `arn`. */
function allows(p: Principal, action: string, arn: string): boolean {
  const matches = (s: any) =>
    asList(s.Action).some((a: string) => wildcard(a).test(action)) && asList(s.Resource).some((r: any) => wildcard(text(r)).test(arn));
  return p.statements.some((s) => s.Effect === 'Allow' && matches(s)) && !p.statements.some((s) => s.Effect === 'Deny' && matches(s));
}

/**
 * The template of `p` on CodePipeline (optionally deploying a CDK stage), its artifact bucket ARN
 * reference, and who may put an object at a key: every principal but CodePipeline's own role
 * (`writers`), or that role alone (`serviceWrites`).
 */
interface Synthesized {
  readonly template: Template;
  readonly bucket: string;
  readonly writers: (key: string) => string[];
  readonly serviceWrites: (key: string) => boolean;
}

function synth(p: Pipeline, deployStage?: string): Synthesized {
  const app = new App({ builtinCloudFormationValidation: false, context: { 'aws:cdk:disable-asset-staging': true } });
  const prod = new CdkStage(app, 'Prod');
  new s3.Bucket(new Stack(prod, 'Data'), 'Bucket');
  const stack = new Stack(app, 'Pipeline');
  new CodePipelineEngine(stack, 'Engine', { pipeline: p, connectionArn: CONNECTION, cdkDeployments: deployStage ? [{ deployStage, stage: prod }] : [] });
  const template = Template.fromStack(stack);
  const bucketId = Object.keys(template.findResources('AWS::S3::Bucket')).find((id) => /^EngineArtifacts[0-9A-F]{8}$/.test(id))!;
  const bucket = `<${bucketId}.Arn>`;
  const all = principals(template);
  const service = all.filter((x) => x.service);
  expect(service).toHaveLength(1);
  return {
    template,
    bucket,
    writers: (key) => all.filter((x) => !x.service && allows(x, 's3:PutObject', `${bucket}/${key}`)).map((x) => x.id),
    serviceWrites: (key) => allows(service[0], 's3:PutObject', `${bucket}/${key}`),
  };
}

/** The key of an object CodePipeline would store for `artifact` of pipeline "app". */
const artifactObject = (artifact: string) => `app/${artifact.slice(0, 10)}/Xy7Zq1w`;

const lint = () => new CommandStep({ name: 'lint', commands: ['npm run lint'], outputs: [{ name: 'lint-report', paths: ['lint.txt'] }] });
const app = (stages: Stage[]) => new Pipeline({ name: 'app', source: Source.gitHub({ owner: 'acme', repository: 'app' }), stages });

describe('isolation of gate inputs on CodePipeline', () => {
  test('a build step beside the scan cannot put an object under the scan\'s report artifact', () => {
    // GIVEN a step in the scan's stage, running beside it, and a build stage before it
    const p = app([
      Stage.buildStage('build', { steps: [new CommandStep({ name: 'compile', commands: ['make'], outputs: [{ name: 'dist', paths: ['dist'] }] })] }),
      Stage.securityStage('oast', { steps: [new security.Bandit({}), lint()] }),
    ]);
    // WHEN
    const { writers } = synth(p);
    // THEN only the scan's own role may write its report artifact
    expect(writers(artifactObject(reportsArtifactName('oast', 'bandit')))).toEqual([expect.stringMatching(/^EnginestageoastbanditRole[0-9A-F]{8}$/)]);
  });

  test('two scans of one stage cannot write each other\'s reports (artifact names differ in the 10 characters CodePipeline keeps)', () => {
    // GIVEN two scans whose report artifacts would share a prefix if named reports_oast_<step>
    const p = app([Stage.securityStage('oast', { steps: [new security.Bandit({}), new security.Safety({ requirementsFile: 'requirements.txt' })] })]);
    // WHEN
    const { writers } = synth(p);
    // THEN
    expect(writers(artifactObject(reportsArtifactName('oast', 'bandit')))).toEqual([expect.stringMatching(/^EnginestageoastbanditRole/)]);
    expect(writers(artifactObject(reportsArtifactName('oast', 'safety')))).toEqual([expect.stringMatching(/^EnginestageoastsafetyRole/)]);
  });

  test('no role but the gate\'s writes its output, its summary or its stored baseline; another gate cannot either', () => {
    // GIVEN two gated scans with stored baselines, and a step after them
    const gate = () => new GatePolicy({ storedBaseline: true, newOnly: true });
    const p = app([Stage.securityStage('oast', { gate: new GatePolicy({}), steps: [new security.Bandit({ gate: gate() }), new security.TrivyFs({ gate: gate() }), lint()] })]);
    // WHEN
    const { writers } = synth(p);
    // THEN
    const banditGate = [expect.stringMatching(/^EnginestageoastbanditGateRole[0-9A-F]{8}$/)];
    expect(writers(artifactObject(gateArtifactName('oast', 'bandit')))).toEqual(banditGate);
    expect(writers(`gatehouse/${EXECUTION}/oast-bandit/gatehouse.md`)).toEqual(banditGate);
    expect(writers(`gatehouse/${EXECUTION}/oast-bandit/gatehouse.html`)).toEqual(banditGate);
    expect(writers(`gatehouse/${EXECUTION}/oast-bandit/gatehouse.json`)).toEqual([]);
    expect(writers('gatehouse/baselines/oast-bandit/baseline.json')).toEqual(banditGate);
    expect(writers('gatehouse/baselines/oast-stage-gate/baseline.json')).toEqual([]);
    expect(writers(`gatehouse/${EXECUTION}/oast-stage-gate/gatehouse.md`)).toEqual([expect.stringMatching(/^EnginestageoastStageGateRole/)]);
  });

  test('CodePipeline\'s own role writes the pipeline\'s artifacts only: no summary, baseline, cache or other object', () => {
    // GIVEN
    const p = app([Stage.securityStage('oast', { steps: [new security.Bandit({ gate: new GatePolicy({ storedBaseline: true }) })] })]);
    // WHEN
    const { serviceWrites } = synth(p);
    // THEN
    expect(serviceWrites('app/Source/Xy7Zq1w')).toBe(true);
    for (const key of ['gatehouse/baselines/oast-bandit/baseline.json', `gatehouse/${EXECUTION}/oast-bandit/gatehouse.md`, 'cache/oast-bandit/x', 'other/object']) {
      expect({ key, service: serviceWrites(key) }).toEqual({ key, service: false });
    }
  });

  test('the deploy stage\'s builds (cdk deploy, a step with outputs) cannot write the scans\' reports or the gates\' files', () => {
    // GIVEN a deploy stage that deploys a CDK stage and runs a step that writes an artifact, after a gated scan
    const smoke = new CommandStep({ name: 'smoke', commands: ['curl -f https://example.com > smoke.txt'], outputs: [{ name: 'smoke-log', paths: ['smoke.txt'] }] });
    const p = app([
      Stage.securityStage('oast', { steps: [new security.Bandit({ gate: new GatePolicy({ storedBaseline: true }) })] }),
      Stage.deployStage('prod', { environment: 'prod', requires: ['oast'], steps: [smoke] }),
    ]);
    // WHEN
    const { writers } = synth(p, 'prod');
    // THEN
    for (const key of [artifactObject(reportsArtifactName('oast', 'bandit')), 'gatehouse/baselines/oast-bandit/baseline.json', `gatehouse/${EXECUTION}/oast-bandit/gatehouse.md`]) {
      expect({ key, deploy: writers(key).filter((w) => /prodcdkdeploy|prodsmoke/.test(w)) }).toEqual({ key, deploy: [] });
    }
  });

  test('no build role writes outside its own artifacts, report export and cache folders (every Allow on the bucket, listed)', () => {
    // GIVEN a pipeline with every kind of build
    const p = app([
      Stage.buildStage('build', { steps: [new CommandStep({ name: 'compile', commands: ['make'], outputs: [{ name: 'dist', paths: ['dist'] }] })] }),
      Stage.securityStage('oast', { gate: new GatePolicy({}), steps: [new security.Bandit({ gate: new GatePolicy({ storedBaseline: true }) }), new security.TrivyFs({}), lint()] }),
    ]);
    // WHEN
    const { template, bucket } = synth(p);
    // THEN each build role's S3 write resources, as key patterns
    const writes = principals(template)
      .filter((x) => /Role[0-9A-F]{8}$/.test(x.id) && !x.service)
      .map((x) => [
        x.id.replace(/^Enginestage/, '').replace(/[0-9A-F]{8}$/, ''),
        x.statements
          .filter((s) => s.Effect === 'Allow' && asList(s.Action).some((a: string) => wildcard(a).test('s3:PutObject')))
          .flatMap((s) => asList(s.Resource).map(text))
          .map((r: string) => r.replace(bucket, '<bucket>')),
      ]);
    const art = (name: string) => `<bucket>/app/${name.slice(0, 10)}/*`;
    expect(Object.fromEntries(writes)).toEqual({
      buildcompileRole: [art(outputArtifactName('dist'))],
      oastbanditRole: [art(reportsArtifactName('oast', 'bandit'))],
      oastbanditGateRole: [
        art(gateArtifactName('oast', 'bandit')),
        '<bucket>/gatehouse/*/oast-bandit/gatehouse.md',
        '<bucket>/gatehouse/*/oast-bandit/gatehouse.html',
        '<bucket>/test-reports/oast/bandit@gate/*',
        '<bucket>/gatehouse/baselines/oast-bandit/baseline.json',
      ],
      oasttrivyfsRole: [art(reportsArtifactName('oast', 'trivy-fs')), '<bucket>/cache/oast-trivy-fs/*'],
      oasttrivyfsGateRole: [
        art(gateArtifactName('oast', 'trivy-fs')),
        '<bucket>/gatehouse/*/oast-trivy-fs/gatehouse.md',
        '<bucket>/gatehouse/*/oast-trivy-fs/gatehouse.html',
        '<bucket>/test-reports/oast/trivy-fs@gate/*',
      ],
      oastlintRole: [art(outputArtifactName('lint-report'))],
      oastStageGateRole: [
        art(gateArtifactName('oast')),
        '<bucket>/gatehouse/*/oast-stage-gate/gatehouse.md',
        '<bucket>/gatehouse/*/oast-stage-gate/gatehouse.html',
        '<bucket>/test-reports/oast/@stage-gate/*',
      ],
    });
  });
});

describe('the pipeline code cannot widen a build role through its project', () => {
  test('grants and policy additions through a scan\'s or a gate\'s project are refused or add nothing: the gate role stays as written', () => {
    // GIVEN the app's pipeline code, holding the engine, and its own bucket of "reports"
    const p = app([Stage.securityStage('oast', { gate: new GatePolicy({}), steps: [new security.Bandit({})] })]);
    const appStack = new Stack(new App({ builtinCloudFormationValidation: false, context: { 'aws:cdk:disable-asset-staging': true } }), 'Pipeline');
    const engine = new CodePipelineEngine(appStack, 'Engine', { pipeline: p, connectionArn: CONNECTION });
    const planted = new s3.Bucket(appStack, 'Planted');
    const before = JSON.stringify(Template.fromStack(appStack).findResources('AWS::IAM::Role'));
    // WHEN it grants through the gate's and the scan's projects (the library's grants, both kinds)
    for (const project of [engine.gateProjectOf('oast', 'bandit'), engine.gateProjectOf('oast'), engine.projectOf('oast', 'bandit')]) {
      expect(() => planted.grantReadWrite(project)).toThrow(/cannot widen its role.*roleOf\(stage, step\)/);
      expect(() => planted.grantPut(project)).toThrow(/cannot widen its role/);
      // the project has no role to add a statement to
      project.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [planted.arnForObjects('*')] }));
    }
    // THEN no role changed, and none names the planted bucket
    const after = Template.fromStack(appStack).findResources('AWS::IAM::Role');
    expect(JSON.stringify(after)).toEqual(before);
    expect(JSON.stringify(after)).not.toContain('Planted');
  });
});
