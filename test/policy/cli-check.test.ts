import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import { compliantPipeline } from './fixtures';
import { djangoDevSecOps } from '../../examples/django-devsecops/pipeline';
import { Pipeline } from '../../src/core';

import { PROCESS_IO, runPolicyCheck } from '../../src/policy/cli-check';

const ROOT = path.join(__dirname, '..', '..');
const SEED = path.join(ROOT, 'docs', 'policy-packs', 'seed-security-step.yaml');
const dir = mkdtempSync(path.join(tmpdir(), 'gatehouse-policy-check-'));
const file = (name: string, text: string) => {
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
};
const docFile = (name: string, p: Pipeline, engine?: string) => file(name, p.toDocument({ engine }).toJsonString());

function run(args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = runPolicyCheck(args, { readFile: PROCESS_IO.readFile, stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

const seed = djangoDevSecOps();
const noSecurity = new Pipeline({ name: 'no-security', source: seed.source, defaults: { image: seed.defaultImage }, stages: seed.stages.filter((s) => s.name !== 'oast') });
const SEED_DOC = docFile('django.json', seed, 'tekton');
const SHOP_DOC = docFile('shop.json', compliantPipeline(), 'codepipeline');
const BAD_DOC = docFile('no-security.json', noSecurity, 'codepipeline');
const pack = (name: string, expression: string) =>
  file(name, `apiVersion: gatehouse.dev/v1\nkind: PolicyPack\nmetadata: { name: t }\nspec:\n  rules:\n    - { id: T-1, message: m, fix: f, expression: ${JSON.stringify(expression)} }\n`);

describe('gatehouse policy check', () => {
  test('0 when every document passes', () => {
    const r = run(['--policy', SEED, SEED_DOC, SHOP_DOC]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`${SEED_DOC}: PASS`);
    expect(r.out.trim().split('\n').pop()).toBe('2 passed, 0 failed');
  });

  test('1 on a violation, each printed with rule id, document and path', () => {
    const r = run(['--policy', SEED, SEED_DOC, BAD_DOC]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`${BAD_DOC}: error ACME-001 (acme-baseline) at /pipeline: every build stage is followed by a security stage with a secrets scan`);
    expect(r.out).toContain(`${BAD_DOC}: error ACME-002 (acme-baseline) at /pipeline/stages/0: stage "build"`);
    expect(r.out).toContain('    fix: add Stage.securityStage(...) with security.Gitleaks() after the build stage');
    expect(r.out.trim().split('\n').pop()).toBe('1 passed, 1 failed');
  });

  test.each<[string, () => string[], RegExp]>([
    ['a CEL syntax error', () => ['--policy', pack('syntax.yaml', 'pipeline.stages.exists(s, '), SEED_DOC], /spec.rules\[0\] \(T-1\): the CEL expression does not compile/],
    ['an unknown field path', () => ['--policy', pack('field.yaml', "pipeline.stage.exists(s, s.kind == 'security')"), SEED_DOC], /No such key: stage/],
    ['an expression that is not a bool', () => ['--policy', pack('int.yaml', 'pipeline.stages.size()'), SEED_DOC], /returns int, not a bool/],
    ['an unknown document apiVersion', () => ['--policy', SEED, file('v2.json', JSON.stringify({ ...seed.toDocument().toJson(), apiVersion: 'gatehouse.dev/v2' }))], /apiVersion "gatehouse.dev\/v2" is not supported/],
    ['an unknown pack apiVersion', () => ['--policy', file('p2.yaml', readFileSync(SEED, 'utf8').replace('gatehouse.dev/v1', 'gatehouse.dev/v9')), SEED_DOC], /apiVersion "gatehouse.dev\/v9" is not supported/],
    ['an unreadable document', () => ['--policy', SEED, path.join(dir, 'missing.json')], /document .*missing.json cannot be read/],
    ['an unreadable pack', () => ['--policy', path.join(dir, 'missing.yaml'), SEED_DOC], /policy pack .*missing.yaml cannot be read/],
    ['a document that is not JSON', () => ['--policy', SEED, file('text.json', 'stages: []')], /is not JSON/],
    ['a document that does not match the schema', () => ['--policy', SEED, file('shape.json', JSON.stringify({ apiVersion: 'gatehouse.dev/v1', kind: 'PipelineDocument', pipeline: { name: 'x', stages: 'none' } }))], /does not match the pipeline document schema: \/pipeline: must have required property 'source'/],
    ['no --policy', () => [SEED_DOC], /--policy is required/],
    ['no document', () => ['--policy', SEED], /no documents/],
    ['an unknown option', () => ['--policy', SEED, '--ignore-failures', SEED_DOC], /Unknown option '--ignore-failures'/],
    ['an unknown format', () => ['--policy', SEED, '--format', 'html', SEED_DOC], /--format html is not one of text, json, sarif/],
  ])('2 on bad input: %s (never a pass)', (_, args, message) => {
    const r = run(args());
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.out).toBe('');
  });

  test('one bad document among good ones makes the whole check bad input', () => {
    const r = run(['--policy', SEED, SEED_DOC, path.join(dir, 'missing.json'), SHOP_DOC]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bad input \(1 problem\), nothing was checked/);
  });

  test('--format json lists every document with its report', () => {
    const r = run(['--policy', SEED, '--format', 'json', SEED_DOC, BAD_DOC]);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out);
    expect(json).toMatchObject({ kind: 'PolicyCheck', passed: false });
    expect(json.documents.map((d: any) => [d.file, d.pipeline, d.passed, d.violations.length])).toEqual([
      [SEED_DOC, 'django-devsecops', true, 0],
      [BAD_DOC, 'no-security', false, 3],
    ]);
  });

  test('--format sarif is valid SARIF 2.1.0 with one result per violation', () => {
    const r = run(['--policy', SEED, '--format', 'sarif', SEED_DOC, BAD_DOC]);
    expect(r.code).toBe(1);
    const sarif = JSON.parse(r.out);
    const schema = JSON.parse(readFileSync(`${ROOT}/node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json`, 'utf8'));
    delete schema.$schema;
    schema.$id = schema.id;
    delete schema.id;
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    ajv.addFormat('uri', (s: string) => /^[A-Za-z][A-Za-z0-9+.-]*:\S*$/.test(s));
    ajv.addFormat('uri-reference', (s: string) => !/[\s<>"{}|\\^`]/.test(s));
    const validate = ajv.compile(schema);
    expect(validate(sarif) ? [] : validate.errors).toEqual([]);
    expect(sarif.runs[0].tool.driver.rules.map((x: any) => x.id)).toEqual(['ACME-001', 'ACME-002', 'ACME-003']);
    expect(sarif.runs[0].results.map((x: any) => [x.ruleId, x.level, x.locations[0].logicalLocations[0].fullyQualifiedName])).toEqual([
      ['ACME-001', 'error', '/pipeline'],
      ['ACME-002', 'error', '/pipeline/stages/0'],
      ['ACME-002', 'error', '/pipeline/stages/1'],
    ]);
  });
});
