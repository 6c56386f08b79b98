/**
 * Attacks on severities: a finding whose severity is present but cannot be read counts at the
 * highest level (critical), so it cannot slip under `--fail-on critical`; SARIF's level and
 * `security-severity` combine to the higher. Each case runs the bundled gate and asserts its exit code.
 */
import { ensureCli, gatehouse } from './bundled-gate';
import { tempDir } from '../findings/support';

beforeAll(ensureCli);
const t = tempDir();
afterAll(() => t.cleanup());

let n = 0;
const report = (doc: unknown): string => t.file(`report-${n++}.json`, JSON.stringify(doc));
const gate = (...args: string[]) => gatehouse(t.dir, ['gate', ...args]);

/** A trivy image report with one vulnerability whose `Severity` is `severity` (absent when undefined). */
function trivy(severity: unknown): string {
  const vuln: Record<string, unknown> = { VulnerabilityID: 'CVE-2024-0001', PkgName: 'openssl', InstalledVersion: '3.1.0-r0' };
  if (severity !== undefined) vuln.Severity = severity;
  return report({ SchemaVersion: 2, ArtifactName: 'img', ArtifactType: 'container_image', Results: [{ Target: 'img (alpine 3.18)', Class: 'os-pkgs', Type: 'alpine', Vulnerabilities: [vuln] }] });
}

/** A SARIF log with one rule and one result. */
function sarif(rule: Record<string, unknown>, result: Record<string, unknown>): string {
  return report({
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'codeql', rules: [{ id: 'js/sql-injection', ...rule }] } }, results: [{ ruleId: 'js/sql-injection', ruleIndex: 0, message: { text: 'query built from user input' }, ...result }] }],
  });
}

describe('GIVEN --fail-on critical, WHEN a finding\'s severity is present but unreadable, THEN it counts as critical (exit 1)', () => {
  const unreadable: Array<[string, unknown]> = [
    ['a score where a word belongs ("9.8")', '9.8'],
    ['an empty string', ''],
    ['look-alike letters (Cyrillic Н in НIGH)', '\u041dIGH'],
    ['fullwidth letters (ＨＩＧＨ)', '\uff28\uff29\uff27\uff28'],
    ['a number', 9.8],
    ['a word no tool uses ("SEVERE")', 'SEVERE'],
  ];
  test.each(unreadable)('fails on %s', (_name, severity) => {
    const r = gate('--fail-on', 'critical', trivy(severity));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/critical 1/);
  });

  test('a readable word keeps its level: HIGH passes a critical gate (exit 0)', () => {
    expect(gate('--fail-on', 'critical', trivy('HIGH')).code).toBe(0);
  });

  test('an absent severity follows --unknown-as (high by default: passes a critical gate; fails with --unknown-as critical)', () => {
    expect(gate('--fail-on', 'critical', trivy(undefined)).code).toBe(0);
    expect(gate('--fail-on', 'critical', '--unknown-as', 'critical', trivy(undefined)).code).toBe(1);
  });
});

describe('GIVEN SARIF, THEN level and security-severity combine to the higher', () => {
  test('fails on security-severity 0.0 on a level: error result under --fail-on high (not info)', () => {
    const r = gate('--fail-on', 'high', sarif({ properties: { 'security-severity': '0.0' } }, { level: 'error' }));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/high 1/);
  });

  test('fails on a result without level whose rule default is error, even with a low security-severity', () => {
    const r = gate('--fail-on', 'high', sarif({ defaultConfiguration: { level: 'error' }, properties: { 'security-severity': '2.0' } }, {}));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/high 1/);
  });

  test('a result without level and no rule default is a warning (medium, SARIF 2.1.0 §3.27.10)', () => {
    expect(gate('--fail-on', 'medium', sarif({}, {})).code).toBe(1);
    expect(gate('--fail-on', 'high', sarif({}, {})).code).toBe(0);
  });

  test('fails on a security-severity that is not a number, under --fail-on critical', () => {
    for (const value of ['high', '', 'NaN', '11']) {
      const r = gate('--fail-on', 'critical', sarif({ properties: { 'security-severity': value } }, { level: 'note' }));
      expect([value, r.code]).toEqual([value, 1]);
    }
  });

  test('a result whose kind is not fail is still not a finding', () => {
    expect(gate('--fail-on', 'info', sarif({ defaultConfiguration: { level: 'error' } }, { kind: 'pass' })).code).toBe(0);
  });
});
