import { bySeverity, copy, loadFixture, parseFixture } from './deps-fixtures';
import { osvScannerJson } from '../../../src/findings/parsers/osv-scanner';
import { ReportError } from '../../../src/findings/types';

/** Findings the file itself implies: one per group, plus one per record in no group. */
function groupCount(doc: any): number {
  let n = 0;
  for (const r of doc.results) {
    for (const p of r.packages) {
      const grouped = new Set((p.groups ?? []).flatMap((g: any) => g.ids));
      n += (p.groups ?? []).length + p.vulnerabilities.filter((v: any) => !grouped.has(v.id)).length;
    }
  }
  return n;
}

describe('osv-scanner json', () => {
  test.each(['osv-scanner/defectdojo/osv_scanner_many_findings.json', 'osv-scanner/hand-made/osv-scanner-v2-groups.json'])(
    '%s: one finding per vulnerability group',
    (rel) => {
      const expected = groupCount(loadFixture(rel));
      const report = parseFixture(osvScannerJson, rel);
      expect(report).toMatchObject({ format: 'osv-scanner-json', tool: 'osv-scanner' });
      expect(report.findings).toHaveLength(expected);
    },
  );

  test('66 OSV records in 37 groups: GHSA/PYSEC twins are one finding with both ids', () => {
    // GIVEN
    const raw = loadFixture('osv-scanner/defectdojo/osv_scanner_many_findings.json');
    const records = raw.results.flatMap((r: any) => r.packages.flatMap((p: any) => p.vulnerabilities));
    expect(records).toHaveLength(66);
    // WHEN
    const { findings } = parseFixture(osvScannerJson, 'osv-scanner/defectdojo/osv_scanner_many_findings.json');
    // THEN
    expect(findings).toHaveLength(37);
    const urllib3 = findings.filter((f) => f.location.package === 'urllib3');
    expect(urllib3).toHaveLength(1);
    expect(urllib3[0]).toMatchObject({
      ruleId: 'GHSA-g4mx-q9vg-27p4',
      cves: ['CVE-2023-45803'],
      aliases: ['PYSEC-2023-212'],
      location: { version: '1.26.17', ecosystem: 'PyPI', file: '/tmpgapps/requirements.txt' },
    });
  });

  test('severity from the CVSS v3 vector, computed: django GHSA-2gwj-7jmv-h26r is 9.8 critical', () => {
    const { findings } = parseFixture(osvScannerJson, 'osv-scanner/defectdojo/osv_scanner_many_findings.json');
    expect(findings.find((f) => f.ruleId === 'GHSA-2gwj-7jmv-h26r')).toMatchObject({
      severity: 'critical',
      cvss: 9.8,
      cves: ['CVE-2022-28346'],
      location: { package: 'django', version: '3.2.4' },
    });
    // every record here has a CVSS v3 vector: no finding is left unknown
    expect(bySeverity(findings).unknown).toBeUndefined();
  });

  test('group max_severity wins; a CVSS v4-only record falls back to its label; no data is unknown', () => {
    const { findings } = parseFixture(osvScannerJson, 'osv-scanner/hand-made/osv-scanner-v2-groups.json');
    expect(findings.map((f) => [f.ruleId, f.severity, f.toolSeverity, f.fixVersion])).toEqual([
      ['GHSA-p6mc-m468-83gw', 'high', '7.4', '4.17.19'],
      ['GHSA-xvch-5gv4-984h', 'critical', 'CRITICAL', '1.2.6'],
      // GIT ranges fix commits, not versions: the fix is the ECOSYSTEM one above 1.26.17
      ['PYSEC-2023-212', 'unknown', undefined, '1.26.18'],
    ]);
    expect(findings[0].cwes).toEqual(['CWE-770', 'CWE-1321']);
  });

  test('an empty report is claimed; other results lists are not', () => {
    expect(osvScannerJson.detect({ results: [] })).toBe(true);
    expect(osvScannerJson.detect({ results: [], errors: [], paths: { scanned: [] } })).toBe(false);
    expect(osvScannerJson.detect({ results: [{ check_id: 'x', path: 'a.py' }] })).toBe(false);
  });

  test('fails on a record without an id', () => {
    const doc = copy(loadFixture('osv-scanner/hand-made/osv-scanner-v2-groups.json'));
    delete doc.results[1].packages[0].vulnerabilities[0].id;
    expect(() => osvScannerJson.parse(doc, { file: 'o.json' })).toThrow(ReportError);
    expect(() => osvScannerJson.parse(doc, { file: 'o.json' })).toThrow(/o\.json: osv-scanner json: results\[1\]\.packages\[0\]\.vulnerabilities\[0\]\.id/);
  });

  test('fails on a group naming no record of its package', () => {
    const doc = copy(loadFixture('osv-scanner/hand-made/osv-scanner-v2-groups.json'));
    doc.results[0].packages[0].groups[0].ids = ['GHSA-0000-0000-0000'];
    expect(() => osvScannerJson.parse(doc, { file: 'o.json' })).toThrow(/groups\[0\]\.ids names no vulnerability of this package/);
  });
});
