import { fixtureJson } from './code-fixtures';
import { gosecJson } from '../../../src/findings/parsers/gosec';
import { ReportError } from '../../../src/findings/types';

const FILE = 'gosec/defectdojo/gosec_many_vulns.json';
const parse = (doc: unknown) => gosecJson.parse(doc, { file: 'gosec.json' });

describe('gosec json', () => {
  test('28 issues with gosec\'s severities at file and line; CWE from cwe.id; code never copied', () => {
    // GIVEN the counts from the raw file
    const doc = fixtureJson(FILE);
    expect(gosecJson.detect(doc)).toBe(true);
    const bySeverity = (list: string[]) => list.reduce<Record<string, number>>((m, s) => ({ ...m, [s]: (m[s] ?? 0) + 1 }), {});
    // WHEN
    const report = parse(doc);
    // THEN
    expect(report).toMatchObject({ format: 'gosec-json', tool: 'gosec' });
    expect(report.findings).toHaveLength(doc.Issues.length);
    expect(bySeverity(report.findings.map((f) => f.severity))).toEqual(bySeverity(doc.Issues.map((i: any) => i.severity.toLowerCase())));
    expect(report.findings.find((f) => f.ruleId === 'G501')).toMatchObject({ kind: 'code', severity: 'medium', location: { file: '/vagrant/go/src/govwa/user/user.go', line: 8 } });
    const out = JSON.stringify(report.findings);
    for (const issue of doc.Issues) expect(out).not.toContain(issue.code);
  });

  test('a line range "36-39" gives line and end line', () => {
    const report = parse(fixtureJson(FILE));
    expect(report.findings.filter((f) => f.location.line === 36 && f.location.endLine === 39)).toHaveLength(1);
  });

  test('an issue gosec reports as suppressed (#nosec, -track-suppressions) is still a finding', () => {
    const doc = fixtureJson(FILE);
    doc.Issues = [{ ...doc.Issues[0], suppressions: [{ kind: 'inSource', justification: 'trust me' }] }];
    const [f] = parse(doc).findings;
    expect(f.severity).toBe('low');
    expect(f.description).toMatch(/#nosec\), which the gate does not honour/);
  });

  test('fails on malformed issues: a severity outside LOW/MEDIUM/HIGH, a bad line, no rule id, no Stats', () => {
    const doc = fixtureJson(FILE);
    const issue = doc.Issues[0];
    expect(() => parse({ ...doc, Issues: [{ ...issue, severity: 'SEVERE' }] })).toThrow(/Issues\[0\]\.severity must be LOW, MEDIUM or HIGH/);
    expect(() => parse({ ...doc, Issues: [{ ...issue, line: 'seventy' }] })).toThrow(/Issues\[0\]\.line must be a line number/);
    expect(() => parse({ ...doc, Issues: [issue, { ...issue, rule_id: '' }] })).toThrow(/Issues\[1\]\.rule_id/);
    expect(() => parse({ Issues: [], Stats: 'none' })).toThrow(ReportError);
  });
});
