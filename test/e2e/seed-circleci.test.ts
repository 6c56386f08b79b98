/**
 * End to end, CircleCI: the seed's `oast-bandit` scan job and its gate job exactly as rendered
 * run here with `sh` (see support/circleci-job.ts for what stands in for CircleCI), with the
 * bundled gate the engine shipped in `.circleci/gatehouse/gatehouse.js`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { gatehouse } from './support/bundle';
import { runJob, Workspace } from './support/circleci-job';
import { copySample, readJson, ROOT, scratchRoot, withTools } from './support/tools';
import { CIRCLECI_REVIEW_URL } from '../../examples/django-devsecops/circleci';
import { djangoDevSecOps, EXEMPTIONS_FILE, TRUSTED_KEYS } from '../../examples/django-devsecops/pipeline';
import * as circleci from '../../src/circleci';

const EXAMPLE = path.join(ROOT, 'examples/django-devsecops');
/** A real bandit 1.6.2 report of samples/bandit-app (1 HIGH: B602 in app/views.py). */
const BANDIT_FIXTURE = path.join(ROOT, 'test/fixtures/bandit/bandit-1.6.2.json');
const { root, cleanup } = scratchRoot('gatehouse-e2e-seed-circleci-');
afterAll(cleanup);

const engine = new circleci.CircleCiEngine(djangoDevSecOps({ reviewUrl: CIRCLECI_REVIEW_URL }));
const config = engine.toJson();
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

function scratch(name: string): string {
  return fs.mkdtempSync(path.join(root, `${name}-`));
}

/** The application repository: the bandit sample, the seed's exemptions, and the files the engine wrote. */
function appRepository(): string {
  const dir = copySample('bandit-app', path.join(root, 'src'));
  fs.mkdirSync(path.dirname(path.join(dir, EXEMPTIONS_FILE)), { recursive: true });
  fs.copyFileSync(path.join(EXAMPLE, EXEMPTIONS_FILE), path.join(dir, EXEMPTIONS_FILE));
  engine.writeTo(dir);
  return dir;
}

/** The scan job with its scanner replaced by the real bandit report of the fixtures (the rest of the job as rendered). */
function fixtureScan(name: string, command: string): string {
  if (name !== 'bandit') return command;
  const scan = command.indexOf('\n)\ncode=$?');
  return `(\nset -e\nmkdir -p .gatehouse/reports/bandit\ncp ${BANDIT_FIXTURE} .gatehouse/reports/bandit/bandit.json${command.slice(scan)}`;
}

/** Runs oast-bandit then oast-bandit-gate in one workflow workspace. */
function workflow(repository: string, options: { scan?: (n: string, c: string) => string; gate?: (n: string, c: string) => string } = {}) {
  const workspace = new Workspace(scratch('ws'));
  const scan = runJob(config, 'oast-bandit', { repository, scratch: scratch('scan'), workspace, tamper: options.scan });
  const gate = runJob(config, 'oast-bandit-gate', { repository, scratch: scratch('gate'), workspace, upstream: ['oast-bandit'], tamper: options.gate });
  return { scan, gate, workspace };
}

