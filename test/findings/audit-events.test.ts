import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, IncomingMessage } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { stringify } from 'yaml';
import { BANDIT, isoDay, tempDir } from './support';
import { CLI, ensureCli, gatehouse } from '../adversarial/trust-support';

/*
 * The gate's audit event, written by the real bundled CLI: one CloudEvent per run (a verdict, or
 * ERROR), valid against the committed schemas/audit-event.schema.json, to a file and to a
 * CloudEvents HTTP sink.
 */

const ROOT = join(__dirname, '..', '..');
const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'audit-event.schema.json'), 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: true, validateFormats: false }).compile(schema);

beforeAll(() => ensureCli());
const t = tempDir();
afterAll(() => t.cleanup());

/** The events of a file, each checked against the schema. */
function eventsOf(file: string): any[] {
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
  return lines.map((l) => {
    const e = JSON.parse(l);
    expect({ valid: validate(e), errors: validate.errors ?? null }).toEqual({ valid: true, errors: null });
    expect(Number.isNaN(Date.parse(e.time))).toBe(false);
    return e;
  });
}

const RUN_ENV = { GATEHOUSE_RUN_ID: 'exec-42', GATEHOUSE_TRIGGER: 'push', GATEHOUSE_COMMIT: '0123abcd' };

describe('gate --events', () => {
  test('a failed gate: verdict, counts, reports, the run it belongs to', () => {
    const file = join(t.dir, 'failed.jsonl');
    const env = { ...process.env, ...RUN_ENV };
    const r = spawnSync(process.execPath, [CLI, 'gate', '--pipeline', 'web', '--subject', 'oast/bandit', '--events', file, BANDIT], { cwd: t.dir, encoding: 'utf8', env });
    expect(r.status).toBe(1);
    const [event, ...more] = eventsOf(file);
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      specversion: '1.0',
      type: 'dev.gatehouse.gate.decided',
      source: '/gatehouse/pipelines/web',
      subject: 'oast/bandit',
      data: { pipeline: 'web', runId: 'exec-42', trigger: 'push', commit: '0123abcd', verdict: 'FAILED', failOn: 'high', total: 9, exemptions: [], baseline: null },
    });
    expect(event.data.counts).toEqual({ critical: 0, high: 1, medium: 4, low: 4, info: 0, unknown: 0 });
    expect(event.data.reports).toEqual([{ file: BANDIT, format: 'bandit-json' }]);
    expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('a signed exemption that turns the gate green is named with its approver and requester', () => {
    expect(gatehouse(t.dir, 'exemption', 'keygen', '--out', 'bob').code).toBe(0);
    const keys = t.file('keys.yaml', stringify({ 'sec.bob': readFileSync(join(t.dir, 'bob.pub.pem'), 'utf8') }));
    const ex = join(t.dir, 'ex.yaml');
    expect(gatehouse(t.dir, 'exemption', 'request', '--file', ex, '--id', 'EX-7', '--rule', 'B602', '--reason', 'constant input', '--requested-by', 'dev.alice', '--expires', isoDay(30)).code).toBe(0);
    expect(gatehouse(t.dir, 'exemption', 'approve', '--file', ex, '--id', 'EX-7', '--approver', 'sec.bob', '--key', 'bob.pem').code).toBe(0);
    const file = join(t.dir, 'passed.jsonl');
    const r = gatehouse(t.dir, 'gate', '--exemptions', ex, '--approvers', 'sec.bob', '--trusted-keys', keys, '--events', file, BANDIT);
    expect(r.code).toBe(0);
    const [event] = eventsOf(file);
    expect(event.data.verdict).toBe('PASSED');
    expect(event.data.exemptions).toEqual([{ id: 'EX-7', approvedBy: 'sec.bob', requestedBy: 'dev.alice', expires: isoDay(30), findings: 1 }]);
    expect(event.source).toBe('/gatehouse');
  });

  test('a gate that cannot decide writes verdict ERROR and why, and still exits 2', () => {
    const file = join(t.dir, 'error.jsonl');
    const r = gatehouse(t.dir, 'gate', '--events', file, join(t.dir, 'missing.json'));
    expect(r.code).toBe(2);
    const [event] = eventsOf(file);
    expect(event.data).toMatchObject({ verdict: 'ERROR', error: expect.stringContaining('missing.json') });
  });

  test('runs append: one line per run', () => {
    const file = join(t.dir, 'two.jsonl');
    gatehouse(t.dir, 'gate', '--events', file, BANDIT);
    gatehouse(t.dir, 'gate', '--fail-on', 'none', '--events', file, BANDIT);
    expect(eventsOf(file).map((e) => e.data.verdict)).toEqual(['FAILED', 'PASSED']);
  });

  test('an events file that cannot be written fails the gate (exit 2), before any verdict is emitted', () => {
    const env = join(t.dir, 'unwritable.env');
    const r = gatehouse(t.dir, 'gate', '--fail-on', 'none', '--emit-env', env, '--events', join(t.dir, 'no', 'such', 'dir', 'e.jsonl'), BANDIT);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot write the audit event/);
    expect(readFileSync(env, 'utf8')).toBe('GATE_VERDICT=ERROR\n');
  });
});

describe('gate --events-url', () => {
  /** Runs the CLI without blocking this process (the sink answers from it). */
  function run(args: string[]): Promise<{ code: number | null; stderr: string }> {
    return new Promise((resolve) => {
      const p = spawn(process.execPath, [CLI, ...args], { cwd: t.dir });
      let stderr = '';
      p.stderr.on('data', (d) => (stderr += d));
      p.on('close', (code) => resolve({ code, stderr }));
    });
  }

  async function withSink(status: number, fn: (url: string, got: Array<{ req: IncomingMessage; body: string }>) => Promise<void>): Promise<void> {
    const got: Array<{ req: IncomingMessage; body: string }> = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        got.push({ req, body });
        res.statusCode = status;
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}/events`, got);
    } finally {
      await new Promise((r) => server.close(r));
    }
  }

  test('POSTs the event in structured mode', async () => {
    await withSink(202, async (url, got) => {
      const r = await run(['gate', '--pipeline', 'web', '--events-url', url, BANDIT]);
      expect(r.code).toBe(1);
      expect(got).toHaveLength(1);
      expect(got[0].req.method).toBe('POST');
      expect(got[0].req.url).toBe('/events');
      expect(got[0].req.headers['content-type']).toBe('application/cloudevents+json; charset=utf-8');
      const event = JSON.parse(got[0].body);
      expect(validate(event)).toBe(true);
      expect(event.data.verdict).toBe('FAILED');
    });
  });

  test('a sink that refuses is a warning: the verdict and exit code stand', async () => {
    await withSink(500, async (url) => {
      const r = await run(['gate', '--fail-on', 'none', '--events-url', url, BANDIT]);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/answered 500: the gate event was not delivered/);
    });
  });

  test.each([
    ['file:///etc/passwd', /is not http or https/],
    ['https://user:secret@sink.example/events', /must not hold credentials/],
    ['not a url', /is not a URL/],
  ])('%s is refused before the gate runs (exit 2)', (url, message) => {
    const r = gatehouse(t.dir, 'gate', '--events-url', url, BANDIT);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
