/**
 * End to end, Tekton: a pipeline with Bandit, Secretlint, OpenScap and CyclonedxNpm is
 * synthesized, and each scan task runs here exactly as written (scan script, report keeper, gate
 * from the shipped ConfigMap) with the real tools, one after the other in one source workspace
 * (as the pipeline's tasks share it); then the stage gate task decides over all their reports.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, YamlOutputType } from 'cdk8s';
import { scansPipeline, SCANS_SAMPLES, SCAN_STAGE } from './support/scans-pipeline';
import { Manifest, pipelineTask, readManifests, runPipelineTask, TaskRunResult } from './support/tekton-taskrun';
import { copySamples, NPX_TIMEOUT, readJson, scratchRoot, withTools } from './support/tools';
import { TektonEngine } from '../../src/tekton';

const TOOLS = ['bandit', 'oscap', 'ssg-debian11-content', 'npx', 'node'];
const { root, cleanup } = scratchRoot('gatehouse-e2e-scans-tekton-');
afterAll(cleanup);

let manifests: Manifest[];
let source: string;
let reportsRoot: string;
/** One PipelineRun: the tasks share the reports volume, each in its own subPath. */
const PIPELINE_RUN = 'scans-run-1';
const runs = new Map<string, TaskRunResult>();

beforeAll(() => {
  const out = path.join(root, 'out');
  const pipeline = scansPipeline();
  const app = new App({ outdir: out, yamlOutputType: YamlOutputType.FILE_PER_CHART });
  new TektonEngine(new Chart(app, pipeline.name), 'Tekton', { pipeline });
  app.synth();
  manifests = readManifests(out);
  source = copySamples(SCANS_SAMPLES, path.join(root, 'src'), { npmCache: true });
  reportsRoot = path.join(root, 'reports');
  fs.mkdirSync(reportsRoot);
});

function runTask(name: string): TaskRunResult {
  return runPipelineTask(pipelineTask(manifests, name), {
    source,
    scratch: fs.mkdtempSync(path.join(root, `${name}-`)),
    manifests,
    pipelineRunName: PIPELINE_RUN,
    workspaceRoots: { reports: reportsRoot },
  });
}

/** Runs a task once (in the shared source workspace) and remembers its result. */
function run(step: string): TaskRunResult {
  const name = `${SCAN_STAGE}-${step}`;
  if (!runs.has(name)) {
    runs.set(name, runTask(name));
  }
  return runs.get(name)!;
}

function kept(r: TaskRunResult, step: string, file: string): string {
  expect(r.workspaces.reports).toBe(path.join(reportsRoot, PIPELINE_RUN, `${SCAN_STAGE}-${step}`));
  return path.join(r.workspaces.reports, file);
}

describe('catalog scans on Tekton, with the real tools', () => {
  withTools(TOOLS, 'bandit: findings let the scan pass, the gate fails the task on HIGH', () => {
    const r = run('bandit');
    expect(r.steps.map((s) => [s.name, s.exitCode])).toEqual([['run', 0], ['finish', 0], ['gate', 1]]);
    expect(r.results.GATE_VERDICT).toBe('FAILED');
    expect(Number(r.results.GATE_HIGH)).toBeGreaterThanOrEqual(1);
  });

  withTools(TOOLS, 'secretlint: the fake secrets fail the gate (failOn LOW), the SARIF holds no file text', () => {
    const r = run('secretlint');
    expect(r.steps.map((s) => [s.name, s.exitCode])).toEqual([['run', 0], ['finish', 0], ['gate', 1]]);
    expect(r.steps[0].stderr).not.toContain('gatehouse:');
    expect(r.results.GATE_VERDICT).toBe('FAILED');
    const sarif = fs.readFileSync(kept(r, 'secretlint', 'findings/.gatehouse/reports/secretlint/secretlint.sarif'), 'utf8');
    expect(JSON.parse(sarif).runs[0].results.length).toBeGreaterThanOrEqual(5);
    expect(sarif).not.toContain('BEGIN RSA PRIVATE KEY');
  }, NPX_TIMEOUT);

  withTools(TOOLS, 'openscap: a failed rule (oscap exit 2) is findings; the gate decides on the XCCDF results', () => {
    const r = run('openscap');
    expect(r.steps.slice(0, 2).map((s) => [s.name, s.exitCode])).toEqual([['run', 0], ['finish', 0]]);
    expect(r.steps[0].stderr).not.toContain('gatehouse:');
    const xml = fs.readFileSync(kept(r, 'openscap', 'findings/.gatehouse/reports/openscap/xccdf-results.xml'), 'utf8');
    const failed = (xml.match(/<(xccdf:)?result>fail<\/(xccdf:)?result>/g) ?? []).length;
    expect(xml).toMatch(/<(xccdf:)?result>pass<\/(xccdf:)?result>/);
    // fail closed: failed rules of unknown severity count as HIGH, above the MEDIUM default
    expect(r.steps[2].exitCode).toBe(failed > 0 ? 1 : 0);
    expect(r.results.GATE_VERDICT).toBe(failed > 0 ? 'FAILED' : 'PASSED');
  });

  withTools(TOOLS, 'cyclonedx-npm: the SBOM of the lockfile is written without install, and an SBOM task has no gate', () => {
    const r = run('cyclonedx-npm');
    expect(r.steps.map((s) => [s.name, s.exitCode])).toEqual([['run', 0], ['finish', 0]]);
    const bom = readJson(kept(r, 'cyclonedx-npm', 'findings/.gatehouse/reports/cyclonedx-npm/sbom.cdx.json'));
    expect(bom.bomFormat).toBe('CycloneDX');
    expect(bom.components.map((c: Manifest) => c.purl)).toEqual(expect.arrayContaining(['pkg:npm/lodash@4.17.15', 'pkg:npm/minimist@1.2.0']));
    expect(fs.existsSync(path.join(source, 'node_modules'))).toBe(false);
  }, NPX_TIMEOUT);

  withTools(TOOLS, 'the stage gate decides once over the four reports; IGNORE records FAILED and lets the task pass', () => {
    // GIVEN every scan of the stage has run
    for (const step of ['bandit', 'secretlint', 'openscap', 'cyclonedx-npm']) run(step);
    // WHEN the stage gate task runs
    const r = runTask(`${SCAN_STAGE}-stage-gate`);
    // THEN
    expect(r.steps.map((s) => s.exitCode)).toEqual([0]);
    expect(r.succeeded).toBe(true);
    expect(r.results.GATE_VERDICT).toBe('FAILED');
    expect(r.steps[0].stdout).toContain('failure strategy IGNORE');
    const json = readJson(path.join(r.workspaces.reports, 'gate/gatehouse.json'));
    expect(json.reports.map((x: Manifest) => x.format)).toEqual(['bandit-json', 'sarif', 'openscap-xccdf', 'cyclonedx-json']);
    expect(new Set(json.findings.flatMap((f: Manifest) => f.tools))).toEqual(new Set(['bandit', 'secretlint', ...(json.summary.byTool.openscap ? ['openscap'] : [])]));
  }, NPX_TIMEOUT);
});
