/**
 * End to end, CodePipeline: a pipeline with Bandit, Secretlint, OpenScap and CyclonedxNpm is
 * synthesized, and each scan action and its gate action run here exactly as their buildspecs say,
 * each on a fresh copy of the source (as CodeBuild gets the source artifact), the gates reading the
 * scans' output artifacts and fetching the bundled gate asset from a fake S3; then the stage gate
 * action decides over all four reports. See support/codebuild-run.ts for what stands in for AWS.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, DefaultStackSynthesizer, Stack } from 'aws-cdk-lib';
import { publishAssets, readTemplate } from './support/assembly';
import { BuildResult, CodeBuildAction, codeBuildActions, runBuild } from './support/codebuild-run';
import { FakeS3, startFakeS3 } from './support/fake-s3';
import { scansPipeline, SCANS_SAMPLES, SCAN_STAGE } from './support/scans-pipeline';
import { copySamples, NPX_TIMEOUT, readJson, scratchRoot, withTools } from './support/tools';
import { CodePipelineEngine } from '../../src/codepipeline';
import { gateArtifactName, reportsArtifactName } from '../../src/codepipeline/naming';

const TOOLS = ['bandit', 'oscap', 'ssg-debian11-content', 'npx', 'node'];
const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'AKIAPLACEHOLDER', AWS_SECRET_ACCESS_KEY: 'placeholder-secret' };
const STACK = 'E2eScans';
const { root, cleanup } = scratchRoot('gatehouse-e2e-scans-codepipeline-');

let actions: Map<string, CodeBuildAction>;
let s3: FakeS3;
/** Output artifact folders of the actions run so far, by artifact name. */
const artifacts: Record<string, string> = {};
const runs = new Map<string, BuildResult>();

beforeAll(async () => {
  const out = path.join(root, 'cdk.out');
  const app = new App({ outdir: out, builtinCloudFormationValidation: false });
  const stack = new Stack(app, STACK, { synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }) });
  new CodePipelineEngine(stack, 'Pipeline', {
    pipeline: scansPipeline(),
    connectionArn: 'arn:aws:codeconnections:us-east-1:123456789012:connection/00000000-0000-0000-0000-000000000000',
  });
  app.synth();
  actions = codeBuildActions(readTemplate(out, STACK));
  s3 = await startFakeS3(path.join(root, 's3'));
  publishAssets(out, STACK, s3);
});

afterAll(() => {
  s3?.stop();
  cleanup();
});

/** Runs an action once, on a fresh copy of the repository, with the artifacts it reads. */
function run(name: string): BuildResult {
  if (!runs.has(name)) {
    const action = actions.get(name);
    if (!action) throw new Error(`no action ${name}: ${[...actions.keys()].join(', ')}`);
    const inputs = Object.fromEntries(action.inputs.slice(1).map((n) => [n, artifacts[n]]));
    const source = copySamples(SCANS_SAMPLES, path.join(root, 'src'), { npmCache: true });
    const r = runBuild(action, { source, inputs, scratch: fs.mkdtempSync(path.join(root, 'build-')), s3Endpoint: s3.endpoint, env: CREDENTIALS });
    Object.assign(artifacts, r.artifacts);
    runs.set(name, r);
  }
  return runs.get(name)!;
}

/** Runs a scan action, then its gate action. */
function scanThenGate(step: string): { scan: BuildResult; gate?: BuildResult } {
  const scan = run(`${SCAN_STAGE}.${step}`);
  const gateName = `${SCAN_STAGE}.${step}@gate`;
  return { scan, gate: actions.has(gateName) ? run(gateName) : undefined };
}

