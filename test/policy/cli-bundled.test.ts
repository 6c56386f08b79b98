/**
 * `gatehouse policy check` end to end: the CLI bundled as the package ships it (assets/), run as a
 * process over documents an engine synth wrote.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Chart } from 'cdk8s';
import { djangoDevSecOps } from '../../examples/django-devsecops/pipeline';
import { Pipeline } from '../../src/core';
import { TektonEngine } from '../../src/tekton';

const ROOT = path.join(__dirname, '..', '..');
const SEED = path.join(ROOT, 'docs', 'policy-packs', 'seed-security-step.yaml');
const dir = mkdtempSync(path.join(tmpdir(), 'gatehouse-policy-bundled-'));
const CLI = path.join(dir, 'bin', 'gatehouse.js');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(() => {
  // bundled exactly as `npx projen bundle:cli` does, into a folder of this test
  const b = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'bundle-cli.js'), CLI], { cwd: ROOT, encoding: 'utf8' });
  if (b.status !== 0) throw new Error(`cannot bundle the CLI: ${b.stderr}`);
});

function gatehouse(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The document a Tekton synth writes for `pipeline`. */
function synthesized(pipeline: Pipeline): string {
  const outdir = path.join(dir, pipeline.name);
  const app = new App({ outdir });
  new TektonEngine(new Chart(app, pipeline.name), 'Tekton', { pipeline });
  app.synth();
  return path.join(outdir, 'pipeline.json');
}

const file = (name: string, text: string) => {
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
};
const pack = (name: string, expression: string) =>
  file(name, `apiVersion: gatehouse.dev/v1\nkind: PolicyPack\nmetadata: { name: t }\nspec:\n  rules:\n    - { id: T-1, message: m, fix: f, expression: ${JSON.stringify(expression)} }\n`);

describe('gatehouse policy check (bundled CLI)', () => {
  const seed = djangoDevSecOps();
  const GOOD = () => synthesized(seed);
  const BAD = () => synthesized(new Pipeline({ name: 'no-security', source: seed.source, defaults: { image: seed.defaultImage }, stages: seed.stages.filter((s) => s.name !== 'oast') }));

  test('the check is a file of its own beside the gate, which stays small', () => {
    expect(statSync(path.join(dir, 'bin', 'gatehouse-policy.js')).size).toBeGreaterThan(0);
    // the CEL and JSON Schema libraries are not in the gate pipelines ship
    const gate = readFileSync(CLI, 'utf8');
    expect(gate).not.toContain('marcbachmann');
    expect(gate).not.toContain('json-schema.org/draft/2020-12');
  });

  test('0 when every document passes', () => {
    const r = gatehouse('policy', 'check', '--policy', SEED, GOOD());
    expect(r.err).toBe('');
    expect(r.out).toContain('1 passed, 0 failed');
    expect(r.code).toBe(0);
  });

  test('1 on a violation, printed with rule id, document and path', () => {
    const bad = BAD();
    const r = gatehouse('policy', 'check', '--policy', SEED, GOOD(), bad);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`${bad}: error ACME-001 (acme-baseline) at /pipeline: every build stage is followed by a security stage with a secrets scan`);
    expect(r.out).toContain(`${bad}: error ACME-002 (acme-baseline) at /pipeline/stages/0: stage "build"`);
    expect(r.out).toContain('1 passed, 1 failed');
  });

  test('--format sarif from the bundle', () => {
    const r = gatehouse('policy', 'check', '--policy', SEED, '--format', 'sarif', BAD());
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).runs[0].results.map((x: any) => x.ruleId)).toEqual(['ACME-001', 'ACME-002', 'ACME-002']);
  });

  test.each<[string, () => string[], RegExp]>([
    ['a CEL syntax error', () => ['--policy', pack('syntax.yaml', 'pipeline.stages.exists(s, '), GOOD()], /T-1\): the CEL expression does not compile/],
    ['an unknown field path', () => ['--policy', pack('field.yaml', "pipeline.stages.exists(s, s.kindd == 'security')"), GOOD()], /No such key: kindd/],
    ['an unreadable document', () => ['--policy', SEED, path.join(dir, 'missing.json')], /document .*missing.json cannot be read/],
    ['an unknown document apiVersion', () => ['--policy', SEED, file('v2.json', readFileSync(GOOD(), 'utf8').replace('gatehouse.dev/v1', 'gatehouse.dev/v2'))], /apiVersion "gatehouse.dev\/v2" is not supported/],
    ['no --policy', () => [GOOD()], /--policy is required/],
  ])('2 on bad input: %s (never a pass)', (_, args, message) => {
    const r = gatehouse('policy', 'check', ...args());
    expect(r.err).toMatch(message);
    expect(r.out).toBe('');
    expect(r.code).toBe(2);
  });

  test('a gate shipped without the check beside it exits 2 and says where to run it', () => {
    const lone = path.join(dir, 'lone', 'gatehouse.js');
    mkdirSync(path.dirname(lone), { recursive: true });
    writeFileSync(lone, readFileSync(CLI));
    const r = spawnSync(process.execPath, [lone, 'policy', 'check', '--policy', SEED, GOOD()], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/the policy check is not shipped with this gate .*: run it from the gatehouse package \(npx gatehouse policy check\)/);
  });
});
