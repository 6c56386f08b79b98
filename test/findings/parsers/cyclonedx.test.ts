import { bySeverity, copy, loadFixture, parseFixture } from './deps-fixtures';
import { cycloneDxJson } from '../../../src/findings/parsers/cyclonedx';
import { ReportError } from '../../../src/findings/types';

const NOT_OPEN = ['not_affected', 'false_positive', 'resolved', 'resolved_with_pedigree'];

/** Open findings the file implies: each vulnerability not closed by its analysis, once per affected ref (or once). */
function expectedCount(doc: any): number {
  return (doc.vulnerabilities ?? [])
    .filter((v: any) => !NOT_OPEN.includes(v.analysis?.state))
    .reduce((n: number, v: any) => n + Math.max(1, v.affects?.length ?? 0), 0);
}

function countComponents(list: any[] | undefined): number {
  return (list ?? []).reduce((n, c) => n + 1 + countComponents(c.components), 0);
}

describe('cyclonedx json', () => {
  test.each([
    'cyclonedx-vex/defectdojo/cyclonedx_log4j.json',
    'cyclonedx-vex/defectdojo/cyclonedx_valid-vulnerability-1.4.json',
    'cyclonedx/hand-made/vulnerabilities-1.5.json',
    'cyclonedx-npm/bom-cdx1.6.json',
    'syft/anchore-syft-golden/cyclonedxjson-TestCycloneDxImageEncoder.golden',
  ])('%s: open vulnerabilities × affected components, and the component count', (rel) => {
    const raw = loadFixture(rel);
    const report = parseFixture(cycloneDxJson, rel);
    expect(report.format).toBe('cyclonedx-json');
    expect(report.findings).toHaveLength(expectedCount(raw));
    expect(report.components).toBe(countComponents(raw.components));
  });

  test('grype log4j report: 8 vulnerabilities in triage, severity from ratings, tool from metadata', () => {
    const report = parseFixture(cycloneDxJson, 'cyclonedx-vex/defectdojo/cyclonedx_log4j.json');
    expect(report.tool).toBe('grype');
    expect(report.findings).toHaveLength(8);
    // ratings: CVE-2021-44228, -45046 and GHSA-7rjr…, GHSA-jfh8… critical; -44832, -45105, GHSA-8489… medium; GHSA-p6xc… high
    expect(bySeverity(report.findings)).toEqual({ critical: 4, medium: 3, high: 1 });
    expect(report.findings.find((f) => f.ruleId === 'GHSA-jfh8-c2jp-5v3q')).toMatchObject({
      severity: 'critical',
      fixVersion: '2.15.0', // grype:fixed_versions property
      location: {
        purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.13.2', // the component's purl (the ref is its bom-ref)
        package: 'org.apache.logging.log4j:log4j-core',
        version: '2.13.2',
        ecosystem: 'maven',
      },
    });
    expect(report.findings.find((f) => f.ruleId === 'CVE-2021-44228')).toMatchObject({ cves: ['CVE-2021-44228'], cvss: 10 });
  });

  test('a VEX statement not_affected is not an open finding', () => {
    const report = parseFixture(cycloneDxJson, 'cyclonedx-vex/defectdojo/cyclonedx_valid-vulnerability-1.4.json');
    expect(report.findings).toEqual([]);
    // the same vulnerability without the analysis is one finding for jackson-databind
    const doc = copy(loadFixture('cyclonedx-vex/defectdojo/cyclonedx_valid-vulnerability-1.4.json'));
    delete doc.vulnerabilities[0].analysis;
    const [f] = cycloneDxJson.parse(doc, { file: 'v.json' }).findings;
    expect(f).toMatchObject({
      ruleId: 'SNYK-JAVA-COMFASTERXMLJACKSONCORE-32111',
      severity: 'critical',
      cves: ['CVE-2018-7489'],
      cwes: ['CWE-184', 'CWE-502'],
      cvss: 9.8,
      location: { package: 'com.fasterxml.jackson.core:jackson-databind', version: '2.9.4' },
    });
  });

  test('ratings: a score alone is banded, a vector alone is computed, unknown stays unknown', () => {
    const { findings, tool } = parseFixture(cycloneDxJson, 'cyclonedx/hand-made/vulnerabilities-1.5.json');
    expect(tool).toBe('trivy');
    expect(findings.map((f) => [f.ruleId, f.severity, f.location.package, f.location.version])).toEqual([
      ['CVE-2021-3749', 'high', 'axios', '0.21.0'],
      ['CVE-2022-0155', 'medium', 'follow-redirects', '1.13.0'],
      // a BOM-Link into another document: its bom-ref is a purl
      ['CVE-2022-0155', 'medium', 'follow-redirects', '1.14.0'],
      ['EXAMPLE-2025-0001', 'unknown', 'org.example/libxml-wrapper', '2.1.0'],
    ]);
    expect(findings[0]).toMatchObject({ aliases: ['GHSA-cph5-m8f7-6c5x'], cwes: ['CWE-1333'], cvss: 7.5 });
    // CVE-2020-28168 is analysed false_positive
    expect(findings.map((f) => f.ruleId)).not.toContain('CVE-2020-28168');
  });

  test('SBOMs without vulnerabilities are valid input with zero findings', () => {
    const npm = parseFixture(cycloneDxJson, 'cyclonedx-npm/bom-cdx1.6.json');
    expect(npm).toMatchObject({ findings: [], components: 4 });
    const syft = parseFixture(cycloneDxJson, 'syft/anchore-syft-golden/cyclonedxjson-TestCycloneDxImageEncoder.golden');
    expect(syft).toMatchObject({ tool: 'syft', findings: [], components: 3 });
  });

  test('fails on a vulnerability without an id', () => {
    const doc = copy(loadFixture('cyclonedx-vex/defectdojo/cyclonedx_log4j.json'));
    delete doc.vulnerabilities[3].id;
    expect(() => cycloneDxJson.parse(doc, { file: 'c.json' })).toThrow(ReportError);
    expect(() => cycloneDxJson.parse(doc, { file: 'c.json' })).toThrow(/c\.json: cyclonedx json: vulnerabilities\[3\]\.id/);
  });

  test('fails without a specVersion, or with components that are not a list', () => {
    const doc = copy(loadFixture('cyclonedx-npm/bom-cdx1.6.json'));
    delete doc.specVersion;
    expect(() => cycloneDxJson.parse(doc, { file: 'c.json' })).toThrow(/specVersion/);
    expect(() => cycloneDxJson.parse({ bomFormat: 'CycloneDX', specVersion: '1.6', components: {} }, { file: 'c.json' })).toThrow(
      /"components" must be an array/,
    );
  });
});