describe('catalog scans on CodePipeline, with the real tools', () => {
  withTools(TOOLS, 'bandit: findings let the scan pass, its gate fails the action on HIGH', () => {
    const { scan, gate } = scanThenGate('bandit');
    expect(scan.exported.GATEHOUSE_STEP_STATUS).toBe('SUCCEEDED');
    expect(gate!.succeeded).toBe(false);
    expect(gate!.exported).toEqual(expect.objectContaining({ GATE_VERDICT: 'FAILED', GATE_HIGH: '1' }));
  });

  withTools(TOOLS, 'secretlint: the fake secrets fail its gate (failOn LOW), the SARIF holds no file text', () => {
    const { scan, gate } = scanThenGate('secretlint');
    expect(scan.stderr).not.toContain('gatehouse:');
    expect(scan.exported.GATEHOUSE_STEP_STATUS).toBe('SUCCEEDED');
    const sarif = fs.readFileSync(path.join(scan.artifacts[reportsArtifactName(SCAN_STAGE, 'secretlint')], '.gatehouse/reports/secretlint/secretlint.sarif'), 'utf8');
    expect(JSON.parse(sarif).runs[0].results.length).toBeGreaterThanOrEqual(5);
    expect(sarif).not.toContain('BEGIN RSA PRIVATE KEY');
    expect(gate!.exported.GATE_VERDICT).toBe('FAILED');
    expect(gate!.succeeded).toBe(false);
  }, NPX_TIMEOUT);

  withTools(TOOLS, 'openscap: a failed rule (oscap exit 2) is findings; its gate decides on the XCCDF results', () => {
    const { scan, gate } = scanThenGate('openscap');
    expect(scan.stderr).not.toContain('gatehouse:');
    expect(scan.exported.GATEHOUSE_STEP_STATUS).toBe('SUCCEEDED');
    const xml = fs.readFileSync(path.join(scan.artifacts[reportsArtifactName(SCAN_STAGE, 'openscap')], '.gatehouse/reports/openscap/xccdf-results.xml'), 'utf8');
    const failed = (xml.match(/<(xccdf:)?result>fail<\/(xccdf:)?result>/g) ?? []).length;
    expect(gate!.exported.GATE_VERDICT).toBe(failed > 0 ? 'FAILED' : 'PASSED');
    expect(gate!.succeeded).toBe(failed === 0);
  });

  withTools(TOOLS, 'cyclonedx-npm: the SBOM of the lockfile, without install; an SBOM has no gate action', () => {
    const { scan, gate } = scanThenGate('cyclonedx-npm');
    expect(scan.exported.GATEHOUSE_STEP_STATUS).toBe('SUCCEEDED');
    expect(gate).toBeUndefined();
    const bom = readJson(path.join(scan.artifacts[reportsArtifactName(SCAN_STAGE, 'cyclonedx-npm')], '.gatehouse/reports/cyclonedx-npm/sbom.cdx.json'));
    expect(bom.components.map((c: any) => c.purl)).toEqual(expect.arrayContaining(['pkg:npm/lodash@4.17.15', 'pkg:npm/minimist@1.2.0']));
  }, NPX_TIMEOUT);

  withTools(TOOLS, 'the stage gate reads the four scans\' artifacts and decides once; IGNORE records FAILED and the action succeeds', () => {
    // GIVEN every scan of the stage has run
    for (const step of ['bandit', 'secretlint', 'openscap', 'cyclonedx-npm']) run(`${SCAN_STAGE}.${step}`);
    // WHEN the stage gate action runs
    const gate = run(`${SCAN_STAGE}@stage-gate`);
    // THEN
    expect(actions.get(`${SCAN_STAGE}@stage-gate`)!.inputs).toEqual(['Source', ...['bandit', 'secretlint', 'openscap', 'cyclonedx-npm'].map((s) => reportsArtifactName(SCAN_STAGE, s))]);
    expect(gate.succeeded).toBe(true);
    expect(gate.exported.GATE_VERDICT).toBe('FAILED');
    expect(gate.stdout).toContain('failure strategy IGNORE');
    const json = readJson(path.join(gate.artifacts[gateArtifactName(SCAN_STAGE)], '.gatehouse/gate/scan-stage-gate/gatehouse.json'));
    expect(json.reports.map((x: any) => x.format)).toEqual(['bandit-json', 'sarif', 'openscap-xccdf', 'cyclonedx-json']);
  }, NPX_TIMEOUT);
});
