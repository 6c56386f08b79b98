/**
 * End to end, Tekton: the seed example's `oast-bandit` task exactly as synthesized (the scan
 * step's script, the step that keeps the reports, then the bundled gate from the gate ConfigMap
 * with the seed's gate arguments) runs here with the real bandit on test/samples/bandit-app.
 * See support/tekton-taskrun.ts for what stands in for the cluster.
 */
import * as fs from 'fs';
import * as path from 'path';
import { gateFromConfigMap, gatehouse } from './support/bundle';
import { suppressInSource } from './support/suppressed-repo';
import { Manifest, pipelineTask, readManifests, runPipelineTask } from './support/tekton-taskrun';
import { copySample, readJson, ROOT, scratchRoot, withTools } from './support/tools';
import { EXEMPTIONS_FILE, SECURITY_APPROVERS, TRUSTED_KEYS } from '../../examples/django-devsecops/pipeline';
import { synth } from '../../examples/django-devsecops/tekton';

const EXAMPLE = path.join(ROOT, 'examples/django-devsecops');
const { root, cleanup } = scratchRoot('gatehouse-e2e-seed-tekton-');
afterAll(cleanup);

let manifests: Manifest[];
let task: Manifest;
let gateCli: string;

beforeAll(() => {
  const out = path.join(root, 'out');
  fs.mkdirSync(out);
  synth(out);
  manifests = readManifests(out);
  task = pipelineTask(manifests, 'oast-bandit');
  gateCli = gateFromConfigMap(manifests, path.join(root, 'gate'));
});

/** The application repository: the bandit sample, with the seed's exemptions (its trusted keys are the pipeline's). */
function appRepository(): string {
  const dir = copySample('bandit-app', path.join(root, 'src'));
  fs.mkdirSync(path.dirname(path.join(dir, EXEMPTIONS_FILE)), { recursive: true });
  fs.copyFileSync(path.join(EXAMPLE, EXEMPTIONS_FILE), path.join(dir, EXEMPTIONS_FILE));
  return dir;
}

/** The applied objects with the trust ConfigMap's trusted keys replaced (what the platform would apply). */
function withTrustedKeys(keys: string): Manifest[] {
  return manifests.map((m) => {
    if (m.kind !== 'ConfigMap' || !String(m.metadata.name).includes('-gatehouse-trust-')) return m;
    const data = Object.fromEntries(Object.entries(m.data as Record<string, string>).map(([k, v]) => [k, v === TRUSTED_KEYS ? keys : v]));
    return { ...m, data };
  });
}

function scratch(name: string): string {
  return fs.mkdtempSync(path.join(root, `${name}-`));
}

