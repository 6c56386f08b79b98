import fc from 'fast-check';
import { expectedFormats, FORMAT_IDS } from '../../src/findings/format-ids';
import { ALL_PARSERS } from '../../src/findings/parsers';
import { sectionProblems } from '../../src/findings/parsers/strict';
import { checkDuplicateKeys, countJsonKeys, countKeyColons, countParsedKeys, findDuplicateKey } from '../../src/findings/read';

describe('format ids', () => {
  test('FORMAT_IDS are the parsers\' ids, each once', () => {
    expect(FORMAT_IDS).toEqual(ALL_PARSERS.map((p) => p.id));
    expect(new Set(FORMAT_IDS).size).toBe(FORMAT_IDS.length);
    expect(FORMAT_IDS).toEqual(expect.arrayContaining(['trivy-json', 'dependency-check-xml', 'trufflehog3-json']));
  });

  test('--expect-format: once for all, once per report, anything else is a usage error', () => {
    expect(expectedFormats([], 2)).toBeUndefined();
    expect(expectedFormats(['trivy-json,sarif'], 2)).toEqual([['trivy-json', 'sarif'], ['trivy-json', 'sarif']]);
    expect(expectedFormats(['bandit-json', 'trivy-json'], 2)).toEqual([['bandit-json'], ['trivy-json']]);
    expect(() => expectedFormats(['a', 'b', 'c'].map(() => 'sarif'), 2)).toThrow(/given 3 times for 2 reports/);
    expect(() => expectedFormats(['trivy'], 1)).toThrow(/unknown format id "trivy"; known ids: sarif, /);
    expect(() => expectedFormats([' , '], 1)).toThrow(/names no format id/);
  });
});

describe('duplicate JSON keys', () => {
  test('counts agree on a text without repeats, escapes and blanks included', () => {
    const text = '{"a\\"": 1, "b\\\\":{"c" :":x", "d":[{"e":"\\":"}]}, "f"\n:\t"g"}';
    const doc = JSON.parse(text);
    expect(countJsonKeys(text)).toBe(6);
    expect(countParsedKeys(doc)).toBe(6);
    expect(countKeyColons(text)).toBeGreaterThanOrEqual(6);
    expect(checkDuplicateKeys('r.json', doc, countKeyColons(text), () => text)).toEqual(doc);
  });

  test('a file changed between the two reads is judged by what was read again', () => {
    const first = '{"a": ":x", "b": 1, "b": 2}';
    const second = '{"a": ":x", "b": 2}';
    // a colon-led string makes the fast count differ: the file is read again, and that is what counts
    expect(checkDuplicateKeys('r.json', JSON.parse(first), countKeyColons(first), () => second)).toEqual({ a: ':x', b: 2 });
    expect(() => checkDuplicateKeys('r.json', JSON.parse(second), countKeyColons(second), () => first)).toThrow(/"b" twice/);
  });

  test('names the repeated key, its object and the line', () => {
    const text = '{\n"Results": [\n{"Target": "a",\n "Target": "b"}]}';
    expect(findDuplicateKey(text)).toEqual({ key: 'Target', path: 'Results[0]', line: 4 });
    expect(() => checkDuplicateKeys('r.json', JSON.parse(text), countKeyColons(text), () => text)).toThrow(/r\.json: has the key "Target" twice in Results\[0\] \(line 4\)/);
    expect(findDuplicateKey('{"a":1}\n{"b":1,"b":2}')).toEqual({ key: 'b', path: '', line: 2 });
  });

  test('property: the exact count equals the parsed keys of any JSON without repeats; the fast count is never below', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 2, '\t'), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        const doc = JSON.parse(text);
        expect(countJsonKeys(text)).toBe(countParsedKeys(doc));
        expect(countKeyColons(text)).toBeGreaterThanOrEqual(countParsedKeys(doc));
        expect(checkDuplicateKeys('r.json', doc, countKeyColons(text), () => text)).toEqual(doc);
      }),
      { numRuns: 300 },
    );
  });

  test('property: repeating any key of any object is found', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue(), { minKeys: 1 }), fc.nat(), (obj, pick) => {
        const keys = Object.keys(obj);
        const key = keys[pick % keys.length];
        const text = `${JSON.stringify(obj).slice(0, -1)},${JSON.stringify(key)}:null}`;
        expect(() => checkDuplicateKeys('r.json', JSON.parse(text), countKeyColons(text), () => text)).toThrow(/twice at the top level/);
      }),
      { numRuns: 300 },
    );
  });
});

describe('report sections', () => {
  const section = { required: { Target: 'string' as const }, optional: { Vulnerabilities: ['array', 'null'] as const } };
  test('a missing or mistyped required key, a case variant and an unknown list are problems; scalars are tolerated', () => {
    expect(sectionProblems({ Target: 'a', Vulnerabilities: [], Extra: 'x', N: 1 }, section)).toEqual([]);
    expect(sectionProblems({}, section)).toEqual(['lacks the required key "Target" (a string)']);
    expect(sectionProblems({ Target: 1 }, section)).toEqual(['"Target" must be a string, got a number']);
    expect(sectionProblems({ Target: 'a', vulnerabilities: [] }, section)).toEqual(['has the key "vulnerabilities" (an array of 0), which this format spells "Vulnerabilities"']);
    expect(sectionProblems({ Target: 'a', Vulns: [1] }, section)[0]).toMatch(/unexpected key "Vulns" \(an array of 1\)/);
    expect(sectionProblems({ Target: 'a', Extra: 'x' }, { ...section, others: 'none' })[0]).toMatch(/does not define/);
    expect(sectionProblems({ Target: 'a', Vulns: [1] }, { ...section, others: 'any' })).toEqual([]);
  });
});
