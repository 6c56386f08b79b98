import { billionLaughs, expectReportError, fixture, gunzipFixture, rawText, tempFile } from './iac-fixtures';
import { openscapArfParser } from '../../../src/findings/parsers/openscap-arf';
import { openscapXccdfParser } from '../../../src/findings/parsers/openscap-xccdf';

const ARF_NS = 'http://scap.nist.gov/schema/asset-reporting-format/1.1';
const ARF = fixture('openscap', 'arf-standard.xml');

async function parse(path: string) {
  return openscapArfParser.parse(path, { file: path });
}

describe('openscap arf parser', () => {
  test('finds the failed rules of the TestResult, titled from the Benchmark inside the ARF', async () => {
    // GIVEN the rule-results of the file's TestResult (the only xccdf `result` elements in it)
    const failed = (rawText(ARF).match(/<result>fail<\/result>/g) ?? []).length;
    // WHEN
    const report = await parse(ARF);
    // THEN
    expect(report.format).toBe('openscap-arf');
    expect(report.findings).toHaveLength(failed);
    expect(report.findings[0]).toMatchObject({
      tool: 'openscap',
      kind: 'compliance',
      ruleId: 'xccdf_org.ssgproject.content_rule_file_permissions_systemmap',
      title: 'Verify that local System.map file (if exists) is readable only by root',
      severity: 'unknown',
      location: { host: 'vm' },
    });
  });

  test('gives the same findings as the XCCDF results of the same profile', async () => {
    // GIVEN
    const xccdf = gunzipFixture(fixture('openscap', 'xccdf-results-standard.xml.gz'));
    // WHEN
    const fromArf = (await parse(ARF)).findings;
    const fromXccdf = (await openscapXccdfParser.parse(xccdf, { file: xccdf })).findings;
    // THEN
    expect(fromArf).toEqual(fromXccdf);
  });

  test('detects the ARF root only', () => {
    expect(openscapArfParser.detect({ name: 'asset-report-collection', uri: ARF_NS })).toBe(true);
    expect(openscapArfParser.detect({ name: 'asset-report-collection', uri: '' })).toBe(false);
    expect(openscapArfParser.detect({ name: 'Benchmark', uri: 'http://checklists.nist.gov/xccdf/1.2' })).toBe(false);
  });

  test('fails on an ARF without TestResult', async () => {
    const path = tempFile('empty-arf.xml', `<arf:asset-report-collection xmlns:arf="${ARF_NS}"><arf:reports/></arf:asset-report-collection>`);
    await expectReportError(() => parse(path), /empty-arf\.xml: openscap-arf: the file holds no TestResult/);
  });

  test('fails on a truncated ARF', async () => {
    const path = tempFile('truncated-arf.xml', rawText(ARF).slice(0, 1_000_000));
    await expectReportError(() => parse(path), /openscap-arf: malformed XML \(.*unclosed tag/);
  });

  test('fails on the billion laughs payload without expanding it', async () => {
    const path = tempFile('lol.xml', billionLaughs('asset-report-collection', ARF_NS));
    await expectReportError(() => parse(path), /the DOCTYPE declares entities, which are refused/);
  });

  test('fails on an XCCDF file given as ARF', async () => {
    const path = fixture('openscap', 'handmade', 'testresult-only.xml');
    await expectReportError(() => parse(path), /the root element is TestResult, not an ARF asset-report-collection/);
  });
});
