/**
 * Attack: the app team silences a HIGH finding in its own repository, with no approver and no
 * expiry — a `# nosec` comment on the line, a committed `.bandit` that skips the test, a
 * `[tool.bandit]` skip in `pyproject.toml` — and expects the catalog's Bandit gate to pass.
 *
 * Each case runs the catalog Bandit step's exact commands with the real bandit on
 * test/samples/bandit-nosec-app (or a copy with one mechanism left out), then the bundled gate
 * (`node assets/gatehouse.js gate --fail-on high -- <report>`) over the report, and asserts the
 * gate's exit code: 1, the finding is not suppressed. The control case shows each mechanism does
 * silence bandit when it is honoured (the invocation the catalog rendered before), so a pass
 * there is the attack working, not an empty sample.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildSync } from 'esbuild';
import { Bandit } from '../../src/security';
import { ROOT, runStep, withTools } from '../security/real-tools';

const SAMPLE = 'bandit-nosec-app';
const WORK = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-suppressions-'));
const GATE = path.join(ROOT, 'assets/gatehouse.js');
const INSTALL = 'apt-get install -y bandit';

beforeAll(() => {
  // the gate the engines ship (`npx projen bundle:cli`); bundled the same way when it is missing
  if (!fs.existsSync(GATE)) {
    buildSync({
      entryPoints: [path.join(ROOT, 'src/findings/cli.ts')],
      bundle: true,
      platform: 'node',
      target: 'node20',
      outfile: GATE,
      logLevel: 'error',
      legalComments: 'none',
    });
  }
});

afterAll(() => fs.rmSync(WORK, { recursive: true, force: true }));

/** The bundled gate at `--fail-on high` over one report: its exit code. */
function gate(dir: string, report: string): number {
  const res = spawnSync('node', [GATE, 'gate', '--fail-on', 'high', '--', report], { cwd: dir, encoding: 'utf8' });
  if (res.status === 2) throw new Error(`the gate refused the report (exit 2): ${res.stderr}`);
  return res.status ?? -1;
}

/** HIGH results of a bandit JSON report. */
function highs(dir: string, report: string): string[] {
  const results = JSON.parse(fs.readFileSync(path.join(dir, report), 'utf8')).results as Array<{ test_id: string; issue_severity: string }>;
  return results.filter((r) => r.issue_severity === 'HIGH').map((r) => r.test_id);
}

const withoutBanditFile = (dir: string) => fs.rmSync(path.join(dir, '.bandit'));
const withoutNosec = (dir: string) => {
  const file = path.join(dir, 'app/views.py');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/ {2}# nosec.*$/gm, ''));
};

describe('in-source suppressions do not pass the catalog Bandit gate (real bandit)', () => {
  const step = new Bandit();

  const cases: Array<[string, ((dir: string) => void) | undefined]> = [
    ['# nosec comments and a committed .bandit skipping B602 (the sample as committed)', undefined],
    ['# nosec comments only', withoutBanditFile],
    ['a committed .bandit with skips: B602 only', withoutNosec],
  ];
  for (const [what, setup] of cases) {
    withTools(['bandit'], INSTALL, `${what}: the HIGH is reported and the gate fails (exit 1)`, () => {
      const run = runStep(step, WORK, SAMPLE, { setup });
      expect(run.stderr).not.toContain('gatehouse:');
      expect(run.status).toBe(0);
      expect(highs(run.dir, step.reportFile)).toEqual(['B602', 'B602']);
      expect(gate(run.dir, step.reportFile)).toBe(1);
    });
  }

  test('a [tool.bandit] skip in pyproject.toml cannot be passed: the catalog refuses a repository configuration file', () => {
    expect(() => new Bandit({ configFile: 'pyproject.toml' })).toThrow(/configFile "pyproject.toml" is a file of the repository being judged/);
    expect(() => new Bandit({ extraArgs: ['-c', 'pyproject.toml'] })).toThrow(/would let the repository suppress findings/);
  });

  withTools(['bandit'], INSTALL, 'control: honoured, each mechanism does silence bandit and the gate passes (exit 0)', () => {
    for (const setup of [undefined, withoutBanditFile, withoutNosec]) {
      const dir = fs.mkdtempSync(path.join(WORK, 'control-'));
      fs.cpSync(path.join(ROOT, 'test/samples', SAMPLE), dir, { recursive: true });
      setup?.(dir);
      // the invocation the catalog rendered before in-source suppressions were turned off
      const res = spawnSync('bandit', ['-r', '.', '-f', 'json', '-o', 'bandit.json'], { cwd: dir, encoding: 'utf8' });
      expect(res.status).toBe(setup === withoutNosec || setup === undefined ? 0 : 1);
      expect(highs(dir, 'bandit.json')).toEqual([]);
      expect(gate(dir, 'bandit.json')).toBe(0);
    }
  });
});
