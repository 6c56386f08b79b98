import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { awsCliEnv, awsCliInstalled, awsCliOnPath, AWS_CLI } from './aws-cli';
import { FakeS3, runScript } from './fake-s3';
import { flatten } from './helpers';
import { GatedScan, REPORTS_SHA256_VARIABLE } from '../../src/codepipeline/cdk-pipelines';
import { Approver, FailureStrategy, GatePolicy, TrustSource } from '../../src/core';
import * as security from '../../src/security';

/*
 * A gatehouse scan and its gate inside an existing CDK Pipelines pipeline: two CodeBuildSteps,
 * rendered by CDK Pipelines itself, and the gate step's script run here for real (the AWS CLI
 * against a local stand-in for S3, the shipped bundle, the real bandit report).
 */

const ROOT = path.join(__dirname, '..', '..');
const GATE_JS = fs.readFileSync(path.join(ROOT, 'assets', 'gatehouse.js'));
const FINDINGS = path.join(ROOT, 'test', 'fixtures', 'bandit', 'bandit-1.6.2.json'); // 1 high
const CLEAN = path.join(ROOT, 'test', 'fixtures', 'bandit', 'defectdojo', 'bandit_no_vuln.json');
const CONNECTION = 'arn:aws:codeconnections:us-east-1:123456789012:connection/00000000-0000-0000-0000-000000000000';

/** A CDK Pipelines pipeline whose prod stage has a gated bandit scan as `pre` steps. */
function cdkPipeline(gate?: GatePolicy): { template: Template; gated: GatedScan } {
  const app = new App({ builtinCloudFormationValidation: false, context: { 'aws:cdk:disable-asset-staging': true } });
  const stack = new Stack(app, 'Pipeline', { env: { account: '123456789012', region: 'us-east-1' } });
  const source = pipelines.CodePipelineSource.connection('acme/app', 'main', { connectionArn: CONNECTION });
  const pipeline = new pipelines.CodePipeline(stack, 'Pipeline', {
    synth: new pipelines.ShellStep('Synth', { input: source, commands: ['npm ci', 'npx cdk synth'] }),
  });
  const gated = new GatedScan(stack, 'Bandit', { scan: new security.Bandit({ paths: ['.'] }), input: source, pipelineName: 'app', gate });
  const stage = new Stage(app, 'Prod');
  new Stack(stage, 'App');
  pipeline.addStage(stage, { pre: gated.steps });
  pipeline.buildPipeline();
  return { template: Template.fromStack(stack), gated };
}

/** The buildspec of the CodeBuild project whose commands contain `marker`. */
function buildSpecWith(template: Template, marker: string): any {
  const projects = Object.values(template.findResources('AWS::CodeBuild::Project')) as any[];
  const found = projects.map((p) => JSON.parse(flatten(p.Properties.Source.BuildSpec))).filter((s) => JSON.stringify(s).includes(marker));
  expect(found).toHaveLength(1);
  return found[0];
}

