/**
 * The app team against the CircleCI gate's inputs. Every job of a workflow can persist to the
 * workspace, and the app team writes the commands of most of them; the gate must read only what
 * its scan wrote. Each attack runs the rendered jobs here with sh (test/e2e/support/circleci-job.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { CIRCLECI_REVIEW_URL } from '../../examples/django-devsecops/circleci';
import { djangoDevSecOps, EXEMPTIONS_FILE } from '../../examples/django-devsecops/pipeline';
import * as circleci from '../../src/circleci';
import { validateConfigJson } from '../../src/circleci/validation/validate';
import { gatehouse } from '../e2e/support/bundle';
import { runJob, Workspace } from '../e2e/support/circleci-job';
import { copySample, ROOT, scratchRoot } from '../e2e/support/tools';

const { root, cleanup } = scratchRoot('gatehouse-adversarial-circleci-');
afterAll(cleanup);
const engine = new circleci.CircleCiEngine(djangoDevSecOps({ reviewUrl: CIRCLECI_REVIEW_URL }));
const config = engine.toJson();
const REPORT = '.gatehouse/reports/bandit/bandit.json';
const FIXTURE = path.join(ROOT, 'test/fixtures/bandit/bandit-1.6.2.json');
const CLEAN = JSON.stringify({ errors: [], generated_at: '2026-01-01T00:00:00Z', metrics: { _totals: {} }, results: [] });

const scratch = (name: string) => fs.mkdtempSync(path.join(root, `${name}-`));
function repository(): string {
  const dir = copySample('bandit-app', path.join(root, 'src'));
  fs.mkdirSync(path.join(dir, '.gatehouse'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'examples/django-devsecops', EXEMPTIONS_FILE), path.join(dir, EXEMPTIONS_FILE));
  engine.writeTo(dir);
  return dir;
}
/** The bandit step's commands replaced by `body` (the rest of the rendered step kept). */
const scanWith = (body: string) => (n: string, c: string) => (n === 'bandit' ? `(\nset -e\n${body}${c.slice(c.indexOf('\n)\ncode=$?'))}` : c);
const realReport = scanWith(`mkdir -p .gatehouse/reports/bandit\ncp ${FIXTURE} ${REPORT}`);
const gateStep = (run: { steps: Array<{ name: string; stdout: string; stderr: string }> }) => run.steps.find((s) => s.name === 'gatehouse gate')!;

describe('a clean report planted in the repository', () => {
  test('is removed before the scan: a scan that writes nothing leaves the gate nothing to pass (exit 2)', () => {
    const repo = repository();
    fs.mkdirSync(path.join(repo, path.dirname(REPORT)), { recursive: true });
    fs.writeFileSync(path.join(repo, REPORT), CLEAN);
    const workspace = new Workspace(scratch('ws'));
    const scan = runJob(config, 'oast-bandit', { repository: repo, scratch: scratch('scan'), workspace, tamper: scanWith('true') });
    expect(scan.exitCode).toBe(0);
    const gate = runJob(config, 'oast-bandit-gate', { repository: repo, scratch: scratch('gate'), workspace, upstream: ['oast-bandit'] });
    expect(gate.exitCode).toBe(2);
  });

  test('(without the prepare step, the same planted report would pass the gate)', () => {
    const repo = repository();
    fs.mkdirSync(path.join(repo, path.dirname(REPORT)), { recursive: true });
    fs.writeFileSync(path.join(repo, REPORT), CLEAN);
    const workspace = new Workspace(scratch('ws'));
    runJob(config, 'oast-bandit', {
      repository: repo, scratch: scratch('scan'), workspace, tamper: scanWith('true'), only: ['bandit', 'gatehouse: finish'],
    });
    const gate = runJob(config, 'oast-bandit-gate', { repository: repo, scratch: scratch('gate'), workspace, upstream: ['oast-bandit'] });
    expect(gate.exitCode).toBe(0);
  });
});

