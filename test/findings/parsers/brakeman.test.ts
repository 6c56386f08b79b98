import { fixtureJson } from './code-fixtures';
import { brakemanJson } from '../../../src/findings/parsers/brakeman';
import { ReportError } from '../../../src/findings/types';

const parse = (doc: unknown) => brakemanJson.parse(doc, { file: 'brakeman.json' });

describe('brakeman json', () => {
  test('two Render warnings: unknown severity (brakeman rates confidence only), file, line, fingerprint, link', () => {
    const doc = fixtureJson('brakeman/defectdojo/brakeman_two_findings.json');
    expect(brakemanJson.detect(doc)).toBe(true);
    const report = parse(doc);
    expect(report).toMatchObject({ format: 'brakeman-json', tool: 'brakeman' });
    expect(report.findings).toHaveLength(2);
    expect(report.findings[0]).toMatchObject({
      kind: 'code',
      ruleId: 'Render',
      title: 'Dynamic Render Path: Render path contains parameter value',
      severity: 'unknown',
      toolSeverity: 'confidence: Weak',
      location: { file: 'app/views/users/show_follow.html.erb', line: 25 },
      toolFingerprint: '518c8b9dc22e0e30a72f5e39e79c33ec6c3640f86bf95c5ce2472e6399072f71',
      references: ['https://brakemanscanner.org/docs/warning_types/dynamic_render_path/'],
    });
  });

  test('18 warnings, 6 of them SQLCVEs; an empty report has none', () => {
    const report = parse(fixtureJson('brakeman/defectdojo/brakeman_many_findings.json'));
    expect(report.findings).toHaveLength(18);
    expect(report.findings.filter((f) => f.ruleId === 'SQLCVEs')).toHaveLength(6);
    expect(parse(fixtureJson('brakeman/defectdojo/brakeman_no_finding.json')).findings).toEqual([]);
  });

  test('ignored warnings (brakeman.ignore in the repository) and scan errors are findings too', () => {
    const doc = fixtureJson('brakeman/defectdojo/brakeman_two_findings.json');
    doc.ignored_warnings = [doc.warnings.pop()];
    doc.errors = [{ error: 'app/models/user.rb:3 :: parse error on value "end"', location: '/gems/brakeman/lib/brakeman/processor.rb:42' }];
    const report = parse(doc);
    expect(report.findings.map((f) => f.ruleId)).toEqual(['Render', 'Render', 'brakeman-scan-error']);
    expect(report.findings[1].description).toMatch(/brakeman ignore file, which the gate does not honour/);
    expect(report.findings[2]).toMatchObject({ severity: 'unknown', location: {} });
  });

  test('fails on malformed warnings: an unknown confidence, no check name, a warnings object', () => {
    const doc = fixtureJson('brakeman/defectdojo/brakeman_two_findings.json');
    const w = doc.warnings[0];
    expect(() => parse({ ...doc, warnings: [{ ...w, confidence: 'Certain' }] })).toThrow(/warnings\[0\]\.confidence must be High, Medium or Weak/);
    expect(() => parse({ ...doc, warnings: [w, { ...w, check_name: undefined }] })).toThrow(/warnings\[1\]\.check_name/);
    expect(() => parse({ ...doc, ignored_warnings: {} })).toThrow(ReportError);
  });
});
