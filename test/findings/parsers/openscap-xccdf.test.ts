import { billionLaughs, countBy, expectReportError, externalEntity, fixture, gunzipFixture, rawText, tempFile } from './iac-fixtures';
import { openscapXccdfParser } from '../../../src/findings/parsers/openscap-xccdf';

const XCCDF12 = 'http://checklists.nist.gov/xccdf/1.2';

/** Results that are findings (fail, error, unknown), read from the raw XML text. */
function findingResults(xml: string): Record<string, number> {
  return countBy(xml.match(/<result>(fail|error|unknown)<\/result>/g) ?? [], (r) => r.replace(/<\/?result>/g, ''));
}

async function parse(path: string) {
  return openscapXccdfParser.parse(path, { file: path });
}

describe('openscap xccdf parser', () => {
  let standard: string;
  beforeAll(() => {
    standard = gunzipFixture(fixture('openscap', 'xccdf-results-standard.xml.gz'));
  });

  test('finds the one failed rule of the real SSG run, with its benchmark title and severity', async () => {
    // GIVEN
    const expected = findingResults(rawText(standard));
    // WHEN
    const report = await parse(standard);
    // THEN
    expect(expected).toEqual({ fail: 1 });
    expect(report.format).toBe('openscap-xccdf');
    expect(report.findings).toEqual([
      {
        tool: 'openscap',
        kind: 'compliance',
        ruleId: 'xccdf_org.ssgproject.content_rule_file_permissions_systemmap',
        title: 'Verify that local System.map file (if exists) is readable only by root',
        severity: 'unknown',
        toolSeverity: 'unknown',
        description: undefined,
        location: { host: 'vm' },
        cves: undefined,
        aliases: undefined,
      },
    ]);
  });

  test('reads an XCCDF 1.1 report: rule-result severity and CVE idents', async () => {
    // GIVEN
    const path = fixture('openscap', 'defectdojo', 'openscap_one_vuln_rhsa.xml');
    // WHEN
    const report = await parse(path);
    // THEN
    expect(report.findings).toHaveLength(findingResults(rawText(path)).fail);
    expect(report.findings[0]).toMatchObject({
      ruleId: 'oval-com.redhat.rhsa-def-20060117',
      title: 'RHSA-2006:0117: vixie-cron security update (Low)',
      severity: 'low',
      cves: ['CVE-2005-1038'],
      location: { host: 'sample.system' },
    });
  });

  test('turns error and unknown results into unknown-severity findings and leaves notchecked out', async () => {
    // GIVEN
    const path = fixture('openscap', 'handmade', 'xccdf-error-unknown.xml');
    const expected = findingResults(rawText(path));
    // WHEN
    const { findings } = await parse(path);
    // THEN
    expect(findings).toHaveLength(expected.fail + expected.error + expected.unknown);
    expect(findings.map((f) => [f.ruleId.replace('xccdf_org.example_rule_', ''), f.severity, f.toolSeverity])).toEqual([
      ['sshd_disable_root_login', 'medium', 'medium'],
      ['audit_rules_immutable', 'unknown', 'high'],
      ['package_telnet_removed', 'unknown', 'low'],
      ['openssl_cve', 'high', 'high'],
    ]);
    expect(findings[0]).toMatchObject({ aliases: ['CCE-80901-2'], description: 'PermitRootLogin is set to yes in /etc/ssh/sshd_config', location: { host: 'build-host-01' } });
    expect(findings[1]).toMatchObject({ title: 'Make the auditd Configuration Immutable', description: expect.stringContaining('returned "error"') });
    expect(findings[3].cves).toEqual(['CVE-2024-0727']);
  });

  test('reads a TestResult without its Benchmark', async () => {
    // WHEN
    const { findings } = await parse(fixture('openscap', 'handmade', 'testresult-only.xml'));
    // THEN
    expect(findings).toEqual([
      expect.objectContaining({ ruleId: 'xccdf_org.ssgproject.content_rule_file_permissions_systemmap', title: 'xccdf_org.ssgproject.content_rule_file_permissions_systemmap', severity: 'unknown' }),
    ]);
  });

  test('detects XCCDF results roots only', () => {
    expect(openscapXccdfParser.detect({ name: 'Benchmark', uri: XCCDF12 })).toBe(true);
    expect(openscapXccdfParser.detect({ name: 'TestResult', uri: 'http://checklists.nist.gov/xccdf/1.1' })).toBe(true);
    expect(openscapXccdfParser.detect({ name: 'Benchmark', uri: '' })).toBe(false);
    expect(openscapXccdfParser.detect({ name: 'asset-report-collection', uri: 'http://scap.nist.gov/schema/asset-reporting-format/1.1' })).toBe(false);
  });

  test('fails on a benchmark without TestResult', async () => {
    const path = tempFile('benchmark.xml', `<Benchmark xmlns="${XCCDF12}" id="b"><Rule id="r" severity="high"><title>t</title></Rule></Benchmark>`);
    await expectReportError(() => parse(path), /benchmark\.xml: openscap-xccdf: the file holds no TestResult; this is a benchmark, not scan results/);
  });

  test('fails on a rule-result without result', async () => {
    const path = tempFile('noresult.xml', `<TestResult xmlns="${XCCDF12}" id="t"><rule-result idref="r1" severity="high"/></TestResult>`);
    await expectReportError(() => parse(path), /rule-result r1 has no result element/);
  });

  test('fails on a result value XCCDF does not define', async () => {
    const path = tempFile('bogus.xml', `<TestResult xmlns="${XCCDF12}" id="t"><rule-result idref="r1"><result>passed-ish</result></rule-result></TestResult>`);
    await expectReportError(() => parse(path), /rule-result r1 has result "passed-ish", which XCCDF 1.2 does not define/);
  });

  test('fails on a truncated results file', async () => {
    const text = rawText(standard);
    const path = tempFile('truncated.xml', text.slice(0, text.length - 200));
    await expectReportError(() => parse(path), /openscap-xccdf: malformed XML \(.*unclosed tag/);
  });

  test('fails on the billion laughs payload without expanding it', async () => {
    const path = tempFile('lol.xml', billionLaughs('Benchmark', XCCDF12));
    await expectReportError(() => parse(path), /the DOCTYPE declares entities, which are refused/);
  });

  test('fails on an external entity (XXE) in a result', async () => {
    const body = '<TestResult id="t"><rule-result idref="r1"><result>&xxe;</result></rule-result></TestResult>';
    const path = tempFile('xxe.xml', externalEntity('Benchmark', body, XCCDF12));
    await expectReportError(() => parse(path), /the DOCTYPE declares entities/);
  });

  test('fails on another root element', async () => {
    const path = tempFile('zap.xml', '<OWASPZAPReport/>');
    await expectReportError(() => parse(path), /the root element is OWASPZAPReport, not an XCCDF Benchmark or TestResult/);
  });
});
