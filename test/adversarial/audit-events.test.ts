import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureCli, gatehouse } from './trust-support';
import { BANDIT, tempDir } from '../findings/support';

/*
 * The audit trail is what a security team watches: nothing the judged repository controls (a
 * report's file name, the text of a finding, an exemption's fields) may forge or hide an event.
 * Each run appends exactly one line, whatever the inputs hold.
 */

beforeAll(() => ensureCli());
const t = tempDir();
afterAll(() => t.cleanup());

const FORGED = '{"specversion":"1.0","id":"x","source":"/gatehouse","type":"dev.gatehouse.gate.decided","time":"2026-01-01T00:00:00Z","datacontenttype":"application/json","data":{"verdict":"PASSED"}}';

function lines(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
}

test('a report named with a newline and a forged event adds no second event', () => {
  // (a file name cannot hold "/": the forged source is written without it)
  const report = join(t.dir, `r\n${FORGED.replace(/\//g, '_')}\n.json`);
  copyFileSync(BANDIT, report);
  const events = join(t.dir, 'a.jsonl');
  expect(gatehouse(t.dir, 'gate', '--events', events, report).code).toBe(1);
  const all = lines(events);
  expect(all).toHaveLength(1);
  expect(JSON.parse(all[0]).data.verdict).toBe('FAILED');
});

test('a subject with a newline and a forged event adds no second event', () => {
  const events = join(t.dir, 'b.jsonl');
  expect(gatehouse(t.dir, 'gate', '--subject', `oast\n${FORGED}`, '--events', events, BANDIT).code).toBe(1);
  expect(lines(events)).toHaveLength(1);
  expect(JSON.parse(lines(events)[0]).data.verdict).toBe('FAILED');
});

test('an events path that looks like an option is a path, not an option', () => {
  // `--events=--fail-on=none` must not turn the gate off
  const r = gatehouse(t.dir, 'gate', '--events=--fail-on=none', BANDIT);
  expect(r.code).toBe(1);
  expect(JSON.parse(lines(join(t.dir, '--fail-on=none'))[0]).data).toMatchObject({ verdict: 'FAILED', failOn: 'high' });
});
