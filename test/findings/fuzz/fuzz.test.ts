import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { GateResult, runGate } from '../../../src/findings/engine';
import { InternalError } from '../../../src/findings/errors';
import { GateOptions } from '../../../src/findings/gate';
import { ReportError, SEVERITIES } from '../../../src/findings/types';
import { BANDIT, fixture, GRYPE, ROOT, tempDir, TRIVY } from '../support';

/**
 * Property: a mutated or truncated real report never yields a passing exit with a wrong verdict,
 * an uncaught exception, or a hang. Every run either rejects with a ReportError (exit 2) or returns
 * a verdict that an independent re-count over its own findings confirms.
 */

const JSON_SEEDS = [
  BANDIT,
  TRIVY,
  fixture('trivy', 'defectdojo', 'trivy_misconfigurations_and_secrets.json'),
  fixture('sarif', 'defectdojo', 'sarif_njsscan.sarif'),
  fixture('semgrep', 'defectdojo', 'semgrep_many_vulns.json'),
  fixture('gitleaks', 'defectdojo', 'gitleaks_gitleaks8_many.json'),
];
const XML_SEEDS = [fixture('zap', 'defectdojo', 'zap_some_2.9.0.xml'), fixture('openscap', 'defectdojo', 'openscap_one_vuln_rhsa.xml')];
const SEEDS = [...JSON_SEEDS, ...XML_SEEDS];
const bytesOf = new Map(SEEDS.map((file) => [file, readFileSync(file)]));
/** Seeds are drawn by name (short counterexamples); their bytes come from the map. */
const seeds = SEEDS.map((file) => ({
  file,
  get bytes() {
    return bytesOf.get(file)!;
  },
  toString: () => file,
}));
const jsonSeeds = seeds.filter((s) => JSON_SEEDS.includes(s.file));

const t = tempDir();
afterAll(() => t.cleanup());
let n = 0;
const write = (bytes: Buffer | string): string => t.file(`m${n++}.report`, bytes);

const RANK: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

/** The verdict re-counted from scratch over the result's own findings. */
function expectedPass(r: GateResult, o: GateOptions): boolean {
  const counts: Record<string, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const f of r.findings) {
    if (f.status === 'open' || (f.status === 'existing' && !o.newOnly)) counts[f.severity === 'unknown' ? o.unknownAs : f.severity]++;
  }
  return Object.entries(counts).every(([sev, count]) => {
    const budget = o.budgets[sev as keyof GateOptions['budgets']];
    const limit = budget ?? (o.failOn !== 'none' && RANK[sev] <= RANK[o.failOn] ? 0 : Infinity);
    return count <= limit;
  });
}

/** Runs the gate; a ReportError is the only acceptable failure (an InternalError means two parsers collide). */
async function gateOrBadInput(file: string, options: GateOptions): Promise<GateResult | 'bad-input'> {
  try {
    return await runGate({ reports: [file], options });
  } catch (e) {
    if (e instanceof ReportError) {
      expect(e.message.startsWith(`${file}: `)).toBe(true);
      return 'bad-input';
    }
    if (e instanceof InternalError) throw new Error(`internal error on a mutated report: ${e.message}`);
    throw new Error(`uncaught ${(e as Error)?.name}: ${(e as Error)?.message}\n${(e as Error)?.stack}`);
  }
}

function checkConsistent(r: GateResult, options: GateOptions): void {
  for (const f of r.findings) {
    expect(SEVERITIES).toContain(f.severity);
    expect(f.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(f.tools.length).toBeGreaterThan(0);
  }
  expect(r.decision.passed).toBe(expectedPass(r, options));
  expect(r.decision.exitCode).toBe(r.decision.passed || options.allowFailure ? 0 : 1);
  expect(r.summary.total).toBe(r.findings.length);
}

const options: fc.Arbitrary<GateOptions> = fc.record({
  failOn: fc.constantFrom('critical', 'high', 'medium', 'low', 'info', 'none'),
  budgets: fc.record({ high: fc.nat(3), medium: fc.nat(20) }, { requiredKeys: [] }),
  unknownAs: fc.constantFrom('critical', 'high', 'medium', 'low', 'info'),
  newOnly: fc.constant(false),
  allowFailure: fc.boolean(),
});

const fraction = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });

const picks3 = fc.array(fraction, { minLength: 1, maxLength: 3 });

const RUN = { numRuns: 100, timeout: 10_000, interruptAfterTimeLimit: 60_000 };

