import { fixtureJson, fixtureText } from './code-fixtures';
import { parseJsonDocument } from '../../../src/findings/parsers/jsonl';
import { trufflehog2Parser } from '../../../src/findings/parsers/trufflehog2';
import { trufflehog3Parser } from '../../../src/findings/parsers/trufflehog3';
import { ReportError } from '../../../src/findings/types';

describe('trufflehog3 JSON (3.x)', () => {
  const parse = (doc: unknown) => trufflehog3Parser.parse(doc, { file: 'th3.json' });

  test('real report: one secret per issue with the rule\'s severity, path and line; secret and context never copied', () => {
    // GIVEN 4 issues of rule high-entropy: HIGH, MEDIUM, LOW, MEDIUM
    const doc = fixtureJson('trufflehog3/defectdojo/trufflehog3_many_vulns_current.json');
    // WHEN
    expect(trufflehog3Parser.detect(doc)).toBe(true);
    const report = parse(doc);
    // THEN
    expect(report).toMatchObject({ format: 'trufflehog3-json', tool: 'trufflehog3' });
    expect(report.findings.map((f) => f.severity)).toEqual(['high', 'medium', 'low', 'medium']);
    expect(report.findings[0]).toMatchObject({
      tool: 'trufflehog3',
      kind: 'secret',
      ruleId: 'high-entropy',
      title: 'High Entropy',
      toolSeverity: 'HIGH',
      location: { file: 'docker/Dockerfile', line: 3 },
      toolFingerprint: '6ac0ab3b-5f34-3d2a-886c-08424de77b23',
    });
    const out = JSON.stringify(report.findings);
    for (const issue of doc) {
      expect(out).not.toContain(issue.secret);
      if (issue.author) expect(out).not.toContain(issue.author);
    }
  });

  test('fails on malformed issues: a severity outside LOW/MEDIUM/HIGH, a non-numeric line, no path', () => {
    const [issue] = fixtureJson('trufflehog3/defectdojo/trufflehog3_many_vulns_current.json');
    expect(() => parse([{ ...issue, rule: { ...issue.rule, severity: 'SEVERE' } }])).toThrow(/rule\.severity must be LOW, MEDIUM or HIGH/);
    expect(() => parse([{ ...issue, rule: { ...issue.rule, severity: undefined } }])).toThrow(ReportError);
    expect(() => parse([{ ...issue, line: 'three' }])).toThrow(/\[0\]\.line must be a line number/);
    expect(() => parse([issue, { ...issue, path: 7 }])).toThrow(/\[1\] "path" must be a string/);
  });
});

describe('truffleHog 2 JSON (truffleHog 2.x, trufflehog3 2.x)', () => {
  const parse = (doc: unknown) => trufflehog2Parser.parse(doc, { file: 'th2.json' });

  test('truffleHog 2 JSON Lines: 64 unknown-severity secrets named by reason, tool trufflehog; diffs never copied', () => {
    // GIVEN the real JSON Lines report, read as the loader reads it
    const text = fixtureText('trufflehog2/defectdojo/trufflehog_v2_many_vulns.jsonl');
    const doc = parseJsonDocument(text, 'th2.jsonl') as any[];
    // WHEN
    const report = parse(doc);
    // THEN
    expect(report).toMatchObject({ format: 'trufflehog2-json', tool: 'trufflehog' });
    expect(report.findings).toHaveLength(64);
    expect(report.findings.every((f) => f.severity === 'unknown' && f.tool === 'trufflehog')).toBe(true);
    expect(report.findings[0]).toMatchObject({
      ruleId: 'Generic Secret',
      location: { file: 'test_all.py' },
      toolFingerprint: '288f35ed2e73145e3578207e896a4cf1600bea45:test_all.py:Generic Secret',
    });
    const out = JSON.stringify(report.findings);
    expect(out).not.toContain(doc[0].stringsFound[0]);
    expect(out).not.toContain('printDiff');
  });

  test('trufflehog3 2.x (same objects without diffs): tool trufflehog3', () => {
    const doc = fixtureJson('trufflehog3/defectdojo/trufflehog3_many_vulns_legacy.json');
    const report = parse(doc);
    expect(report.tool).toBe('trufflehog3');
    expect(report.findings).toHaveLength(32);
    expect(report.findings[0]).toMatchObject({ tool: 'trufflehog3', ruleId: 'High entropy', location: { file: 'fixtures/users.json' } });
  });

  test('fails on malformed results: no reason, stringsFound not a list of strings', () => {
    const [item] = fixtureJson('trufflehog3/defectdojo/trufflehog3_many_vulns_legacy.json');
    expect(() => parse([item, { ...item, reason: '' }])).toThrow(/\[1\]\.reason must not be empty/);
    expect(() => parse([{ ...item, stringsFound: [1] }])).toThrow(ReportError);
    expect(() => parse([{ ...item, stringsFound: undefined }])).toThrow(ReportError);
  });
});
