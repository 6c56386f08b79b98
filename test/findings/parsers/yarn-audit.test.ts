import { fixtureText } from './code-fixtures';
import { parseJsonDocument } from '../../../src/findings/parsers/jsonl';
import { yarnAuditJson } from '../../../src/findings/parsers/yarn-audit';
import { ReportError } from '../../../src/findings/types';

const read = (name: string) => parseJsonDocument(fixtureText(`yarn-audit/defectdojo/${name}`), name) as any[];
const parse = (doc: unknown) => yarnAuditJson.parse(doc, { file: 'yarn.json' });

describe('yarn audit json', () => {
  test('yarn 1: one finding per advisory and installed version, npm advisory ids, moderate → medium', () => {
    const doc = read('yarn_audit_yarn_audit_many_vul.json');
    expect(yarnAuditJson.detect(doc)).toBe(true);
    const report = parse(doc);
    expect(report).toMatchObject({ format: 'yarn-audit-json', tool: 'yarn-audit' });
    expect(report.findings.map((f) => [f.ruleId, f.severity, f.location.package, f.location.version])).toEqual([
      ['NPM-1179', 'low', 'minimist', '0.0.10'],
      ['NPM-1324', 'high', 'handlebars', '4.5.2'],
      ['NPM-1325', 'high', 'handlebars', '4.5.2'],
    ]);
    expect(report.findings[2]).toMatchObject({ cwes: ['CWE-471'], references: ['https://npmjs.com/advisories/1325'] });
  });

  test('yarn 1 with no vulnerabilities (info line and summary): an empty report', () => {
    expect(parse(read('yarn_audit_yarn_audit_zero_vul.json')).findings).toEqual([]);
    expect(parse(read('yarn_audit_yarn_audit_one_vul.json')).findings).toHaveLength(1);
  });

  test('yarn 2+ (yarn npm audit): deprecations are kind other, the advisory is named by its GHSA', () => {
    const report = parse(read('yarn_audit_yarn2_audit_issue9911.json'));
    expect(report.findings.map((f) => f.kind)).toEqual(['other', 'other', 'other', 'vulnerability']);
    expect(report.findings[3]).toMatchObject({ ruleId: 'GHSA-37q5-v5qm-c9v8', severity: 'low', location: { package: 'transformers', version: '4.38' }, aliases: ['NPM-1096536'] });
    expect(report.findings[0].title).toBe('deprecated package @babel/plugin-proposal-class-properties@7.18.6');
  });

  test('fails when the audit did not run, when the summary line is missing, on an unknown severity', () => {
    expect(() => parse(read('yarn_audit_empty_with_error.json'))).toThrow(/the audit did not run \(An unexpected error occurred/);
    const lines = read('yarn_audit_yarn_audit_many_vul.json');
    expect(() => parse(lines.slice(0, -1))).toThrow(/no auditSummary line/);
    const bad = JSON.parse(JSON.stringify(lines));
    bad[0].data.advisory.severity = 'urgent';
    expect(() => parse(bad)).toThrow(ReportError);
  });
});
