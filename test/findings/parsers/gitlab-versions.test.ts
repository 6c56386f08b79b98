import { copy } from './deps-fixtures';
import { fixture, readJson } from './iac-fixtures';
import { ALL_PARSERS } from '../../../src/findings/parsers';
import { gitlabParser } from '../../../src/findings/parsers/gitlab';
import { JsonParser, ReportError } from '../../../src/findings/types';

const claimants = (doc: unknown) => ALL_PARSERS.filter((p): p is JsonParser => p.type === 'json' && p.detect(doc)).map((p) => p.id);
const parse = (doc: unknown) => gitlabParser.parse(doc, { file: 'gl.json' });

describe('gitlab security reports of every schema version', () => {
  test('a DAST report of schema 13.1 carrying ZAP\'s own keys (@generated, site, spider) is a GitLab report, not a ZAP one', () => {
    // GIVEN the real report: version 13.1.0, 10 vulnerabilities, and ZAP's `site` with its alerts
    const doc = readJson(fixture('gitlab', 'defectdojo', 'gitlab_dast_gitlab_dast_many_vul_v15.json'));
    expect(Object.keys(doc)).toEqual(expect.arrayContaining(['@generated', '@version', 'site', 'spider', 'remediations', 'scan']));
    // WHEN / THEN
    expect(claimants(doc)).toEqual(['gitlab-security-report']);
    const report = parse(doc);
    expect(report.tool).toBe('zaproxy');
    expect(report.findings).toHaveLength(10);
    expect(report.findings.map((f) => f.severity).sort()).toEqual(['high', 'low', 'low', 'low', 'low', 'low', 'low', 'low', 'low', 'medium']);
    expect(report.findings[0]).toMatchObject({ kind: 'dast', ruleId: '10062', title: 'PII Disclosure', location: { host: 'http://api-server', url: 'http://api-server/v1/trees' } });
  });

  test('a coverage fuzzing report (schema 3.0, libfuzzer) gives its one code finding', () => {
    const doc = readJson(fixture('gitlab', 'defectdojo', 'gitlab_api_fuzzing_gitlab_api_fuzzing_1_vuln_v15.json'));
    expect(claimants(doc)).toEqual(['gitlab-security-report']);
    const [f] = parse(doc).findings;
    expect(f).toMatchObject({ kind: 'code', severity: 'low', tool: 'libfuzzer' });
  });

  test('schema 15 adds a top-level `schema` URL: accepted and read the same', () => {
    const doc = copy(readJson(fixture('gitlab', 'defectdojo', 'gitlab_sast_gl-sast-report-1-vuln_v15.json')));
    const before = parse(doc).findings;
    doc.schema = 'https://gitlab.com/gitlab-org/security-products/security-report-schemas/-/raw/v15.0.7/dist/sast-report-format.json';
    doc.version = '15.0.7';
    expect(claimants(doc)).toEqual(['gitlab-security-report']);
    expect(parse(doc).findings).toEqual(before);
  });

  test('fails on a DAST report whose vulnerabilities are not objects, even with ZAP\'s keys beside them', () => {
    const doc = copy(readJson(fixture('gitlab', 'defectdojo', 'gitlab_dast_gitlab_dast_many_vul_v15.json')));
    doc.vulnerabilities.push('PII Disclosure');
    expect(claimants(doc)).toEqual(['gitlab-security-report']);
    expect(() => parse(doc)).toThrow(ReportError);
  });
});
