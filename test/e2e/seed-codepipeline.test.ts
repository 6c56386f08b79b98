/**
 * End to end, CodePipeline: the seed example's `oast.bandit` action and its gate action
 * `oast.bandit@gate`, exactly as synthesized (each CodeBuild project's buildspec from the
 * template; the gate downloads the bundled gate asset, checks its sha256, runs it with the seed's
 * gate arguments and publishes the summary), run here with the real bandit on
 * test/samples/bandit-app. The trusted keys are the pipeline definition's (inline in the gate's
 * buildspec), never a file of the repository. See support/codebuild-run.ts for what stands in for AWS.
 */
import * as fs from 'fs';
import * as path from 'path';
import { publishAssets, readTemplate } from './support/assembly';
import { gatehouse } from './support/bundle';
import { PLACEHOLDER_ENV } from './support/cfn';
import { BuildResult, CodeBuildAction, codeBuildActions, EXECUTION_ID, runBuild } from './support/codebuild-run';
import { FakeS3, startFakeS3 } from './support/fake-s3';
import { suppressInSource } from './support/suppressed-repo';
import { copySample, readJson, ROOT, scratchRoot, withTools } from './support/tools';
import { exampleApp, STACK_NAME } from '../../examples/django-devsecops/codepipeline';
import { EXEMPTIONS_FILE, SECURITY_APPROVERS, TRUSTED_KEYS } from '../../examples/django-devsecops/pipeline';
import { GATE_TRUST_DIR } from '../../src/codepipeline/gate-script';
import { gateArtifactName, reportsArtifactName } from '../../src/codepipeline/naming';

const EXAMPLE = path.join(ROOT, 'examples/django-devsecops');
const REPORTS = reportsArtifactName('oast', 'bandit');
const GATE = gateArtifactName('oast', 'bandit');
const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'AKIAPLACEHOLDER', AWS_SECRET_ACCESS_KEY: 'placeholder-secret' };
const { root, cleanup } = scratchRoot('gatehouse-e2e-seed-codepipeline-');

let actions: Map<string, CodeBuildAction>;
let s3: FakeS3;
let gateKey: string;
let gateCli: string;
let artifactBucket: string;

beforeAll(async () => {
  const out = path.join(root, 'cdk.out');
  const { app } = exampleApp({ outdir: out, nag: false });
  app.synth();
  const template = readTemplate(out, STACK_NAME);
  actions = codeBuildActions(template);
  s3 = await startFakeS3(path.join(root, 's3'));
  [gateKey] = publishAssets(out, STACK_NAME, s3).filter((k) => k.endsWith('.js'));
  gateCli = path.join(out, `asset.${gateKey}`);
  artifactBucket = `ref-${Object.keys(template.Resources).find((id) => /^PipelineArtifacts[0-9A-F]{8}$/.test(id))!.toLowerCase()}`;
});

afterAll(() => {
  s3?.stop();
  cleanup();
});

/** The application repository: the bandit sample, with the seed's exemptions. */
function appRepository(): string {
  const dir = copySample('bandit-app', path.join(root, 'src'));
  fs.mkdirSync(path.dirname(path.join(dir, EXEMPTIONS_FILE)), { recursive: true });
  fs.copyFileSync(path.join(EXAMPLE, EXEMPTIONS_FILE), path.join(dir, EXEMPTIONS_FILE));
  return dir;
}

/** Base64 lines of `content`, as the gate buildspec carries an inline trust source. */
const base64Lines = (content: string) => Buffer.from(content).toString('base64').match(/.{1,76}/g)!.join('\n');

/** Runs an action on a fresh copy of `repository` (each CodeBuild action gets its own source). */
function build(name: string, repository: string, inputs: Record<string, string> = {}, action: CodeBuildAction = actions.get(name)!): BuildResult {
  const source = fs.mkdtempSync(path.join(root, 'source-'));
  fs.cpSync(repository, source, { recursive: true });
  return runBuild(action, { source, inputs, scratch: fs.mkdtempSync(path.join(root, 'build-')), s3Endpoint: s3.endpoint, env: CREDENTIALS, variables: { 'Trigger.GATEHOUSE_TRIGGER': 'push' } });
}

