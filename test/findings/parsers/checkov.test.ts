import { countBy, expectReportError, fixture, parseJsonFixture, readJson } from './iac-fixtures';
import { checkovParser } from '../../../src/findings/parsers/checkov';

const NAMES = [
  'defectdojo/checkov_checkov-report-many-vuln.json',
  'defectdojo/checkov_checkov-report-0-vuln.json',
  'handmade/checkov-multi-framework.json',
  'handmade/checkov-nothing-scanned.json',
];
const FILES = NAMES.map((name) => fixture('checkov', name));

/** Failed and skipped (suppressed) checks and their severities as the file states them (null → unknown). */
function expectedFrom(path: string): Record<string, number> {
  const doc = readJson(path);
  const reports: any[] = Array.isArray(doc) ? doc : [doc];
  const checks = reports.flatMap((r) => [...(r.results?.failed_checks ?? []), ...(r.results?.skipped_checks ?? [])]);
  const severities = checks.map((c: any) => (c.severity ? String(c.severity).toLowerCase() : 'unknown'));
  return countBy(severities, (s) => s);
}

describe('checkov parser', () => {
  test.each(NAMES)('finds one finding per failed or skipped check with the file\'s severities: %s', (name) => {
    // GIVEN
    const path = fixture('checkov', name);
    // WHEN
    const report = parseJsonFixture(checkovParser, path);
    // THEN
    expect(report.format).toBe('checkov-json');
    expect(countBy(report.findings, (f) => f.severity)).toEqual(expectedFrom(path));
  });

  test('reads rule, title, location and guideline of a failed check', () => {
    // WHEN
    const report = parseJsonFixture(checkovParser, FILES[0]);
    // THEN the file lists 3 failed checks (its summary says 2)
    expect(report.findings).toHaveLength(3);
    expect(report.findings[0]).toMatchObject({
      tool: 'checkov',
      kind: 'misconfiguration',
      ruleId: 'CKV_AZURE_41',
      title: 'Ensure the key vault is recoverable',
      severity: 'unknown',
      location: { file: 'file_path', line: 1, endLine: 16, target: 'azurerm_key_vault.main' },
      references: ['https://docs.bridgecrew.io/docs/ensure-the-key-vault-is-recoverable'],
    });
  });

  test('reads every framework of an array report; a check skipped by a comment is a finding saying so; passed checks are not', () => {
    // WHEN
    const report = parseJsonFixture(checkovParser, FILES[2]);
    // THEN
    expect(report.findings.map((f) => f.ruleId)).toEqual(['CKV_AWS_19', 'CKV_AWS_24', 'CKV_AWS_18', 'CKV_DOCKER_2', 'CKV_DOCKER_3']);
    expect(report.findings[2]).toMatchObject({ severity: 'low', toolSeverity: 'LOW' });
    expect(report.findings[2].description).toMatch(/suppressed in the repository \(a checkov skip comment: "logs bucket itself"\), which the gate does not honour/);
    expect(report.findings.filter((f) => /suppressed in the repository/.test(f.description ?? ''))).toHaveLength(1);
    expect(report.findings[1]).toMatchObject({ severity: 'critical', toolSeverity: 'CRITICAL', location: { file: '/network.tf', line: 12, endLine: 30 } });
    expect(report.findings[3].severity).toBe('unknown');
  });

  test('maps an SCA check to a package vulnerability', () => {
    // GIVEN
    const doc = {
      check_type: 'sca_package',
      results: {
        failed_checks: [{
          check_id: 'CKV_CVE_2022_42969',
          check_name: 'SCA package scan',
          check_result: { result: 'FAILED' },
          file_path: '/requirements.txt',
          file_line_range: [0, 0],
          severity: null,
          vulnerability_details: { id: 'CVE-2022-42969', package_name: 'py', package_version: '1.11.0', cvss: 7.5, fixed_version: '1.11.1' },
        }],
      },
    };
    // WHEN
    const [finding] = checkovParser.parse(doc, { file: 'sca.json' }).findings;
    // THEN
    expect(finding).toMatchObject({
      kind: 'vulnerability',
      severity: 'high',
      cves: ['CVE-2022-42969'],
      fixVersion: '1.11.1',
      location: { file: '/requirements.txt', line: undefined, package: 'py', version: '1.11.0' },
    });
  });

  test('does not claim documents of other formats', () => {
    expect(checkovParser.detect([])).toBe(false);
    expect(checkovParser.detect([{ name: 'pip-audit-like' }])).toBe(false);
    expect(checkovParser.detect({ results: [] })).toBe(false);
    expect(checkovParser.detect(null)).toBe(false);
  });

  test('fails on a failed check without check_id', async () => {
    const doc = { check_type: 'terraform', results: { failed_checks: [{ check_name: 'x' }] } };
    await expectReportError(() => checkovParser.parse(doc, { file: 'bad.json' }), /bad\.json: checkov report: \$\.results\.failed_checks\[0\]\.check_id must be a non-empty string/);
  });

  test('fails on a report whose results are not an object', async () => {
    await expectReportError(() => checkovParser.parse({ check_type: 'terraform', results: [] }, { file: 'bad.json' }), /\$ "results" must be an object, got an array of 0/);
  });

  test('fails on a failed_checks entry whose result is PASSED', async () => {
    const doc = { check_type: 'terraform', results: { failed_checks: [{ check_id: 'CKV_1', check_result: { result: 'PASSED' } }] } };
    await expectReportError(() => checkovParser.parse(doc, { file: 'bad.json' }), /check_result\.result is "PASSED" in failed_checks/);
  });

  test('fails on a summary-only report that counts failures', async () => {
    await expectReportError(() => checkovParser.parse({ checkov_version: '3.2.0', passed: 0, failed: 2 }, { file: 'bad.json' }), /counts failed checks but the report has no results/);
  });

  test('fails on a severity that is not text', async () => {
    const doc = { check_type: 'terraform', results: { failed_checks: [{ check_id: 'CKV_1', severity: 9 }] } };
    await expectReportError(() => checkovParser.parse(doc, { file: 'bad.json' }), /severity must be a string or null/);
  });
});
