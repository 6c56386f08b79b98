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

describe('results the scanner itself reports as suppressed (by a comment, an ignore file or a policy of the repository) fail the gate', () => {
  const findingsOf = (file: string): any[] => {
    const r = spawnSync(process.execPath, [CLI, 'findings', file], { cwd: t.dir, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    return JSON.parse(r.stdout).findings;
  };
  const saysSuppressed = /suppressed in the repository \(.+\), which the gate does not honour/;

  test('checkov: every failed check moved to skipped_checks (`#checkov:skip=` comments) → exit 1', () => {
    const doc = json(['checkov', 'defectdojo', 'checkov_checkov-report-many-vuln.json']);
    doc.results.skipped_checks = doc.results.failed_checks.map((c: any) => ({ ...c, check_result: { result: 'SKIPPED', suppress_comment: 'not in prod' } }));
    doc.results.failed_checks = [];
    const file = t.file('checkov-skipped.json', JSON.stringify(doc));
    expect(gate(file, '--fail-on', 'high')).toBe(1);
    expect(findingsOf(file).every((f) => saysSuppressed.test(f.description))).toBe(true);
  });

  test('grype: every match moved to ignoredMatches (a `.grype.yaml` ignore rule) → exit 1', () => {
    const doc = json(['grype', 'hand-made', 'grype-current-model.json']);
    doc.ignoredMatches = [...doc.matches, ...doc.ignoredMatches].map((m: any) => ({ ...m, appliedIgnoreRules: [{ vulnerability: m.vulnerability.id, reason: 'accepted' }] }));
    doc.matches = [];
    expect(gate(t.file('grype-ignored.json', JSON.stringify(doc)), '--fail-on', 'high')).toBe(1);
  });

  test('safety 2.x: every vulnerability ignored (`.safety-policy.yml`) → exit 1', () => {
    const doc = json(['safety', 'pyupio-safety-tests', 'report.json']);
    doc.ignored_vulnerabilities = doc.vulnerabilities.map((v: any) => ({ ...v, ignored: true, ignored_reason: 'accepted' }));
    doc.vulnerabilities = doc.ignored_vulnerabilities;
    expect(gate(t.file('safety2-ignored.json', JSON.stringify(doc)), '--fail-on', 'high')).toBe(1);
  });

  test('safety 3.x: every known vulnerability ignored by the policy file → exit 1', () => {
    const doc = json(['safety', 'hand-made', 'safety-3x-scan.json']);
    for (const project of doc.scan_results.projects) {
      for (const f of project.files) {
        for (const dep of f.results.dependencies) {
          for (const spec of dep.specifications) for (const v of spec.vulnerabilities.known_vulnerabilities) v.ignored = { code: 'manual', reason: 'accepted', expires: null };
        }
      }
    }
    expect(gate(t.file('safety3-ignored.json', JSON.stringify(doc)), '--fail-on', 'high')).toBe(1);
  });

  test('SARIF: every result carries an accepted in-source suppression → exit 1', () => {
    const doc = json(['sarif', 'defectdojo', 'sarif_njsscan.sarif']);
    for (const run of doc.runs) for (const res of run.results) res.suppressions = [{ kind: 'inSource', status: 'accepted', justification: 'reviewed' }];
    const file = t.file('sarif-suppressed.sarif', JSON.stringify(doc));
    expect(gate(file, '--fail-on', 'high')).toBe(1);
    expect(findingsOf(file).every((f) => saysSuppressed.test(f.description))).toBe(true);
  });

  test('conftest: the failing rule excepted by a Rego `exception` rule → exit 1', () => {
    const doc = json(['conftest', 'conftest-0.54-kubernetes-handmade.json']);
    for (const check of doc) {
      if (check.failures) check.exceptions = [{ msg: `data.${check.namespace}.exception[_][_] == "run_as_root"` }];
      delete check.failures;
    }
    expect(gate(t.file('conftest-excepted.json', JSON.stringify(doc)), '--fail-on', 'high')).toBe(1);
  });

  test('tfsec: every failed result ignored by a `tfsec:ignore` comment (status 2, --include-ignored) → exit 1', () => {
    const doc = json(['tfsec', 'handmade', 'tfsec-1.x.json']);
    for (const r of doc.results) if (r.status === 0) r.status = 2;
    expect(gate(t.file('tfsec-ignored.json', JSON.stringify(doc)), '--fail-on', 'high')).toBe(1);
  });

  test('trivy --show-suppressed: every vulnerability moved to ExperimentalModifiedFindings (`.trivyignore`) → exit 1', () => {
    const doc = json(['trivy', 'defectdojo', 'trivy_scheme_2_many_vulns.json']);
    for (const r of doc.Results) {
      r.ExperimentalModifiedFindings = (r.Vulnerabilities ?? []).map((v: any) => ({ Type: 'vulnerability', Status: 'ignored', Statement: 'accepted', Source: '.trivyignore', Finding: v }));
      delete r.Vulnerabilities;
    }
    const file = t.file('trivy-suppressed.json', JSON.stringify(doc));
    expect(gate(file, '--fail-on', 'high')).toBe(1);
    expect(findingsOf(file).map((f) => f.description).every((d) => /suppressed in the repository \(trivy ignored by \.trivyignore: "accepted"\)/.test(d))).toBe(true);
  });

  test('Dependency-Track: every finding analysed NOT_AFFECTED and suppressed in the Dependency-Track server → exit 1', () => {
    const doc = json(['dependency-track', 'defectdojo', 'dependency_track_many_findings_with_alias.json']);
    for (const f of doc.findings) f.analysis = { state: 'NOT_AFFECTED', isSuppressed: true };
    const file = t.file('dtrack-suppressed.json', JSON.stringify(doc));
    expect(gate(file, '--fail-on', 'high')).toBe(1);
    expect(findingsOf(file).every((f) => /analysed in Dependency-Track as NOT_AFFECTED, suppressed, which the gate does not honour/.test(f.description))).toBe(true);
  });

  test('semgrep --disable-nosem: results marked `is_ignored` (a nosemgrep comment) fail the gate and say so', () => {
    const doc = json(['semgrep', 'defectdojo', 'semgrep_many_vulns.json']);
    for (const res of doc.results) res.extra.is_ignored = true;
    const file = t.file('semgrep-nosem.json', JSON.stringify(doc));
    expect(gate(file, '--fail-on', 'high')).toBe(1);
    expect(findingsOf(file).every((f) => /suppressed in the repository \(a nosemgrep comment\)/.test(f.description))).toBe(true);
  });
});

describe('a report two parsers could claim', () => {
  test('a GitLab DAST report that also carries ZAP\'s keys is read as GitLab (its high finding fails), not refused as ambiguous', () => {
    expect(gate(fixture('gitlab', 'defectdojo', 'gitlab_dast_gitlab_dast_many_vul_v15.json'), '--fail-on', 'high')).toBe(1);
  });
});
