import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { CLI, ensureBundledCli } from './bundled-cli';
import { fixture, tempDir } from '../support';

/**
 * The bundled gate on the report formats added for format breadth: real reports give the
 * verdict their findings call for, malformed ones exit 2.
 */
beforeAll(() => ensureBundledCli());

const t = tempDir();
afterAll(() => t.cleanup());

function gate(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'gate', ...args], { cwd: t.dir, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('gatehouse gate on OWASP Dependency-Check reports', () => {
  test('JSON: fails on high with CVE-2018-1000632 in dom4j 1.6.1', () => {
    const r = gate('--fail-on', 'high', fixture('dependency-check', 'sonar-plugin', 'reportWithExceptions.json'));
    expect(r.code).toBe(1);
    expect(r.out).toContain('(dependency-check-json, 1 finding)');
    expect(r.out).toMatch(/HIGH\s+CVE-2018-1000632\s+CVE-2018-1000632 in dom4j:dom4j@1\.6\.1/);
  });

  test('XML: fails on high with the critical CVE-2019-7238 a suppression file had hidden', () => {
    const r = gate('--fail-on', 'high', fixture('dependency-check', 'defectdojo', 'dependency_check_multiple_vulnerabilities_has_multiple_findings.xml'));
    expect(r.code).toBe(1);
    expect(r.out).toContain('dependency-check-xml');
    expect(r.out).toMatch(/CRITICAL\s+CVE-2019-7238/);
  });

  test('XML: passes --fail-on high when its only finding is low (CVE-2020-9488, cvssV3 3.7), fails --fail-on low', () => {
    const report = fixture('dependency-check', 'defectdojo', 'dependency_check_version-6.5.3.xml');
    expect(gate('--fail-on', 'high', report).code).toBe(0);
    const low = gate('--fail-on', 'low', report);
    expect(low.code).toBe(1);
    expect(low.out).toMatch(/LOW\s+CVE-2020-9488/);
  });

  test('a truncated XML report and a JSON report without its dependencies list exit 2', () => {
    const xml = readFileSync(fixture('dependency-check', 'defectdojo', 'dependency_check_version-6.5.3.xml'), 'utf8');
    expect(gate('--fail-on', 'none', t.file('truncated.xml', xml.slice(0, xml.length - 200))).code).toBe(2);
    const doc = JSON.parse(readFileSync(fixture('dependency-check', 'sonar-plugin', 'reportWithExceptions.json'), 'utf8'));
    doc.dependencies = null;
    expect(gate('--fail-on', 'none', t.file('no-deps.json', JSON.stringify(doc))).code).toBe(2);
  });
});

describe('gatehouse gate on the other real reports that did not parse before', () => {
  test.each([
    ['gitleaks 7.5.0', 'gitleaks-json', fixture('gitleaks', 'defectdojo', 'gitleaks_version_7.5.0.json')],
    ['trufflehog3 3.x', 'trufflehog3-json', fixture('trufflehog3', 'defectdojo', 'trufflehog3_many_vulns_current.json')],
    ['truffleHog 2 JSON Lines', 'trufflehog2-json', fixture('trufflehog2', 'defectdojo', 'trufflehog_v2_many_vulns.jsonl')],
    ['safety 2.x with CVE objects', 'safety-json', fixture('safety', 'pyupio-safety-tests', 'report_with_recommended_fix.json')],
    ['GitLab DAST schema 13.1 with ZAP keys', 'gitlab-security-report', fixture('gitlab', 'defectdojo', 'gitlab_dast_gitlab_dast_many_vul_v15.json')],
    ['Snyk', 'snyk-json', fixture('snyk', 'defectdojo', 'snyk_all-projects_many_vulns.json')],
    ['Nuclei', 'nuclei-json', fixture('nuclei', 'defectdojo', 'nuclei_many_findings.json')],
    ['gosec', 'gosec-json', fixture('gosec', 'defectdojo', 'gosec_many_vulns.json')],
    ['Brakeman', 'brakeman-json', fixture('brakeman', 'defectdojo', 'brakeman_two_findings.json')],
    ['yarn audit', 'yarn-audit-json', fixture('yarn-audit', 'defectdojo', 'yarn_audit_yarn_audit_many_vul.json')],
  ])('%s: read as %s, and its findings fail --fail-on low', (_name, format, report) => {
    const r = gate('--fail-on', 'low', report);
    expect(r.out).toContain(`(${format}, `);
    expect(r.code).toBe(1);
  });

  test('yarn audit that could not reach its registry exits 2, never a pass', () => {
    const r = gate('--fail-on', 'none', fixture('yarn-audit', 'defectdojo', 'yarn_audit_empty_with_error.json'));
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/the audit did not run/);
  });
});