describe('GatedScan in a CDK Pipelines pipeline', () => {
  const { template } = cdkPipeline();

  test('the scan runs in its image and exports the sha256 of its reports; the gate reads it as a pipeline variable', () => {
    const scan = buildSpecWith(template, 'export GATEHOUSE_REPORTS_SHA256=');
    expect(scan.env['exported-variables']).toEqual([REPORTS_SHA256_VARIABLE]);
    expect(scan.phases.build.commands.join('\n')).toContain(`export ${REPORTS_SHA256_VARIABLE}=`);
    const gate = buildSpecWith(template, 'GATEHOUSE_GATE_URL');
    expect(gate.phases.install['runtime-versions']).toEqual({ nodejs: '22' });
    const actions = (Object.values(template.findResources('AWS::CodePipeline::Pipeline'))[0] as any).Properties.Stages.flatMap((s: any) => s.Actions);
    const gateAction = actions.find((a: any) => /BanditGate/.test(a.Name));
    const env = JSON.parse(flatten(gateAction.Configuration.EnvironmentVariables));
    expect(env).toEqual(expect.arrayContaining([expect.objectContaining({ name: REPORTS_SHA256_VARIABLE, value: expect.stringMatching(/^#\{[\w@.-]+\.GATEHOUSE_REPORTS_SHA256\}$/) })]));
    // the gate runs after the scan, before the stage's deployment
    const order = actions.map((a: any) => `${a.Name}:${a.RunOrder}`);
    expect(order.filter((o: string) => /Bandit/.test(o))).toEqual([expect.stringMatching(/BanditScan:1/), expect.stringMatching(/BanditGate:2/)]);
  });

  test('the gate role may read the one bundled gate object', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    const read = statements.filter((s: any) => s.Sid === 'ReadBundledGate');
    expect(read).toHaveLength(1);
    expect(flatten(read[0].Resource)).toMatch(/^arn:<AWS::Partition>?.*:s3:::cdk-[a-z0-9]+-assets-123456789012-us-east-1\/[a-f0-9]{64}\.js$|^arn:.*\/[a-f0-9]{64}\.js$/);
  });

  test.each([
    ['a trusted key from SSM', new GatePolicy({ trustedKeys: TrustSource.ssmParameter('/keys') }), /ssm-parameter trust source "\/keys": use TrustSource.inline here/],
    ['a stored baseline', new GatePolicy({ storedBaseline: true }), /stored baseline/],
    ['a manual intervention', new GatePolicy({ failureStrategy: FailureStrategy.MANUAL_INTERVENTION, interventionApprovers: [Approver.group('appsec')] }), /manual intervention/],
  ])('%s is refused with the fix', (_, gate, message) => {
    expect(() => cdkPipeline(gate)).toThrow(message);
  });
});

describe('the gate step, run for real', () => {
  let s3: FakeS3;
  let tmp: string;
  let env: Record<string, string>;
  let script: string;
  const sha = (files: string[], dir: string) => {
    // the scan's digest: sha256sum's listing of the reports, hashed
    const listing = files.map((f) => `${createHash('sha256').update(fs.readFileSync(path.join(dir, f))).digest('hex')}  ${f}\n`).join('');
    return createHash('sha256').update(listing).digest('hex');
  };

  beforeAll(async () => {
    if (!awsCliInstalled()) throw new Error(`these tests run the AWS CLI v2 at ${AWS_CLI}: install it (apt-get install awscli)`);
    s3 = new FakeS3();
    const base = await s3.start();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-cdkp-'));
    s3.objects.set('/assets/gate.js', GATE_JS);
    env = {
      PATH: awsCliOnPath(path.join(tmp, 'bin'), base),
      ...awsCliEnv(tmp),
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `${base}/creds`,
      GATEHOUSE_GATE_URL: 's3://assets/gate.js',
    };
    const { template } = cdkPipeline();
    script = buildSpecWith(template, 'GATEHOUSE_GATE_URL').phases.build.commands.join('\n');
  });

  afterAll(async () => {
    await s3.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  let n = 0;
  async function runGate(report: string, exported?: (dir: string) => string) {
    const dir = path.join(tmp, `src-${++n}`);
    const rel = '.gatehouse/reports/bandit/bandit.json';
    fs.mkdirSync(path.join(dir, path.dirname(rel)), { recursive: true });
    fs.copyFileSync(report, path.join(dir, rel));
    return runScript('/bin/sh', script, dir, { ...env, [REPORTS_SHA256_VARIABLE]: exported ? exported(dir) : sha([rel], dir) });
  }

  test('a real bandit report with a HIGH finding fails the step (exit 1)', async () => {
    const r = await runGate(FINDINGS);
    expect(r.output).toContain('FAILED');
    expect(r.code).toBe(1);
    expect(fs.readdirSync(path.join(r.dir, '.gatehouse/gate/security-bandit'))).toContain('gatehouse.json');
  });

  test('a clean report passes (exit 0)', async () => {
    const r = await runGate(CLEAN);
    expect(r.code).toBe(0);
  });

  test('a report that is not the one the scan wrote is not decided (exit 2), even a clean one', async () => {
    // another step replaced the findings with a clean report after the scan exported its sha256
    const r = await runGate(CLEAN, (dir) => sha(['.gatehouse/reports/bandit/bandit.json'], dir).replace(/^./, (c) => (c === '0' ? '1' : '0')));
    expect(r.code).toBe(2);
    expect(r.output).toMatch(/are not those its scan wrote/);
  });

  test('no exported sha256 is not decided (exit 2)', async () => {
    const r = await runGate(CLEAN, () => '');
    expect(r.code).toBe(2);
  });

  test('a swapped bundle is not run (exit 2)', async () => {
    s3.objects.set('/assets/gate.js', Buffer.from('console.log("PASSED"); process.exit(0)'));
    try {
      const r = await runGate(FINDINGS);
      expect(r.code).toBe(2);
      expect(r.output).toMatch(/has sha256 [a-f0-9]{64}, not [a-f0-9]{64} as synthesized/);
    } finally {
      s3.objects.set('/assets/gate.js', GATE_JS);
    }
  });
});
