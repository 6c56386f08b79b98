import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { CLI, ensureBundledCli } from '../findings/cli/bundled-cli';
import { fixture, tempDir } from '../findings/support';

/**
 * Theme: a scanner report in which the app team hid a finding with the tool's own ignore mechanism
 * (a suppression file or comment committed to the repository). Each case runs the bundled gate and
 * asserts its exit code: the finding still fails the gate (1). Bent severities and truncated reports
 * of these formats are bad input (exit 2): see the parser tests.
 */
beforeAll(() => ensureBundledCli());

const t = tempDir();
afterAll(() => t.cleanup());
const json = (rel: string[]) => JSON.parse(readFileSync(fixture(...rel), 'utf8'));
const gate = (file: string, ...args: string[]) => spawnSync(process.execPath, [CLI, 'gate', ...args, file], { cwd: t.dir, encoding: 'utf8', timeout: 60_000 }).status;

describe('findings hidden by the tool\'s own repository-side ignores still fail the gate', () => {
  test('dependency-check: the high CVE moved to suppressedVulnerabilities (a committed suppression.xml) → exit 1', () => {
    const doc = json(['dependency-check', 'sonar-plugin', 'reportWithExceptions.json']);
    const dep = doc.dependencies[0];
    dep.suppressedVulnerabilities = dep.vulnerabilities;
    delete dep.vulnerabilities;
    expect(gate(t.file('dc-suppressed.json', JSON.stringify(doc)), '--fail-on', 'high')).toBe(1);
  });

  test('dependency-check XML: every <vulnerability> renamed <suppressedVulnerability> → exit 1', () => {
    const xml = readFileSync(fixture('dependency-check', 'defectdojo', 'dependency_check_version-6.5.3.xml'), 'utf8')
      .replace(/<vulnerability /g, '<suppressedVulnerability ')
      .replace(/<\/vulnerability>/g, '</suppressedVulnerability>');
    expect(gate(t.file('dc-suppressed.xml', xml), '--fail-on', 'low')).toBe(1);
  });

  test('snyk: the vulnerability moved to filtered.ignore (a committed .snyk) → exit 1', () => {
    const doc = json(['snyk', 'defectdojo', 'snyk_single_project_one_vuln.json']);
    doc.filtered = { ignore: doc.vulnerabilities, patch: [] };
    doc.vulnerabilities = [];
    doc.ok = true;
    expect(gate(t.file('snyk-ignored.json', JSON.stringify(doc)), '--fail-on', 'medium')).toBe(1);
  });

  test('brakeman: the warnings moved to ignored_warnings (a committed brakeman.ignore) → exit 1', () => {
    const doc = json(['brakeman', 'defectdojo', 'brakeman_two_findings.json']);
    doc.ignored_warnings = doc.warnings;
    doc.warnings = [];
    expect(gate(t.file('brakeman-ignored.json', JSON.stringify(doc)), '--fail-on', 'high')).toBe(1);
  });

  test('gosec: the issue carries an in-source #nosec suppression (-track-suppressions) → exit 1', () => {
    const doc = json(['gosec', 'defectdojo', 'gosec_many_vulns.json']);
    doc.Issues = doc.Issues.filter((i: any) => i.severity === 'MEDIUM').map((i: any) => ({ ...i, nosec: true, suppressions: [{ kind: 'inSource', justification: '' }] }));
    expect(gate(t.file('gosec-nosec.json', JSON.stringify(doc)), '--fail-on', 'medium')).toBe(1);
  });
});

describe('a report two parsers could claim', () => {
  test('a GitLab DAST report that also carries ZAP\'s keys is read as GitLab (its high finding fails), not refused as ambiguous', () => {
    expect(gate(fixture('gitlab', 'defectdojo', 'gitlab_dast_gitlab_dast_many_vul_v15.json'), '--fail-on', 'high')).toBe(1);
  });
});
