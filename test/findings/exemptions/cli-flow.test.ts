import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { ensureCli, gatehouse } from '../../adversarial/trust-support';
import { BANDIT, fixture, isoDay, tempDir } from '../support';

beforeAll(() => ensureCli());
const t = tempDir();
afterAll(() => t.cleanup());

test('request --pipeline and --max-days, approve --max-days, then the gate with --pipeline', () => {
  expect(gatehouse(t.dir, 'exemption', 'keygen', '--out', 'bob').code).toBe(0);
  const keys = t.file('keys.yaml', stringify({ 'sec.bob': readFileSync(join(t.dir, 'bob.pub.pem'), 'utf8') }));
  const file = join(t.dir, 'ex.yaml');
  const request = ['exemption', 'request', '--file', file, '--id', 'EX-1', '--rule', 'B602', '--reason', 'constant input', '--requested-by', 'dev.alice', '--pipeline', 'web'];
  const tooLong = gatehouse(t.dir, ...request, '--expires', isoDay(200));
  expect(tooLong.code).toBe(2);
  expect(tooLong.stderr).toMatch(/is more than 90 days after/);
  expect(gatehouse(t.dir, ...request, '--expires', isoDay(200), '--max-days', '0').code).toBe(2);
  expect(gatehouse(t.dir, ...request, '--expires', isoDay(200), '--max-days', '365').code).toBe(0);
  expect(parse(readFileSync(file, 'utf8')).exemptions[0].pipeline).toBe('web');
  // the approver keeps to the gate's 90 days unless told otherwise
  expect(gatehouse(t.dir, 'exemption', 'approve', '--file', file, '--id', 'EX-1', '--approver', 'sec.bob', '--key', 'bob.pem').code).toBe(2);
  expect(gatehouse(t.dir, 'exemption', 'approve', '--file', file, '--id', 'EX-1', '--approver', 'sec.bob', '--key', 'bob.pem', '--max-days', '365').code).toBe(0);
  const gate = ['gate', '--exemptions', file, '--approvers', 'sec.bob', '--trusted-keys', keys];
  expect(gatehouse(t.dir, ...gate, '--pipeline', 'web', BANDIT).code).toBe(1); // 200 days > 90
  expect(gatehouse(t.dir, ...gate, '--pipeline', 'web', '--max-exemption-days', '365', BANDIT).code).toBe(0);
  expect(gatehouse(t.dir, ...gate, '--pipeline', 'api', '--max-exemption-days', '365', BANDIT).code).toBe(1);
  expect(gatehouse(t.dir, ...gate, '--max-exemption-days', '365', BANDIT).code).toBe(1);
});

test.each([
  [['--max-exemption-days', '0']],
  [['--max-exemption-days', '3651']],
  [['--max-exemption-days', 'many']],
  [['--baseline', fixture('baseline', 'bandit-1.6.2-without-b602.json'), '--trusted-baseline', fixture('baseline', 'bandit-1.6.2-without-b602.json')]],
  [['--approvers', 'sec.bob,SEC.B0B']],
  [['--pipeline', 'web\u200b']],
])('gate %j exits 2', (args) => {
  const r = gatehouse(t.dir, 'gate', ...args, BANDIT);
  expect(r.code).toBe(2);
  expect(r.stderr).not.toBe('');
});

test('--new-only works with --trusted-baseline', () => {
  // only the new B602 (high) counts: within --max-high 1; without the baseline the lows would fail
  const args = ['gate', '--fail-on', 'low', '--max-high', '1', '--new-only', BANDIT];
  expect(gatehouse(t.dir, ...args.slice(0, 5), '--trusted-baseline', fixture('baseline', 'bandit-1.6.2-without-b602.json'), BANDIT).code).toBe(1);
  const r = gatehouse(t.dir, ...args.slice(0, 6), '--trusted-baseline', fixture('baseline', 'bandit-1.6.2-without-b602.json'), BANDIT);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/baseline: 8 existing, 1 new/);
});
