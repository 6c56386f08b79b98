import { fixtureJson } from './code-fixtures';
import { gitleaksParser } from '../../../src/findings/parsers/gitleaks';
import { ReportError } from '../../../src/findings/types';

const parse = (doc: unknown) => gitleaksParser.parse(doc, { file: 'gitleaks.json' });

describe('gitleaks 4–7 JSON (lowercase keys)', () => {
  test('gitleaks 7.5.0: one unknown-severity secret per leak at file and lineNumber, the rule name as rule id', () => {
    // GIVEN the real 7.5.0 report: 8 leaks over 2 commits
    const doc = fixtureJson('gitleaks/defectdojo/gitleaks_version_7.5.0.json');
    // WHEN
    expect(gitleaksParser.detect(doc)).toBe(true);
    const report = parse(doc);
    // THEN
    expect(report).toMatchObject({ format: 'gitleaks-json', tool: 'gitleaks' });
    expect(report.findings).toHaveLength(8);
    expect(report.findings.filter((f) => f.ruleId === 'AWS Access Key')).toHaveLength(6);
    expect(report.findings.every((f) => f.kind === 'secret' && f.severity === 'unknown')).toBe(true);
    expect(report.findings[3]).toMatchObject({
      ruleId: 'AWS Access Key',
      title: 'AWS Access Key',
      location: { file: 'dojo/unittests/scans/gitlab_secret_detection_report/gitlab_secret_detection_report_3_vuln.json', line: 44 },
    });
    expect(report.findings[0].description).toBe('gitleaks rule AWS Access Key in commit 6d127980966808f7413935678e079dcd7fedf9c2 (tags: key, AWS)');
    // the same leak in two commits stays two findings
    expect(new Set(report.findings.map((f) => f.toolFingerprint)).size).toBe(8);
    expect(report.findings[0].toolFingerprint).toBe(
      '6d127980966808f7413935678e079dcd7fedf9c2:dojo/unittests/scans/gitlab_secret_detection_report/gitlab_secret_detection_report_1_vuln.json:AWS Access Key:13',
    );
  });

  test('gitleaks 4 (no lineNumber): the file without a line; the offender, line, author and message are never copied', () => {
    const doc = fixtureJson('gitleaks/defectdojo/gitleaks_data_many.json');
    const report = parse(doc);
    expect(report.findings.map((f) => f.ruleId)).toEqual(['Github', 'MailChimp API key']);
    expect(report.findings[0].location).toEqual({ file: '.bashrc' });
    const out = JSON.stringify(report.findings);
    for (const leak of doc) for (const field of ['offender', 'line', 'author', 'email', 'commitMessage']) expect(out).not.toContain(leak[field]);
  });

  test('fails on a malformed v7 leak: a missing rule or a non-numeric lineNumber is a ReportError', () => {
    const [leak] = fixtureJson('gitleaks/defectdojo/gitleaks_version_7.5.0.json');
    expect(() => parse([leak, { ...leak, rule: '' }])).toThrow(ReportError);
    expect(() => parse([{ ...leak, lineNumber: '13' }])).toThrow(/\[0\] "lineNumber" must be a number, got a string/);
    expect(() => parse([leak, 'leak'])).toThrow(/\[1\] must be an object/);
  });

  test('a v7 document is not read as v8, nor v8 as v7: the first leak decides and the rest must match', () => {
    const [v7] = fixtureJson('gitleaks/defectdojo/gitleaks_version_7.5.0.json');
    const [v8] = fixtureJson('gitleaks/defectdojo/gitleaks_gitleaks8_many.json');
    expect(() => parse([v7, v8])).toThrow(ReportError);
    expect(() => parse([v8, v7])).toThrow(ReportError);
  });
});
