import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { BANDIT, fixture, isoDay, ROOT, tempDir, TRIVY } from '../support';
import { ensureBundledCli } from './bundled-cli';

const CLI = join(ROOT, 'assets', 'gatehouse.js');

beforeAll(() => {
  // `npm test` bundles the CLI first; build it when this file runs on its own
  ensureBundledCli();
});

const t = tempDir();
afterAll(() => t.cleanup());

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: t.dir, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('gatehouse findings', () => {
  test('prints the contract JSON and exits 0', () => {
    const r = run('findings', BANDIT, TRIVY);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(['findings', 'summary']);
    expect(Object.keys(doc.summary)).toEqual(['total', 'bySeverity', 'byTool']);
    expect(Object.keys(doc.summary.bySeverity)).toEqual(['critical', 'high', 'medium', 'low', 'info', 'unknown']);
    expect(doc.summary.byTool).toEqual({ bandit: 9, trivy: doc.summary.total - 9 });
    expect(doc.findings).toHaveLength(doc.summary.total);
    expect(doc.findings[0]).toMatchObject({ fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/), status: 'open' });
  });

  test('exits 0 even with critical findings (it reports, it does not gate)', () => {
    expect(run('findings', TRIVY).code).toBe(0);
  });
});

describe('gatehouse gate', () => {
  test('exits 1 when the gate fails and 0 when it passes, with a human summary', () => {
    const fail = run('gate', BANDIT);
    expect(fail.code).toBe(1);
    expect(fail.stdout).toMatch(/^gatehouse gate: FAILED/);
    expect(fail.stdout).toContain('✗ 1 high finding at or above --fail-on high');
    const pass = run('gate', '--fail-on', 'critical', BANDIT);
    expect(pass.code).toBe(0);
    expect(pass.stdout).toMatch(/^gatehouse gate: PASSED/);
  });

  test('--allow-failure exits 0 but says FAILED', () => {
    const r = run('gate', '--allow-failure', BANDIT);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^gatehouse gate: FAILED \(failure allowed: exit 0\)/);
  });

  test('budgets: --max-high 1 lets the one high finding through, --max-low 3 does not let four lows', () => {
    expect(run('gate', '--max-high', '1', BANDIT).code).toBe(0);
    expect(run('gate', '--max-high', '1', '--max-low', '3', BANDIT).code).toBe(1);
  });

  test('writes every output asked for, creating folders', () => {
    const out = join(t.dir, 'out', 'nested');
    const r = run('gate', '--sarif', `${out}/g.sarif`, '--junit', `${out}/j.xml`, '--json', `${out}/g.json`, '--markdown', `${out}/g.md`, BANDIT);
    expect(r.code).toBe(1);
    expect(JSON.parse(readFileSync(`${out}/g.sarif`, 'utf8')).version).toBe('2.1.0');
    expect(readFileSync(`${out}/j.xml`, 'utf8')).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /);
    expect(JSON.parse(readFileSync(`${out}/g.json`, 'utf8')).gate.verdict).toBe('FAILED');
    expect(readFileSync(`${out}/g.md`, 'utf8')).toMatch(/^## ❌ gatehouse gate: FAILED/);
  });

  test('takes the arguments the pipeline model renders (GatePolicy.gateArgs)', () => {
    const ex = t.file('ex.yaml', readFileSync(fixture('exemptions', 'exemptions.yaml')));
    const vex = t.file('vex.json', readFileSync(fixture('openvex', 'defectdojo', 'openvex_openvex_many_vuln.json')));
    const r = run('gate', '--fail-on', 'high', '--unknown-as', 'high', '--max-medium', '10', '--exemptions', ex, '--approvers', 'sec.bob,sec.carol', '--max-exemption-days', '3650', '--vex', vex, '--vex', vex, '--sarif', 'o/gatehouse.sarif', '--json', 'o/gatehouse.json', '--junit', 'o/gatehouse-junit.xml', '--markdown', 'o/gatehouse.md', BANDIT);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('exemption EX-1: applied to 1 finding(s)');
  });
});

