import * as fs from 'fs';
import * as path from 'path';
import { goDuration, minutesOf } from '../../src/tekton/render/durations';
import { pipelineTimeoutMinutes } from '../../src/tekton/render/timeouts';
import { precompiledValidatorsSource } from '../../src/tekton/validation/precompile';
import { factorRepeatedSubschemas, structuralToJsonSchema } from '../../src/tekton/validation/schema';
import { variableRefs } from '../../src/tekton/validation/variables';

describe('structuralToJsonSchema', () => {
  test('closes objects that list their properties, and only those', () => {
    const s = structuralToJsonSchema({
      type: 'object',
      properties: {
        a: { type: 'object', properties: { b: { type: 'string' } } },
        kept: { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true, 'properties': { c: { type: 'string' } } },
        map: { type: 'object', additionalProperties: { type: 'string' } },
        free: { type: 'object' },
      },
    });
    expect(s.additionalProperties).toBe(false);
    expect(s.properties.a.additionalProperties).toBe(false);
    expect(s.properties.kept.additionalProperties).toBeUndefined();
    expect(s.properties.map.additionalProperties).toEqual({ type: 'string' });
    expect(s.properties.free).toEqual({ type: 'object' });
  });

  test('int-or-string becomes integer or string; nullable allows null; markers and formats are dropped', () => {
    expect(structuralToJsonSchema({ 'x-kubernetes-int-or-string': true, 'pattern': '^a', 'format': 'int-or-string' })).toEqual({
      pattern: '^a',
      anyOf: [{ type: 'integer' }, { type: 'string' }],
    });
    expect(structuralToJsonSchema({ 'type': 'string', 'nullable': true, 'x-kubernetes-list-type': 'atomic', 'description': 'x' })).toEqual({ type: ['string', 'null'] });
  });
});

test('factorRepeatedSubschemas moves repeated subschemas to definitions without changing what they accept', () => {
  const big = { type: 'object', properties: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`f${i}`, { type: 'string' }])) };
  const out = factorRepeatedSubschemas({ type: 'object', properties: { a: big, b: big, c: { type: 'integer' } } });
  expect(out.properties.a).toEqual({ $ref: '#/definitions/s0' });
  expect(out.properties.b).toEqual({ $ref: '#/definitions/s0' });
  expect(out.properties.c).toEqual({ type: 'integer' });
  expect(out.definitions.s0).toEqual(big);
});

test('variableRefs finds Tekton variables and ignores shell command substitution', () => {
  const refs = variableRefs('cp "$(steps.step-run.exitCode.path)" $(dirname "$f") $(params["a.b"]) $(params.list[*]) $(date)');
  expect(refs.map((r) => r.segments)).toEqual([
    ['steps', 'step-run', 'exitCode', 'path'],
    ['params', 'a.b'],
    ['params', 'list', '*'],
  ]);
});

test('durations are Go durations, and the run timeout is the longest chain plus a margin', () => {
  expect([0, 45, 60, 90, 1440].map(goDuration)).toEqual(['0m', '45m', '1h', '1h30m', '24h']);
  expect(minutesOf('1h30m')).toBe(90);
  expect(minutesOf('soon')).toBeUndefined();
  expect(pipelineTimeoutMinutes([
    { name: 'a', minutes: 10, runAfter: [] },
    { name: 'b', minutes: 50, runAfter: ['a'] },
    { name: 'c', minutes: 20, runAfter: ['a'] },
    { name: 'd', minutes: 5, runAfter: ['b', 'c'] },
  ])).toBe(10 + 50 + 5 + 10);
});

test('the committed precompiled validators are up to date with the schemas and their conversion', () => {
  // GIVEN the validators source generated now from the committed schemas
  const fresh = precompiledValidatorsSource();
  // THEN it is what scripts/import-tekton.sh committed (run it after changing the conversion)
  const committed = fs.readFileSync(path.join(__dirname, '../../src/tekton/schemas/validators.ts'), 'utf8');
  expect(committed === fresh).toBe(true);
});