describe('mutated reports (in process)', () => {
  test('a truncated report is always bad input, never a verdict', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...seeds), fraction, options, async (seed, at, o) => {
        const body = seed.bytes.subarray(0, seed.bytes.length - (seed.bytes.length - seed.bytes.toString('latin1').trimEnd().length));
        const cut = Math.floor(at * body.length);
        const result = await gateOrBadInput(write(body.subarray(0, cut)), o);
        expect(result).toBe('bad-input');
      }),
      RUN,
    );
  }, 120_000);

  test('random byte corruption gives bad input or a verdict its own findings confirm', async () => {
    const outcomes = { bad: 0, verdict: 0 };
    const corruption = fc.array(fc.record({ at: fraction, byte: fc.integer({ min: 0, max: 255 }), op: fc.constantFrom('set', 'insert', 'delete') }), { minLength: 1, maxLength: 8 });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...seeds), corruption, options, async (seed, edits, o) => {
        const bytes = [...seed.bytes];
        for (const e of edits) {
          const i = Math.floor(e.at * bytes.length);
          if (e.op === 'set') bytes[i] = e.byte;
          else if (e.op === 'insert') bytes.splice(i, 0, e.byte);
          else bytes.splice(i, 1);
        }
        const result = await gateOrBadInput(write(Buffer.from(bytes)), o);
        outcomes[result === 'bad-input' ? 'bad' : 'verdict']++;
        if (result !== 'bad-input') checkConsistent(result, o);
      }),
      RUN,
    );
    // both branches were exercised: the property checked real verdicts, not only rejections
    expect(outcomes.verdict).toBeGreaterThan(0);
    expect(outcomes.bad).toBeGreaterThan(0);
  }, 120_000);

  test('structural JSON mutations (any value replaced by any JSON) give bad input or a confirmed verdict', async () => {
    const outcomes = { bad: 0, verdict: 0 };
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...jsonSeeds), picks3, fc.jsonValue({ maxDepth: 2 }), options, async (seed, picks, value, o) => {
        let doc: unknown = JSON.parse(seed.bytes.toString('utf8'));
        const paths = collectPaths(doc);
        for (const p of picks) doc = setAt(doc, paths[Math.floor(p * paths.length)], structuredClone(value));
        const result = await gateOrBadInput(write(JSON.stringify(doc)), o);
        outcomes[result === 'bad-input' ? 'bad' : 'verdict']++;
        if (result !== 'bad-input') checkConsistent(result, o);
      }),
      RUN,
    );
    expect(outcomes.verdict).toBeGreaterThan(0);
    expect(outcomes.bad).toBeGreaterThan(0);
  }, 120_000);

  test('severity words replaced by garbage never lower a failing verdict (unknown counts as high)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(BANDIT, TRIVY), fc.string({ minLength: 0, maxLength: 12 }), async (file, garbage) => {
        const text = readFileSync(file, 'utf8').replace(/"(issue_severity|Severity)": "[A-Z]+"/g, `"$1": ${JSON.stringify(garbage)}`);
        const result = await gateOrBadInput(write(text), { failOn: 'high', budgets: {}, unknownAs: 'high', newOnly: false, allowFailure: false });
        if (result !== 'bad-input') expect(result.decision.passed).toBe(false);
      }),
      { numRuns: 30, timeout: 10_000 },
    );
  }, 120_000);
});

describe('mutated reports (CLI)', () => {
  const CLI = join(ROOT, 'assets', 'gatehouse.js');

  test('truncated and corrupted reports exit 2, never 0', () => {
    if (!existsSync(CLI)) throw new Error('assets/gatehouse.js is missing: run `npx projen bundle:cli` (npm test does)');
    const big = readFileSync(GRYPE);
    const files = [
      write(big.subarray(0, Math.floor(big.length * 0.61))),
      write(readFileSync(TRIVY).subarray(0, 1000)),
      write(Buffer.concat([readFileSync(BANDIT).subarray(0, 300), Buffer.from([0xff, 0xfe, 0x00]), readFileSync(BANDIT).subarray(300)])),
      write(readFileSync(XML_SEEDS[0]).subarray(0, 2000)),
    ];
    for (const file of files) {
      for (const cmd of ['gate', 'findings']) {
        const r = spawnSync(process.execPath, [CLI, cmd, file], { encoding: 'utf8', timeout: 60_000 });
        expect({ file, cmd, status: r.status }).toEqual({ file, cmd, status: 2 });
        expect(r.stderr).toContain(file);
      }
    }
  }, 120_000);
});

type Path = Array<string | number>;

function collectPaths(doc: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (out.length > 5000) return out;
  if (Array.isArray(doc)) doc.slice(0, 50).forEach((v, i) => collectPaths(v, [...prefix, i], out));
  else if (doc && typeof doc === 'object') for (const [k, v] of Object.entries(doc)) collectPaths(v, [...prefix, k], out);
  return out;
}

function setAt(doc: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  if (doc === null || typeof doc !== 'object') return doc;
  let cur = doc as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) {
    cur = cur?.[key] as Record<string | number, unknown>;
    if (cur === null || typeof cur !== 'object') return doc;
  }
  cur[path[path.length - 1]] = value;
  return doc;
}