describe('bad input exits 2 with a message naming the file, for both commands', () => {
  const text = readFileSync(BANDIT, 'utf8');
  const bad = (schemaBroken: string) => {
    const doc = JSON.parse(text);
    doc.results = schemaBroken;
    return JSON.stringify(doc);
  };
  const cases: Array<[string, () => string, RegExp]> = [
    ['missing', () => join(t.dir, 'missing.json'), /missing\.json: does not exist/],
    ['empty', () => t.file('empty.json', ''), /empty\.json: is empty/],
    ['truncated', () => t.file('truncated.json', text.slice(0, 500)), /truncated\.json: is not valid JSON/],
    ['binary', () => t.file('binary.json', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00])), /binary\.json: is binary/],
    ['unrecognized', () => t.file('unknown.json', '{"report":"nope"}'), /unknown\.json: unrecognized format/],
    ['schema-invalid', () => t.file('invalid.json', bad('not a list')), /invalid\.json: .*results/],
  ];
  test.each(cases)('%s report', (_what, make, message) => {
    const file = make();
    for (const cmd of ['findings', 'gate']) {
      const r = run(cmd, BANDIT, file);
      expect({ cmd, code: r.code }).toEqual({ cmd, code: 2 });
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
  });

  test('a bad side input exits 2 too (exemptions, baseline, VEX, trusted keys, approvers)', () => {
    const junk = t.file('junk.txt', 'hello');
    for (const flag of ['--exemptions', '--baseline', '--vex', '--trusted-keys']) {
      const r = run('gate', flag, junk, BANDIT);
      expect({ flag, code: r.code }).toEqual({ flag, code: 2 });
      expect(r.stderr).toContain('junk.txt');
    }
    expect(run('gate', '--approvers', ',', BANDIT).code).toBe(2);
  });

  test('an output that cannot be written exits 2', () => {
    const r = run('gate', '--json', join(BANDIT, 'x.json'), BANDIT);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot write/);
  });
});

describe('usage errors exit 2, not commander\'s 1', () => {
  test.each([
    [['gate']],
    [['findings']],
    [[]],
    [['nonsense']],
    [['gate', '--no-such-option', 'x.json']],
    [['gate', '--fail-on', 'severe', 'x.json']],
    [['gate', '--max-high', '-1', 'x.json']],
    [['gate', '--unknown-as', 'none', 'x.json']],
    [['gate', '--new-only', 'x.json']],
    [['exemption', 'request', '--file', 'x.yaml']],
  ])('gatehouse %j', (args) => {
    const r = run(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toBe('');
  });

  test('--help and --version exit 0', () => {
    expect(run('--help').code).toBe(0);
    expect(run('gate', '--help').code).toBe(0);
    const version = run('--version');
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });
});

describe('exemption flow', () => {
  test('keygen, request, approve (signed), then the gate with trusted keys passes; an edit makes it fail', () => {
    // GIVEN an approver key pair
    expect(run('exemption', 'keygen', '--out', 'bob').code).toBe(0);
    expect(run('exemption', 'keygen', '--out', 'bob').code).toBe(2); // never overwrites
    const keys = t.file('trusted.yaml', stringify({ 'sec.bob': readFileSync(join(t.dir, 'bob.pub.pem'), 'utf8') }));
    // WHEN a developer requests and a security approver approves
    const file = join(t.dir, 'flow.yaml');
    const req = run('exemption', 'request', '--file', file, '--id', 'EX-9', '--rule', 'B602', '--path', 'app/**', '--reason', 'constant input', '--requested-by', 'dev.alice', '--expires', isoDay(30));
    expect(req).toMatchObject({ code: 0, stderr: '' });
    expect(run('exemption', 'approve', '--file', file, '--id', 'EX-9', '--approver', 'dev.alice', '--key', 'bob.pem').code).toBe(2);
    expect(run('exemption', 'approve', '--file', file, '--id', 'EX-9', '--approver', 'sec.bob', '--key', 'bob.pem').code).toBe(0);
    // THEN the signed exemption applies
    const gate = ['gate', '--exemptions', file, '--approvers', 'sec.bob', '--trusted-keys', keys, BANDIT];
    expect(run(...gate).code).toBe(0);
    // WHEN someone widens it after signing THEN it no longer applies
    const doc = parse(readFileSync(file, 'utf8'));
    doc.exemptions[0].path = '**';
    writeFileSync(file, stringify(doc));
    const after = run(...gate);
    expect(after.code).toBe(1);
    expect(after.stdout).toMatch(/exemption EX-9: REJECTED — signature does not verify/);
  });

  test('request refuses an expiry in the past', () => {
    const r = run('exemption', 'request', '--file', 'p.yaml', '--id', 'EX-1', '--rule', 'B602', '--reason', 'r', '--requested-by', 'a', '--expires', isoDay(-1));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is in the past/);
  });
});
