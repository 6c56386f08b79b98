import { bySeverity, copy, loadFixture, parseFixture, tally } from './deps-fixtures';
import { grypeJson } from '../../../src/findings/parsers/grype';
import { ReportError } from '../../../src/findings/types';

describe('grype json', () => {
  test.each(['grype/defectdojo/anchore_grype_many_vulns.json', 'grype/defectdojo/anchore_grype_no_vuln.json', 'grype/hand-made/grype-current-model.json'])(
    '%s: one finding per match (ignored ones included), severities as the file says',
    (rel) => {
      // GIVEN the matches and their severity words, read straight from the file
      const doc = loadFixture(rel);
      const matches: any[] = [...doc.matches, ...(doc.ignoredMatches ?? [])];
      // WHEN
      const report = parseFixture(grypeJson, rel);
      // THEN
      expect(report).toMatchObject({ format: 'grype-json', tool: 'grype' });
      expect(report.findings).toHaveLength(matches.length);
      expect(bySeverity(report.findings)).toEqual(tally(matches.map((m) => m.vulnerability.severity)));
    },
  );

  test('the 3.8 MB grype 0.7.0 report: 1,509 matches, Negligible counted as low', () => {
    const { findings } = parseFixture(grypeJson, 'grype/defectdojo/anchore_grype_many_vulns.json');
    expect(findings).toHaveLength(1509);
    // README: Medium 613, Negligible 681, Low 107, High 32, Unknown 76
    expect(bySeverity(findings)).toEqual({ medium: 613, low: 681 + 107, high: 32, unknown: 76 });
    expect(findings[0]).toMatchObject({
      ruleId: 'CVE-2011-3389',
      severity: 'medium',
      cves: ['CVE-2011-3389'],
      cvss: 4.3,
      location: {
        package: 'libgnutls-openssl27',
        version: '3.6.7-4+deb10u5',
        purl: 'pkg:deb/debian/libgnutls-openssl27@3.6.7-4+deb10u5?arch=amd64',
        ecosystem: 'deb',
        file: '/var/lib/dpkg/status',
        target: 'python:3.6',
      },
    });
    // the early model's fixedInVersion is the fix version
    const raw = loadFixture('grype/defectdojo/anchore_grype_many_vulns.json').matches;
    const withFix = raw.findIndex((m: any) => m.vulnerability.fixedInVersion);
    expect(findings[withFix].fixVersion).toBe(raw[withFix].vulnerability.fixedInVersion);
  });

  test('current model: GHSA with its CVE, fix version, worst CVSS; an ignored match is a finding naming the rule that ignored it', () => {
    const { findings } = parseFixture(grypeJson, 'grype/hand-made/grype-current-model.json');
    expect(findings.map((f) => f.ruleId)).toEqual(['GHSA-p6mc-m468-83gw', 'CVE-2021-33574', 'CVE-2022-1271']);
    expect(findings[2]).toMatchObject({ severity: 'high', location: { package: 'gzip', version: '1.9-3' } });
    expect(findings[2].description).toMatch(/suppressed in the repository \(grype ignore rules: CVE-2022-1271 "accepted u.*"\), which the gate does not honour/);
    expect(findings.slice(0, 2).every((f) => !/suppressed/.test(f.description ?? ''))).toBe(true);
    expect(findings[0]).toMatchObject({
      severity: 'high',
      cves: ['CVE-2020-8203'],
      fixVersion: '4.17.19',
      cvss: 7.4,
      location: { package: 'lodash', version: '4.17.15', purl: 'pkg:npm/lodash@4.17.15', target: 'registry.example.com/app:1.4.2' },
    });
    expect(findings[0].aliases).toBeUndefined();
    // grype's Negligible (Debian's rating) wins over NVD's critical score: the score is kept for the record
    expect(findings[1]).toMatchObject({ severity: 'low', toolSeverity: 'Negligible', cvss: 9.8 });
    expect(findings[1].fixVersion).toBeUndefined();
  });

  test('does not claim documents with an unrelated matches list', () => {
    expect(grypeJson.detect({ matches: [{ rule: 'x' }] })).toBe(false);
    expect(grypeJson.detect({ matches: [], descriptor: { name: 'grype' } })).toBe(true);
  });

  test('fails on a match without an artifact name', () => {
    const doc = copy(loadFixture('grype/hand-made/grype-current-model.json'));
    delete doc.matches[1].artifact.name;
    expect(() => grypeJson.parse(doc, { file: 'g.json' })).toThrow(ReportError);
    expect(() => grypeJson.parse(doc, { file: 'g.json' })).toThrow(/g\.json: grype json: matches\[1\]\.artifact\.name/);
  });

  test('fails when matches is not an array', () => {
    expect(() => grypeJson.parse({ matches: 'none', descriptor: { name: 'grype' } }, { file: 'g.json' })).toThrow(/"matches" must be an array/);
  });
});
