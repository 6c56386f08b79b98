import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GATE_VALUE_NAMES } from '../../../src/core/gate-values';
import { gateEmissionValues, gateEnvText } from '../../../src/findings/outputs/emit';
import { zeroBySeverity } from '../../../src/findings/summary';
import { BANDIT, fixture, TRIVY, tempDir } from '../support';
import { CLI, ensureBundledCli } from './bundled-cli';

/*
 * `gate --emit-env FILE` and `--emit-results DIR`: what the engines read instead of the JSON output.
 * Every value must be the decision's: the verdict agrees with the exit code and the JSON, the
 * counts are the JSON's summary.bySeverity.
 */

beforeAll(() => ensureBundledCli());

const t = tempDir();
afterAll(() => t.cleanup());

let n = 0;
interface EmitRun {
  readonly code: number | null;
  readonly stderr: string;
  /** The env file's text, or undefined when it was not written. */
  readonly env?: string;
  /** The results folder's files by name. */
  readonly results: Record<string, string>;
  /** The JSON output, when written. */
  readonly json?: any;
}

/** Runs `gate` with both emit targets (fresh) and a JSON output, plus `args`. */
function gate(...args: string[]): EmitRun {
  const dir = join(t.dir, `run-${++n}`);
  mkdirSync(dir);
  const env = join(dir, 'gate.env');
  const results = join(dir, 'results');
  const json = join(dir, 'out', 'gatehouse.json');
  const r = spawnSync(process.execPath, [CLI, 'gate', '--json', json, '--emit-env', env, '--emit-results', results, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  return {
    code: r.status,
    stderr: r.stderr,
    env: existsSync(env) ? readFileSync(env, 'utf8') : undefined,
    results: existsSync(results) ? Object.fromEntries(readdirSync(results).map((f) => [f, readFileSync(join(results, f), 'utf8')])) : {},
    json: existsSync(json) ? JSON.parse(readFileSync(json, 'utf8')) : undefined,
  };
}

/** What the values must be for a decided run: the JSON's counts and verdict. */
function expectedValues(json: any): Record<string, string> {
  const counts = json.summary.bySeverity;
  return {
    GATE_CRITICAL: String(counts.critical),
    GATE_HIGH: String(counts.high),
    GATE_MEDIUM: String(counts.medium),
    GATE_LOW: String(counts.low),
    GATE_INFO: String(counts.info),
    GATE_UNKNOWN: String(counts.unknown),
    GATE_VERDICT: json.gate.verdict,
  };
}

/** The variables a POSIX shell holds after sourcing the env file. */
function sourced(envText: string): Record<string, string> {
  const file = t.file(`sourced-${++n}.env`, envText);
  const r = spawnSync('sh', ['-c', `set -a && . "${file}" && env`], { encoding: 'utf8', env: {} });
  expect(r.status).toBe(0);
  return Object.fromEntries(r.stdout.split('\n').filter((l) => l.startsWith('GATE_')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

describe('gate --emit-env / --emit-results', () => {
  test('a failed gate (exit 1): both targets hold the JSON\'s counts and verdict FAILED, the env file sources in sh', () => {
    const r = gate(BANDIT);
    expect(r.code).toBe(1);
    const want = expectedValues(r.json);
    expect(want).toMatchObject({ GATE_VERDICT: 'FAILED', GATE_HIGH: '1', GATE_MEDIUM: '4', GATE_LOW: '4' });
    expect(r.env).toBe(GATE_VALUE_NAMES.map((name) => `${name}=${want[name]}\n`).join(''));
    expect(r.results).toEqual(want);
    expect(sourced(r.env!)).toEqual(want);
  });

  test('a passed gate (exit 0): verdict PASSED with the counts', () => {
    const r = gate('--fail-on', 'critical', BANDIT);
    expect(r.code).toBe(0);
    expect(r.results).toEqual({ ...expectedValues(r.json), GATE_VERDICT: 'PASSED' });
    expect(sourced(r.env!)).toEqual(r.results);
  });

  const CLEAN = fixture('bandit', 'defectdojo', 'bandit_no_vuln.json');
  test.each([
    ['critical', 'bandit', BANDIT], ['high', 'bandit', BANDIT], ['medium', 'bandit', BANDIT], ['none', 'bandit', BANDIT],
    ['critical', 'trivy', TRIVY], ['high', 'trivy', TRIVY], ['info', 'a clean bandit report', CLEAN],
  ])('the values agree with the decision: --fail-on %s over %s', (failOn, _name, report) => {
    const r = gate('--fail-on', failOn, report);
    expect([0, 1]).toContain(r.code);
    expect(r.results.GATE_VERDICT).toBe(r.code === 0 ? 'PASSED' : 'FAILED');
    expect(r.results).toEqual(expectedValues(r.json));
    expect(sourced(r.env!)).toEqual(r.results);
  });

  test('budgets change the verdict, and the values follow it', () => {
    const pass = gate('--max-high', '1', '--max-medium', '4', '--max-low', '4', BANDIT);
    const fail = gate('--max-high', '1', '--max-medium', '4', '--max-low', '3', BANDIT);
    expect([pass.code, pass.results.GATE_VERDICT, fail.code, fail.results.GATE_VERDICT]).toEqual([0, 'PASSED', 1, 'FAILED']);
  });

  test('bad input (exit 2): verdict ERROR alone, in both targets', () => {
    const r = gate('missing-report.json');
    expect(r.code).toBe(2);
    expect(r.env).toBe('GATE_VERDICT=ERROR\n');
    expect(r.results).toEqual({ GATE_VERDICT: 'ERROR' });
  });

  test('a report of the wrong format (exit 2) says ERROR, never the counts of what was read', () => {
    const r = gate('--expect-format', 'trivy-json', BANDIT);
    expect(r.code).toBe(2);
    expect(r.results).toEqual({ GATE_VERDICT: 'ERROR' });
  });

  test('an output that cannot be written after the decision (exit 2) turns the values to ERROR', () => {
    // GIVEN a SARIF path under a regular file
    const file = t.file('not-a-folder', 'x');
    // WHEN
    const r = gate('--sarif', join(file, 'g.sarif'), BANDIT);
    // THEN
    expect(r.code).toBe(2);
    expect(r.env).toBe('GATE_VERDICT=ERROR\n');
    expect(r.results).toEqual({ GATE_VERDICT: 'ERROR' });
  });

  test('an emit target that cannot be written is bad input (exit 2); the other target says ERROR', () => {
    const file = t.file('blocker', 'x');
    const dir = join(t.dir, `bad-${++n}`);
    mkdirSync(dir);
    const env = join(dir, 'gate.env');
    const r = spawnSync(process.execPath, [CLI, 'gate', '--emit-env', env, '--emit-results', join(file, 'results'), BANDIT], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`cannot write ${join(file, 'results')}`);
    expect(readFileSync(env, 'utf8')).toBe('GATE_VERDICT=ERROR\n');
  });
});

describe('the emitted values, checked before they are written', () => {
  test('counts are whole numbers and come with PASSED or FAILED only; the verdict is one of three words', () => {
    const counts = zeroBySeverity();
    expect(gateEnvText({ verdict: 'PASSED', counts })).toBe('GATE_CRITICAL=0\nGATE_HIGH=0\nGATE_MEDIUM=0\nGATE_LOW=0\nGATE_INFO=0\nGATE_UNKNOWN=0\nGATE_VERDICT=PASSED\n');
    expect(() => gateEmissionValues({ verdict: 'PASSED', counts: { ...counts, high: 1.5 } })).toThrow(/count of high is 1.5, not a whole number/);
    expect(() => gateEmissionValues({ verdict: 'FAILED', counts: { ...counts, low: -1 } })).toThrow(/count of low is -1/);
    expect(() => gateEmissionValues({ verdict: 'ERROR', counts })).toThrow(/verdict ERROR comes with counts/);
    expect(() => gateEmissionValues({ verdict: 'FAILED' })).toThrow(/verdict FAILED lacks counts/);
    expect(() => gateEmissionValues({ verdict: '$(reboot)' as any, counts })).toThrow(/not one of PASSED, FAILED, ERROR/);
  });
});