describe('the seed oast-bandit task on Tekton, with the real bandit', () => {
  test('the task runs the scan, the report keeper and the gate, in this order', () => {
    expect(task.taskSpec.steps.map((s: Manifest) => s.name)).toEqual(['run', 'finish', 'gate']);
    expect(task.taskSpec.steps[2].script).toContain(
      `--exemptions ${EXEMPTIONS_FILE} --approvers ${SECURITY_APPROVERS.join(',')} --max-exemption-days 90 --trusted-keys /gatehouse/trust/trusted-keys`,
    );
  });

  withTools(['bandit', 'node'], 'bandit finds the HIGH shell=True call: the step succeeds, the gate FAILS the task, results and summary are kept', () => {
    // GIVEN the application repository (bandit sample + the seed's signed exemption for another path)
    const source = appRepository();
    // WHEN the task runs as synthesized
    const run = runPipelineTask(task, { source, scratch: scratch('fail'), manifests });
    // THEN bandit's findings (exit 1) are not an error, the report is kept, and the gate fails the task
    const [scan, keep, gate] = run.steps;
    expect({ scan: scan.exitCode, keep: keep.exitCode, gate: gate.exitCode }).toEqual({ scan: 0, keep: 0, gate: 1 });
    expect(scan.stderr).not.toContain('gatehouse:');
    expect(run.succeeded).toBe(false);
    expect(run.results.GATE_VERDICT).toBe('FAILED');
    expect(Number(run.results.GATE_HIGH)).toBe(1);
    expect(gate.stdout).toContain('gatehouse gate: FAILED');
    expect(gate.stdout).toMatch(/HIGH\s+B602 /);
    // the reports workspace holds the scanner's report and the gate's four outputs
    const kept = run.workspaces.reports;
    expect(readJson(path.join(kept, 'findings/.gatehouse/reports/bandit/bandit.json')).results.length).toBeGreaterThan(0);
    expect(fs.readdirSync(path.join(kept, 'gate')).sort()).toEqual(['gatehouse-events.jsonl', 'gatehouse-junit.xml', 'gatehouse.html', 'gatehouse.json', 'gatehouse.md', 'gatehouse.sarif']);
    expect(fs.readFileSync(path.join(kept, 'gate/gatehouse.md'), 'utf8')).toContain('B602');
    // the seed's exemption was read, and covers nothing here (another path)
    const json = readJson(path.join(kept, 'gate/gatehouse.json'));
    expect(json.exemptions).toEqual([expect.objectContaining({ id: 'EX-2026-014', matched: [] })]);
  });

  withTools(['bandit', 'node'], 'a # nosec marker, a .bandit skip and a pyproject skip committed by the app team do not turn the gate green', () => {
    // GIVEN the repository, where the developer silenced the HIGH finding in the source instead of asking for an exemption
    const source = appRepository();
    suppressInSource(source);
    // WHEN the task runs as synthesized
    const run = runPipelineTask(task, { source, scratch: scratch('nosec'), manifests });
    // THEN bandit still reports it, and the gate fails the task on it
    expect(run.steps.map((s) => s.exitCode)).toEqual([0, 0, 1]);
    expect(run.results.GATE_VERDICT).toBe('FAILED');
    expect(Number(run.results.GATE_HIGH)).toBe(1);
    expect(run.steps[2].stdout).toMatch(/HIGH\s+B602 /);
  });

  withTools(['bandit', 'node'], 'an exemption requested by a developer and signed by a security approver lets the same task pass', () => {
    // GIVEN the pipeline's trusted keys, where sec.marco's key is replaced by one this test holds
    const source = appRepository();
    const keys = scratch('keys');
    gatehouse(gateCli, keys, ['exemption', 'keygen', '--out', 'marco']);
    const pub = fs.readFileSync(path.join(keys, 'marco.pub.pem'), 'utf8').trim();
    const trusted = TRUSTED_KEYS.replace(/sec\.marco: \|\n(  .*\n?)+/, `sec.marco: |\n${pub.split('\n').map((l) => `  ${l}`).join('\n')}\n`);
    expect(trusted).not.toBe(TRUSTED_KEYS);
    // WHEN a developer requests an exemption for the finding and sec.marco approves it, with the shipped gate's CLI
    const expires = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    gatehouse(gateCli, source, [
      'exemption', 'request', '--file', EXEMPTIONS_FILE, '--id', 'EX-E2E-1', '--rule', 'B602', '--path', 'app/views.py',
      '--reason', 'ping runs against a fixed allow-list in production', '--requested-by', 'dev.lena', '--expires', expires, '--pipeline', 'django-devsecops',
    ]);
    gatehouse(gateCli, source, ['exemption', 'approve', '--file', EXEMPTIONS_FILE, '--id', 'EX-E2E-1', '--approver', 'sec.marco', '--key', path.join(keys, 'marco.pem')]);
    const run = runPipelineTask(task, { source, scratch: scratch('exempt'), manifests: withTrustedKeys(trusted) });
    // THEN the gate passes: the only HIGH finding is exempted
    expect(run.steps.map((s) => s.exitCode)).toEqual([0, 0, 0]);
    expect(run.succeeded).toBe(true);
    expect(run.results.GATE_VERDICT).toBe('PASSED');
    const json = readJson(path.join(run.workspaces.reports, 'gate/gatehouse.json'));
    expect(json.findings.filter((f: Manifest) => f.ruleId === 'B602').map((f: Manifest) => f.status)).toEqual(['exempted']);
  });

  withTools(['node'], 'fails with exit 2 when the report is missing (the gate alone, as synthesized)', () => {
    // GIVEN the task reduced to its gate step, over a source where no scan wrote a report
    const source = appRepository();
    const gateOnly = { ...task, taskSpec: { ...task.taskSpec, steps: task.taskSpec.steps.filter((s: Manifest) => s.name === 'gate') } };
    // WHEN it runs
    const run = runPipelineTask(gateOnly, { source, scratch: scratch('missing'), manifests });
    // THEN the gate cannot decide: exit 2 under the FAIL strategy, verdict ERROR
    expect(run.failedExitCode).toBe(2);
    expect(run.results.GATE_VERDICT).toBe('ERROR');
    expect(run.steps[0].stderr).toMatch(/gatehouse: error: .gatehouse\/reports\/bandit\/bandit\.json/);
  });
});
