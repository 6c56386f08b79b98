import { countBy, expectReportError, fixture, parseJsonFixture, readJson } from './iac-fixtures';
import { gitlabParser } from '../../../src/findings/parsers/gitlab';

const NAMES = [
  'defectdojo/gitlab_dep_scan_gl-dependency-scanning-report-many-vuln_v15.json',
  'defectdojo/gitlab_sast_gl-sast-report-1-vuln_v15.json',
  'defectdojo/gitlab_sast_gl-sast-report-0-vuln.json',
  'handmade/gl-container-scanning-report.json',
  'handmade/gl-secret-detection-report.json',
  'handmade/gl-dast-report.json',
  'handmade/gl-sast-report-tracking.json',
];

function parse(name: string) {
  return parseJsonFixture(gitlabParser, fixture('gitlab', name));
}

describe('gitlab security report parser', () => {
  test.each(NAMES)('finds one finding per vulnerability with the file\'s severities: %s', (name) => {
    // GIVEN
    const raw = readJson(fixture('gitlab', name));
    const expected = countBy(raw.vulnerabilities as any[], (v) => (v.severity ? String(v.severity).toLowerCase() : 'unknown'));
    // WHEN
    const report = parse(name);
    // THEN
    expect(report.format).toBe('gitlab-security-report');
    expect(report.findings).toHaveLength(raw.vulnerabilities.length);
    expect(countBy(report.findings, (f) => f.severity)).toEqual(expected);
  });

  test('names a dependency vulnerability by its CVE and reads package, version and ecosystem', () => {
    // WHEN
    const report = parse(NAMES[0]);
    // THEN
    expect(report.tool).toBe('gemnasium');
    expect(report.findings[0]).toMatchObject({
      tool: 'gemnasium',
      kind: 'vulnerability',
      ruleId: 'CVE-2020-29652',
      title: 'Nil Pointer Dereference',
      severity: 'high',
      cves: ['CVE-2020-29652'],
      location: { file: 'service/go.sum', package: 'golang.org/x/crypto', version: 'v0.0.0-20190219172222-a4c6cb3142f2', ecosystem: 'go' },
    });
    // a vulnerability without a CVE keeps its primary identifier
    expect(report.findings[5]).toMatchObject({ ruleId: '7368f513-0aa9-4e34-a08d-40ea81f48e0e', severity: 'unknown', cves: undefined });
  });

  test('reads a pre-14 report without scan section', () => {
    // WHEN
    const report = parse(NAMES[1]);
    // THEN
    expect(report.tool).toBe('gitlab');
    expect(report.findings[0]).toMatchObject({
      ruleId: 'Password in URL',
      title: 'Password in URL',
      severity: 'critical',
      kind: 'code',
      cves: undefined,
      location: { file: 'docker-compose.override.unit_tests.yml', line: 19, endLine: 19 },
    });
  });

  test('reads a container scanning vulnerability with image and operating system', () => {
    // WHEN
    const [, curl] = parse(NAMES[3]).findings;
    // THEN
    expect(curl).toMatchObject({
      tool: 'trivy',
      kind: 'vulnerability',
      ruleId: 'CVE-2023-38545',
      severity: 'critical',
      aliases: ['DSA-5526-1'],
      location: { package: 'libcurl4', version: '7.88.1-10+deb12u1', ecosystem: 'debian', target: 'registry.example.com/acme/app:1.4.0' },
    });
  });

  test('reads secret detection and DAST reports', () => {
    // WHEN
    const [secret] = parse(NAMES[4]).findings;
    const [xss, banner] = parse(NAMES[5]).findings;
    // THEN
    expect(secret).toMatchObject({ tool: 'gitleaks', kind: 'secret', ruleId: 'AWS', location: { file: 'config/settings.py', line: 12 } });
    expect(xss).toMatchObject({
      tool: 'zaproxy',
      kind: 'dast',
      ruleId: '40012',
      severity: 'high',
      cwes: ['CWE-79'],
      location: { host: 'http://app.internal:8000', url: 'http://app.internal:8000/search' },
    });
    expect(banner).toMatchObject({ severity: 'info', location: { url: 'http://app.internal:8000/' } });
  });

  test('takes the most precise tracking signature as the fingerprint', () => {
    // WHEN
    const [finding] = parse(NAMES[6]).findings;
    // THEN
    expect(finding).toMatchObject({
      ruleId: 'bandit.B608',
      cwes: ['CWE-89'],
      toolFingerprint: 'scope_offset:taskManager/views.py|search_tasks[0]:7',
      location: { file: 'taskManager/views.py', line: 42 },
    });
  });

  test('does not claim documents of other formats', () => {
    expect(gitlabParser.detect({ bomFormat: 'CycloneDX', version: '1', vulnerabilities: [] })).toBe(false);
    expect(gitlabParser.detect({ report_meta: {}, version: '3.0', vulnerabilities: [] })).toBe(false);
    expect(gitlabParser.detect({ version: 1, vulnerabilities: [] })).toBe(false);
    expect(gitlabParser.detect({ version: '2.1', vulnerabilities: [{ id: 'x' }] })).toBe(false);
  });

  test('fails on a vulnerability without identifiers', async () => {
    const doc = { version: '15.0.7', scan: { type: 'sast' }, vulnerabilities: [{ severity: 'High', location: { file: 'a.py' } }] };
    await expectReportError(() => gitlabParser.parse(doc, { file: 'gl.json' }), /gl\.json: gitlab security report: \$\.vulnerabilities\[0\]\.identifiers must be an array/);
  });

  test('fails on an empty identifier list', async () => {
    const doc = { version: '15.0.7', scan: { type: 'sast' }, vulnerabilities: [{ identifiers: [], location: { file: 'a.py' } }] };
    await expectReportError(() => gitlabParser.parse(doc, { file: 'gl.json' }), /identifiers is empty/);
  });

  test('fails on a vulnerability without location', async () => {
    const doc = { version: '15.0.7', scan: { type: 'sast' }, vulnerabilities: [{ identifiers: [{ type: 'cwe', value: '79' }] }] };
    await expectReportError(() => gitlabParser.parse(doc, { file: 'gl.json' }), /\$\.vulnerabilities\[0\]\.location must be an object/);
  });
});
