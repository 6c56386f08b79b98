import { bySeverity, copy, loadFixture, parseFixture } from './deps-fixtures';
import { safetyJson } from '../../../src/findings/parsers/safety';
import { ReportError } from '../../../src/findings/types';

describe('safety json', () => {
  test('2.x report: every vulnerability, unknown severity when safety gives none', () => {
    // GIVEN
    const raw = loadFixture('safety/pyupio-safety-tests/report.json');
    const open = raw.vulnerabilities;
    // WHEN
    const report = parseFixture(safetyJson, 'safety/pyupio-safety-tests/report.json');
    // THEN
    expect(report).toMatchObject({ format: 'safety-json', tool: 'safety' });
    expect(report.findings).toHaveLength(open.length);
    expect(report.findings[0]).toMatchObject({
      ruleId: 'PYUP-25853',
      severity: 'unknown', // "severity": null without an API key
      location: { package: 'insecure-package', version: '0.1.0', ecosystem: 'pypi' },
      references: ['https://pyup.io/vulnerabilities/PVE-2021-25853/25853/'],
    });
    expect(report.findings[0].fixVersion).toBeUndefined(); // fixed_versions: [""]
  });

  test('2.x: cvssv3 score gives the severity; ignored vulnerabilities (either list) are findings saying so, once each', () => {
    // GIVEN the fixture with a scored vulnerability and an ignored copy
    const doc = copy(loadFixture('safety/pyupio-safety-tests/report.json'));
    const scored = doc.vulnerabilities[0];
    scored.CVE = 'CVE-2021-0001';
    scored.severity = { source: 'CVE-2021-0001', cvssv2: { base_score: 5 }, cvssv3: { base_score: 9.1, base_severity: 'CRITICAL' } };
    const ignored = { ...copy(scored), vulnerability_id: '99999', ignored: true, ignored_reason: 'accepted' };
    doc.vulnerabilities.push(ignored);
    doc.ignored_vulnerabilities = [copy(ignored), { ...copy(ignored), vulnerability_id: '88888' }];
    // WHEN
    const { findings } = safetyJson.parse(doc, { file: 's.json' });
    // THEN
    expect(findings.map((f) => f.ruleId)).toEqual(['PYUP-25853', 'PYUP-99999', 'PYUP-88888']);
    expect(findings[0]).toMatchObject({ severity: 'critical', toolSeverity: 'CRITICAL', cvss: 9.1, cves: ['CVE-2021-0001'] });
    expect(findings[0].description).not.toMatch(/ignored by safety/);
    for (const f of findings.slice(1)) {
      expect(f).toMatchObject({ severity: 'critical', cvss: 9.1 });
      expect(f.description).toMatch(/ignored by safety \(a policy file or --ignore of the scanned repository\), which the gate does not honour/);
    }
  });

  test('1.x rows: one finding per row', () => {
    const rows: unknown[][] = loadFixture('safety/hand-made/safety-1x-rows.json');
    const { findings } = parseFixture(safetyJson, 'safety/hand-made/safety-1x-rows.json');
    expect(findings.map((f) => [f.ruleId, f.location.package, f.location.version])).toEqual(rows.map((r) => [`PYUP-${r[4]}`, r[0], r[2]]));
    expect(bySeverity(findings)).toEqual({ unknown: 2 });
  });

  test('3.x scan: every known vulnerability, the policy-ignored one included, severity from cvssv3 then cvssv2', () => {
    // GIVEN
    const raw = loadFixture('safety/hand-made/safety-3x-scan.json');
    const known = raw.scan_results.projects
      .flatMap((p: any) => p.files)
      .flatMap((f: any) => f.results.dependencies)
      .flatMap((d: any) => d.specifications)
      .flatMap((s: any) => s.vulnerabilities.known_vulnerabilities);
    // WHEN
    const { findings } = parseFixture(safetyJson, 'safety/hand-made/safety-3x-scan.json');
    // THEN
    expect(findings).toHaveLength(known.length);
    expect(findings.map((f) => [f.ruleId, f.severity, f.cvss])).toEqual([
      ['PYUP-51340', 'high', 7.5],
      ['PYUP-25714', 'medium', 5],
      ['PYUP-25725', expect.any(String), expect.anything()],
      ['PYUP-58755', 'unknown', undefined],
    ]);
    expect(findings.filter((f) => /ignored by safety/.test(f.description ?? '')).map((f) => f.ruleId)).toEqual(['PYUP-25725']);
    expect(findings[0]).toMatchObject({
      cves: ['CVE-2022-41323'],
      fixVersion: '4.2.17',
      location: { package: 'django', version: '1.8.0', file: 'requirements.txt' },
    });
    // an unpinned requirement has no single installed version
    expect(findings[3].location.version).toBeUndefined();
  });

  test('does not claim an empty array or arrays of other things', () => {
    expect(safetyJson.detect([])).toBe(false);
    expect(safetyJson.detect([{ name: 'x' }])).toBe(false);
    expect(safetyJson.detect([['a', '<1', '0.1', 'text', '1']])).toBe(true);
  });

  test('fails on a 2.x vulnerability without a package name', () => {
    const doc = copy(loadFixture('safety/pyupio-safety-tests/report.json'));
    delete doc.vulnerabilities[0].package_name;
    expect(() => safetyJson.parse(doc, { file: 's.json' })).toThrow(ReportError);
    expect(() => safetyJson.parse(doc, { file: 's.json' })).toThrow(/s\.json: safety json: vulnerabilities\[0\]\.package_name/);
  });

  test('fails on a 3.x dependency without a name', () => {
    const doc = copy(loadFixture('safety/hand-made/safety-3x-scan.json'));
    delete doc.scan_results.projects[0].files[0].results.dependencies[1].name;
    expect(() => safetyJson.parse(doc, { file: 's.json' })).toThrow(/scan_results\.projects\[0\]\.files\[0\]\.results\.dependencies\[1\]\.name/);
  });

  test('fails on a truncated 1.x row', () => {
    expect(() => safetyJson.parse([['django', '<2', '1.0', 'text']], { file: 's.json' })).toThrow(/\[0\] must have 5 to 7 entries/);
  });
});