describe('findings changed after their scan recorded them', () => {
  function scanned(): { repo: string; workspace: Workspace; layer: string } {
    const repo = repository();
    const workspace = new Workspace(scratch('ws'));
    expect(runJob(config, 'oast-bandit', { repository: repo, scratch: scratch('scan'), workspace, tamper: realReport }).exitCode).toBe(0);
    return { repo, workspace, layer: workspace.layers.get('oast-bandit')! };
  }

  test('a report replaced in the workspace (a later layer writing the same file) fails the sha256 check: exit 2', () => {
    const { repo, workspace, layer } = scanned();
    fs.writeFileSync(path.join(layer, 'findings/oast-bandit', REPORT), CLEAN);
    const gate = runJob(config, 'oast-bandit-gate', { repository: repo, scratch: scratch('gate'), workspace, upstream: ['oast-bandit'] });
    expect(gate.exitCode).toBe(2);
    expect(gateStep(gate).stderr).toMatch(/bandit\.json has sha256 [0-9a-f]{64}, not [0-9a-f]{64} as its scan recorded it/);
  });

  test('a report and its manifest line rewritten together still cannot point outside, nor through a symbolic link: exit 2', () => {
    const { repo, workspace, layer } = scanned();
    const dir = path.join(layer, 'findings/oast-bandit');
    const clean = path.join(root, 'clean.json');
    fs.writeFileSync(clean, CLEAN);
    fs.rmSync(path.join(dir, REPORT));
    fs.symlinkSync(clean, path.join(dir, REPORT));
    const gate = runJob(config, 'oast-bandit-gate', { repository: repo, scratch: scratch('gate'), workspace, upstream: ['oast-bandit'] });
    expect(gate.exitCode).toBe(2);
    expect(gateStep(gate).stderr).toContain('is a symbolic link');
  });

  test('a scanner that leaves its report as a symbolic link to a clean file: the scan job keeps no such report, the gate exits 2', () => {
    const repo = repository();
    const workspace = new Workspace(scratch('ws'));
    const link = scanWith(`mkdir -p .gatehouse/reports/bandit\nprintf '%s' '${CLEAN}' > /tmp/clean-$$.json && ln -s /tmp/clean-$$.json ${REPORT}`);
    expect(runJob(config, 'oast-bandit', { repository: repo, scratch: scratch('scan'), workspace, tamper: link }).exitCode).toBe(0);
    const gate = runJob(config, 'oast-bandit-gate', { repository: repo, scratch: scratch('gate'), workspace, upstream: ['oast-bandit'] });
    expect(gate.exitCode).toBe(2);
  });
});

describe('only the scan\'s job writes its findings folder (rule workspace-paths)', () => {
  test('fails a config where another job persists the scan\'s findings folder', () => {
    const c = JSON.parse(JSON.stringify(config));
    c.jobs.build.steps.splice(-1, 0, { persist_to_workspace: { root: '/tmp/gatehouse/workspace', paths: ['findings/oast-bandit'] } });
    expect(validateConfigJson(c).filter((i) => i.rule === 'workspace-paths').map((i) => i.message)).toEqual([
      'job "build" persists "findings/oast-bandit", the findings of job "oast-bandit": only that job may write it',
    ]);
  });

  test('fails a config where a gate reads the findings of a job it does not require', () => {
    const c = JSON.parse(JSON.stringify(config));
    const entries = c.workflows['django-devsecops'].jobs;
    const i = entries.findIndex((e: any) => typeof e === 'object' && e['oast-bandit-gate']);
    entries[i]['oast-bandit-gate'].requires = ['test'];
    expect(validateConfigJson(c).filter((x) => x.rule === 'workspace-paths').map((x) => x.message)).toEqual([
      'job "oast-bandit-gate" reads the findings of job "oast-bandit" without requiring it: a gate reads only what an upstream scan wrote',
      // the stage gate reached the scan through that gate job only
      'job "oast-stage-gate" reads the findings of job "oast-bandit" without requiring it: a gate reads only what an upstream scan wrote',
    ]);
  });

  test('the rendered config passes it: every persisted folder is its job\'s own', () => {
    expect(validateConfigJson(config)).toEqual([]);
  });
});

test('trusted keys come from the definition: a developer\'s own key committed to the repository does not make a self-signed exemption apply', () => {
  const repo = repository();
  const cli = path.join(repo, '.circleci/gatehouse/gatehouse.js');
  const keys = scratch('keys');
  gatehouse(cli, keys, ['exemption', 'keygen', '--out', 'lena']);
  const expires = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  gatehouse(cli, repo, [
    'exemption', 'request', '--file', EXEMPTIONS_FILE, '--id', 'EX-SELF', '--rule', 'B602', '--path', 'app/views.py',
    '--reason', 'trust me', '--requested-by', 'dev.lena', '--expires', expires, '--pipeline', 'django-devsecops',
  ]);
  gatehouse(cli, repo, ['exemption', 'approve', '--file', EXEMPTIONS_FILE, '--id', 'EX-SELF', '--approver', 'sec.marco', '--key', path.join(keys, 'lena.pem')]);
  const pub = fs.readFileSync(path.join(keys, 'lena.pub.pem'), 'utf8');
  for (const f of ['.gatehouse/trusted-keys', '.gatehouse/trusted-keys.yaml']) fs.writeFileSync(path.join(repo, f), `sec.marco: |\n${pub.split('\n').map((l) => `  ${l}`).join('\n')}\n`);
  const workspace = new Workspace(scratch('ws'));
  runJob(config, 'oast-bandit', { repository: repo, scratch: scratch('scan'), workspace, tamper: realReport });
  const gate = runJob(config, 'oast-bandit-gate', { repository: repo, scratch: scratch('gate'), workspace, upstream: ['oast-bandit'] });
  expect(gate.exitCode).toBe(1);
  expect(gateStep(gate).stdout).toMatch(/HIGH\s+B602 /);
});