describe('the seed oast-bandit jobs on CircleCI, run here with sh and the shipped bundle', () => {
  test('a real bandit report with a HIGH finding: the scan job passes, the gate job FAILS, outputs and the JUnit verdict are kept', () => {
    const { scan, gate } = workflow(appRepository(), { scan: fixtureScan });
    expect(scan.exitCode).toBe(0);
    expect(gate.exitCode).toBe(1);
    const gateStep = gate.steps.find((s) => s.name === 'gatehouse gate')!;
    expect(gateStep.stdout).toContain('gatehouse gate: FAILED');
    expect(gateStep.stdout).toMatch(/HIGH\s+B602 /);
    expect(gate.steps.at(-1)!.name).toBe('gatehouse: finish');
    expect(fs.readdirSync(path.join(gate.workDir, 'keep/gate')).sort()).toEqual(['gatehouse-events.jsonl', 'gatehouse-junit.xml', 'gatehouse.html', 'gatehouse.json', 'gatehouse.md', 'gatehouse.sarif']);
    expect(fs.readFileSync(path.join(gate.workDir, 'test-results/gatehouse/oast-bandit-gate.xml'), 'utf8')).toContain('B602');
    // the scanner's report is kept by the scan job, whatever the gate says
    expect(readJson(path.join(scan.workDir, 'keep/reports/findings/.gatehouse/reports/bandit/bandit.json')).results).toHaveLength(9);
  });

  withTools(['bandit', 'node'], 'the real bandit on the sample: the scan job as rendered, then the gate FAILS on B602', () => {
    const { scan, gate } = workflow(appRepository());
    expect(scan.exitCode).toBe(0);
    expect(gate.exitCode).toBe(1);
    expect(gate.steps.find((s) => s.name === 'gatehouse gate')!.stdout).toMatch(/HIGH\s+B602 /);
  });

  test('an exemption requested by a developer and signed by a security approver lets the same gate pass', () => {
    const repository = appRepository();
    const cli = path.join(repository, '.circleci/gatehouse/gatehouse.js');
    const keys = scratch('keys');
    gatehouse(cli, keys, ['exemption', 'keygen', '--out', 'marco']);
    const pub = fs.readFileSync(path.join(keys, 'marco.pub.pem'), 'utf8').trim();
    const trusted = TRUSTED_KEYS.replace(/sec\.marco: \|\n(  .*\n?)+/, `sec.marco: |\n${pub.split('\n').map((l) => `  ${l}`).join('\n')}\n`);
    expect(trusted).not.toBe(TRUSTED_KEYS);
    const expires = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    gatehouse(cli, repository, [
      'exemption', 'request', '--file', EXEMPTIONS_FILE, '--id', 'EX-E2E-1', '--rule', 'B602', '--path', 'app/views.py',
      '--reason', 'ping runs against a fixed allow-list in production', '--requested-by', 'dev.lena', '--expires', expires, '--pipeline', 'django-devsecops',
    ]);
    gatehouse(cli, repository, ['exemption', 'approve', '--file', EXEMPTIONS_FILE, '--id', 'EX-E2E-1', '--approver', 'sec.marco', '--key', path.join(keys, 'marco.pem')]);
    // the platform's trusted keys, in the definition: the config carries them (base64) into the gate job
    const withKeys = (n: string, c: string) => {
      if (n !== 'gatehouse gate') return c;
      expect(c).toContain(b64(TRUSTED_KEYS));
      return c.split(b64(TRUSTED_KEYS)).join(b64(trusted));
    };
    const { gate } = workflow(repository, { scan: fixtureScan, gate: withKeys });
    expect(gate.exitCode).toBe(0);
    const json = readJson(path.join(gate.workDir, 'keep/gate/gatehouse.json'));
    expect(json.findings.filter((f: any) => f.ruleId === 'B602').map((f: any) => f.status)).toEqual(['exempted']);
  });

  test('a missing report exits 2: no scan layer in the workspace, or a scan that wrote no report', () => {
    const repository = appRepository();
    const workspace = new Workspace(scratch('ws'));
    const none = runJob(config, 'oast-bandit-gate', { repository, scratch: scratch('gate'), workspace, upstream: ['oast-bandit'] });
    expect(none.exitCode).toBe(2);
    expect(none.steps[0].stderr).toContain('no findings at');
    const silent = (n: string, c: string) => (n === 'bandit' ? `(\ntrue${c.slice(c.indexOf('\n)\ncode=$?'))}` : c);
    const { scan, gate } = workflow(repository, { scan: silent });
    expect(scan.exitCode).toBe(0);
    expect(gate.exitCode).toBe(2);
    expect(gate.steps[0].stderr).toMatch(/gatehouse: error: .*\.gatehouse\/reports\/bandit\/bandit\.json/);
  });

  test('a swapped bundle exits 2 before any gate runs', () => {
    const repository = appRepository();
    // the repository's copy of the bundled gate replaced by one that always passes
    fs.writeFileSync(path.join(repository, '.circleci/gatehouse/gatehouse.js'), 'console.log("gatehouse gate: PASSED"); process.exit(0);\n');
    const { gate } = workflow(repository, { scan: fixtureScan });
    expect(gate.exitCode).toBe(2);
    expect(gate.steps[0].stderr).toMatch(/the bundled gate \.circleci\/gatehouse\/gatehouse\.js has sha256 [0-9a-f]{64}, not [0-9a-f]{64} as synthesized/);
    expect(gate.steps[0].stdout).not.toContain('PASSED');
  });
});
