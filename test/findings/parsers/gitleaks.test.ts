import { fixtureFiles, fixtureJson } from './code-fixtures';
import { gitleaksParser } from '../../../src/findings/parsers/gitleaks';
import { ReportError } from '../../../src/findings/types';

const parse = (doc: unknown) => gitleaksParser.parse(doc, { file: 'gitleaks.json' });
/** gitleaks 4–7 reports (lowercase keys): tested in gitleaks-7.test.ts. */
const V7 = ['gitleaks/defectdojo/gitleaks_data_many.json', 'gitleaks/defectdojo/gitleaks_version_7.5.0.json'];
const FILES = fixtureFiles('gitleaks', '.json').filter((rel) => !V7.includes(rel));

describe('gitleaks parser on the real fixtures', () => {
  test('there are gitleaks JSON fixtures to test', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(2);
  });

  test.each(FILES)('%s: one secret finding per leak, severity unknown (gitleaks has none)', (rel) => {
    const doc = fixtureJson(rel);
    const leaks: any[] = doc ?? [];
    const report = parse(doc);
    expect(gitleaksParser.detect(doc)).toBe(true);
    expect(report.findings).toHaveLength(leaks.length);
    expect(report.findings.map((f) => f.ruleId)).toEqual(leaks.map((l) => l.RuleID));
    expect(report.findings.every((f) => f.kind === 'secret' && f.severity === 'unknown' && f.toolSeverity === undefined)).toBe(true);
  });

  test('gitleaks 8: location from File/StartLine/StartColumn; the cleartext secret and the author are never copied', () => {
    const doc = fixtureJson('gitleaks/defectdojo/gitleaks_gitleaks8_many.json');
    const report = parse(doc);
    // the two aws-access-token leaks share file and line but not commit: two fingerprints
    expect(new Set(report.findings.map((f) => f.toolFingerprint)).size).toBe(doc.length);
    expect(report.findings[3]).toMatchObject({
      tool: 'gitleaks',
      ruleId: 'generic-api-key',
      title: 'Generic API Key',
      location: { file: 'tests/api.py', line: 21, column: 10 },
    });
    const out = JSON.stringify(report.findings);
    for (const leak of doc) {
      for (const field of ['Secret', 'Match', 'Author', 'Email', 'Message']) if (leak[field]) expect(out).not.toContain(leak[field]);
    }
  });

  test('"null" (no findings, older gitleaks 8) is an empty report', () => {
    expect(fixtureJson('gitleaks/defectdojo/gitleaks_no_findings.json')).toBeNull();
    expect(parse(null).findings).toEqual([]);
    expect(parse([]).findings).toEqual([]);
  });
});

describe('gitleaks parser semantics', () => {
  const leak = (extra: Record<string, unknown> = {}) => [{
    Description: 'AWS',
    StartLine: 2,
    EndLine: 3,
    StartColumn: 4,
    EndColumn: 9,
    Match: 'key=AKIAFAKE',
    Secret: 'AKIAFAKE',
    File: 'conf/aws.tf',
    Commit: 'abc123',
    Entropy: 3.5,
    Author: 'A',
    Email: 'a@example.invalid',
    Date: '',
    Message: 'm',
    Tags: [],
    RuleID: 'aws-access-token',
    ...extra,
  }];

  test('the Fingerprint (gitleaks >= 8.10) is the tool fingerprint', () => {
    const [f] = parse(leak({ Fingerprint: 'abc123:conf/aws.tf:aws-access-token:2' })).findings;
    expect(f.toolFingerprint).toBe('abc123:conf/aws.tf:aws-access-token:2');
    expect(f.location).toEqual({ file: 'conf/aws.tf', line: 2, endLine: 3, column: 4 });
    expect(f.description).toBe('gitleaks rule aws-access-token in commit abc123');
  });

  test('without a Fingerprint (gitleaks < 8.10) the same one is computed: one leak per commit stays apart', () => {
    const [inGit, again, outsideGit] = parse([...leak(), ...leak({ Commit: 'def456' }), ...leak({ Commit: '' })]).findings;
    expect(inGit.toolFingerprint).toBe('abc123:conf/aws.tf:aws-access-token:2');
    expect(again.toolFingerprint).toBe('def456:conf/aws.tf:aws-access-token:2');
    expect(outsideGit.toolFingerprint).toBe('conf/aws.tf:aws-access-token:2');
  });

  test('detects gitleaks leaks and empty reports only', () => {
    expect(gitleaksParser.detect(leak())).toBe(true);
    expect(gitleaksParser.detect(null)).toBe(true);
    expect(gitleaksParser.detect([])).toBe(true);
    expect(gitleaksParser.detect([{ rule: 'AWS', file: 'x', lineNumber: 1 }])).toBe(false); // gitleaks 7
    expect(gitleaksParser.detect({})).toBe(false);
  });

  test.each([
    ['fails on a start line that is not a number', { StartLine: 'two' }, /\[0\] "StartLine" must be a number, got a string/],
    ['fails without a rule id', { RuleID: '' }, /\[0\]\.RuleID must not be empty/],
    ['fails on a file that is not a string', { File: null }, /\[0\] "File" must be a string, got null/],
    ['fails on tags that are not strings', { Tags: [1] }, /\[0\]\.Tags\[0\] must be a string/],
  ])('%s', (_name, patch, message) => {
    expect(() => parse(leak(patch))).toThrow(ReportError);
    expect(() => parse(leak(patch))).toThrow(message);
  });

  test('fails on a leak that is not an object', () => {
    expect(() => parse([...leak(), 'oops'])).toThrow(/gitleaks json report: \[1\] must be an object/);
  });
});