describe('the seed oast.bandit action and its gate on CodePipeline, with the real bandit', () => {
  test('the gate action reads the source and the scan\'s reports, and runs the seed\'s gate arguments', () => {
    const gate = actions.get('oast.bandit@gate')!;
    expect(gate.inputs).toEqual(['Source', REPORTS]);
    expect(actions.get('oast.bandit')!.outputs).toEqual([REPORTS]);
    const script: string = gate.buildspec.phases.build.commands[0];
    expect(script).toContain(`--exemptions ${EXEMPTIONS_FILE} --approvers ${SECURITY_APPROVERS.join(',')} --max-exemption-days 90 --trusted-keys ${GATE_TRUST_DIR}/trusted-keys`);
    expect(script).toContain(base64Lines(TRUSTED_KEYS));
  });

  withTools(['bandit', 'node'], 'bandit\'s findings pass the scan; the gate FAILS the action, exports the counts and publishes the summary', () => {
    // GIVEN the application repository
    const repo = appRepository();
    // WHEN the scan action runs, then its gate with the scan's output artifact
    const scan = build('oast.bandit', repo);
    const gate = build('oast.bandit@gate', repo, { [REPORTS]: scan.artifacts[REPORTS] });
    // THEN the scan succeeded and kept its report and status
    expect(scan.stderr).not.toContain('gatehouse:');
    expect({ succeeded: scan.succeeded, status: scan.exported.GATEHOUSE_STEP_STATUS }).toEqual({ succeeded: true, status: 'SUCCEEDED' });
    expect(readJson(path.join(scan.artifacts[REPORTS], '.gatehouse/reports/bandit/bandit.json')).results.length).toBeGreaterThan(0);
    // the gate fetched the shipped gate (signed request), ran it, and failed the action on the HIGH finding
    expect(s3.requests()).toContain(`GET /cdk-hnb659fds-assets-${PLACEHOLDER_ENV['AWS::AccountId']}-${PLACEHOLDER_ENV['AWS::Region']}/${gateKey} signed`);
    expect(gate.succeeded).toBe(false);
    expect(gate.failedPhase).toBe('build');
    expect(gate.exported).toEqual(expect.objectContaining({ GATE_VERDICT: 'FAILED', GATE_HIGH: '1', GATE_CRITICAL: '0' }));
    expect(gate.stdout).toContain('gatehouse gate: FAILED');
    // the summary is where the approval link points: in the artifact bucket, per execution and gate
    const key = `gatehouse/${EXECUTION_ID}/oast-bandit/gatehouse.md`;
    expect(s3.get(artifactBucket, key)).toContain('B602');
    expect(s3.get(artifactBucket, key.replace(/\.md$/, '.html'))).toMatch(/^<!DOCTYPE html>[\s\S]*B602/i);
    expect(gate.exported.GATE_SUMMARY_URL).toBe(`https://console.aws.amazon.com/s3/object/${artifactBucket}?region=us-east-1&prefix=${key}`);
    // the gate's outputs are its artifact, its JUnit goes to the report group
    expect(fs.readdirSync(path.join(gate.artifacts[GATE], '.gatehouse/gate/oast-bandit')).sort()).toEqual([
      'gatehouse-events.jsonl', 'gatehouse-junit.xml', 'gatehouse.html', 'gatehouse.json', 'gatehouse.md', 'gatehouse.sarif',
    ]);
  });

  withTools(['bandit', 'node'], 'a # nosec marker, a .bandit skip and a pyproject skip committed by the app team do not turn the gate green', () => {
    // GIVEN the repository, where the developer silenced the HIGH finding in the source instead of asking for an exemption
    const repo = appRepository();
    suppressInSource(repo);
    // WHEN the scan action and its gate run as synthesized
    const scan = build('oast.bandit', repo);
    const gate = build('oast.bandit@gate', repo, { [REPORTS]: scan.artifacts[REPORTS] });
    // THEN bandit still reports it, and the gate fails the action on it
    expect(scan.succeeded).toBe(true);
    expect(gate.succeeded).toBe(false);
    expect(gate.exported).toEqual(expect.objectContaining({ GATE_VERDICT: 'FAILED', GATE_HIGH: '1' }));
    expect(gate.stdout).toMatch(/HIGH\s+B602 /);
  });

  withTools(['bandit', 'node'], 'an exemption requested by a developer and signed by a security approver lets the gate pass', () => {
    // GIVEN the pipeline definition, where sec.marco's trusted key is replaced by one this test holds
    const repo = appRepository();
    const keys = fs.mkdtempSync(path.join(root, 'keys-'));
    gatehouse(gateCli, keys, ['exemption', 'keygen', '--out', 'marco']);
    const pub = fs.readFileSync(path.join(keys, 'marco.pub.pem'), 'utf8').trim();
    const trusted = TRUSTED_KEYS.replace(/sec\.marco: \|\n(  .*\n?)+/, `sec.marco: |\n${pub.split('\n').map((l) => `  ${l}`).join('\n')}\n`);
    const original = actions.get('oast.bandit@gate')!;
    const script: string = original.buildspec.phases.build.commands[0];
    expect(script).toContain(base64Lines(TRUSTED_KEYS));
    const gateAction: CodeBuildAction = {
      ...original,
      buildspec: {
        ...original.buildspec,
        phases: { ...original.buildspec.phases, build: { commands: [script.replace(base64Lines(TRUSTED_KEYS), base64Lines(trusted))] } },
      },
    };
    // WHEN the exemption is requested and approved with the shipped gate's CLI, and the actions run
    const expires = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    gatehouse(gateCli, repo, [
      'exemption', 'request', '--file', EXEMPTIONS_FILE, '--id', 'EX-E2E-1', '--rule', 'B602', '--path', 'app/views.py',
      '--reason', 'ping runs against a fixed allow-list in production', '--requested-by', 'dev.lena', '--expires', expires, '--pipeline', 'django-devsecops',
    ]);
    gatehouse(gateCli, repo, ['exemption', 'approve', '--file', EXEMPTIONS_FILE, '--id', 'EX-E2E-1', '--approver', 'sec.marco', '--key', path.join(keys, 'marco.pem')]);
    const scan = build('oast.bandit', repo);
    const gate = build('oast.bandit@gate', repo, { [REPORTS]: scan.artifacts[REPORTS] }, gateAction);
    // THEN
    expect(gate.succeeded).toBe(true);
    expect(gate.exported.GATE_VERDICT).toBe('PASSED');
    const json = readJson(path.join(gate.artifacts[GATE], '.gatehouse/gate/oast-bandit/gatehouse.json'));
    expect(json.findings.filter((f: any) => f.ruleId === 'B602').map((f: any) => f.status)).toEqual(['exempted']);
  });

  withTools(['node'], 'fails when the report is missing: the gate exits 2, verdict ERROR', () => {
    // GIVEN a reports artifact without the report (the scan never wrote it)
    const empty = fs.mkdtempSync(path.join(root, 'empty-artifact-'));
    // WHEN the gate action runs
    const gate = build('oast.bandit@gate', appRepository(), { [REPORTS]: empty });
    // THEN
    expect(gate.succeeded).toBe(false);
    expect(gate.stderr).toMatch(/gatehouse: error: .gatehouse\/reports\/bandit\/bandit\.json/);
    expect(gate.stdout).toContain('could not decide (exit 2)');
    expect(gate.exported.GATE_VERDICT).toBe('ERROR');
  });

  withTools(['node'], 'fails before any gate runs when the downloaded gate is not the one synthesized', () => {
    // GIVEN the asset object replaced after deploy
    const bucket = `cdk-hnb659fds-assets-${PLACEHOLDER_ENV['AWS::AccountId']}-${PLACEHOLDER_ENV['AWS::Region']}`;
    const original = fs.readFileSync(gateCli);
    s3.put(bucket, gateKey, 'console.log("not the gate")');
    try {
      // WHEN the gate action runs over a real-looking report
      const gate = build('oast.bandit@gate', appRepository(), { [REPORTS]: fs.mkdtempSync(path.join(root, 'empty-artifact-')) });
      // THEN it refuses the file
      expect(gate.succeeded).toBe(false);
      expect(gate.stderr).toMatch(/the bundled gate \S+ has sha256 [0-9a-f]{64}, not [0-9a-f]{64} as synthesized/);
      expect(gate.stdout).toContain('GATE_VERDICT=ERROR');
      expect(gate.exported.GATE_VERDICT).not.toBe('PASSED');
    } finally {
      s3.put(bucket, gateKey, original);
    }
  });
});
