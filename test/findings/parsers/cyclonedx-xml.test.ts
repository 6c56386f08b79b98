import { readFileSync } from 'node:fs';
import { fixture, tempFile } from './iac-fixtures';
import { selectXmlParser } from '../../../src/findings/detect';
import { loadReport } from '../../../src/findings/load';
import { ALL_PARSERS } from '../../../src/findings/parsers';
import { sniffXmlRoot } from '../../../src/findings/parsers/xml-detect';
import { ReportError } from '../../../src/findings/types';

const file = (name: string) => fixture('cyclonedx-xml', 'defectdojo', name);
const count = (text: string, re: RegExp) => (text.match(re) ?? []).length;

/** A CycloneDX 1.6 BOM as current tools write it (tools as components), with `body` as its vulnerabilities. */
const bom16 = (body: string, extra = '') => `<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.6" serialNumber="urn:uuid:1b671687-395b-41f5-a30f-a58921a69b79" version="1">
  <metadata>
    <tools><components><component type="application"><name>Trivy</name><version>0.58.0</version></component></components></tools>
    <component type="container" bom-ref="img"><name>app</name></component>
  </metadata>
  <components>
    <component type="library" bom-ref="pkg:npm/lodash@4.17.15"><name>lodash</name><version>4.17.15</version><purl>pkg:npm/lodash@4.17.15</purl>
      <components><component type="library" bom-ref="inner"><name>inner</name><version>1.0.0</version></component></components>
    </component>
  </components>
  ${extra}
  <vulnerabilities>${body}</vulnerabilities>
</bom>`;
const vuln = (id: string, inner: string) => `<vulnerability bom-ref="${id}"><id>${id}</id>${inner}<affects><target><ref>pkg:npm/lodash@4.17.15</ref></target></affects></vulnerability>`;
const load = (xml: string) => loadReport(tempFile('bom.xml', xml));

describe('cyclonedx xml', () => {
  test.each(['cyclonedx_log4j.xml', 'cyclonedx_grype.xml', 'cyclonedx_spec1.xml', 'cyclonedx_jake.xml', 'cyclonedx_cyclonedx_bom.xml'])('%s is claimed by cyclonedx-xml', async (name) => {
    const root = await sniffXmlRoot(file(name));
    expect(selectXmlParser(name, root!, ALL_PARSERS).id).toBe('cyclonedx-xml');
  });

  test('1.4 (grype 0.41): one finding per <vulnerability>, severity from the worst rating, CWEs, the component by its bom-ref', async () => {
    const report = await loadReport(file('cyclonedx_log4j.xml'));
    expect(report).toMatchObject({ format: 'cyclonedx-xml', tool: 'grype' });
    expect(report.findings).toHaveLength(count(readFileSync(file('cyclonedx_log4j.xml'), 'utf8'), /<vulnerability>/g));
    const log4shell = report.findings.find((f) => f.ruleId === 'CVE-2021-44228')!;
    expect(log4shell).toMatchObject({
      severity: 'critical',
      toolSeverity: 'critical',
      cvss: 10,
      location: { package: 'org.apache.logging.log4j:log4j-core', version: '2.13.2', ecosystem: 'maven' },
    });
    const multi = await loadReport(file('cyclonedx_multiple_cwes_fabricated.xml'));
    expect(multi.findings[0]).toMatchObject({ ruleId: 'CVE-2021-99999', severity: 'critical', cvss: 10, cwes: ['CWE-79', 'CWE-89'] });
  });

  test('1.2 with the vulnerability extension inside components (grype 0.7): every <v:vulnerability> is a finding of its component', async () => {
    const text = readFileSync(file('cyclonedx_grype.xml'), 'utf8');
    const report = await loadReport(file('cyclonedx_grype.xml'));
    expect(report.findings).toHaveLength(count(text, /<v:vulnerability /g));
    expect(report.findings.every((f) => f.location.package && f.location.version)).toBe(true);
    expect(report.components).toBeGreaterThan(0);
  });

  test('1.2 extension at the BOM level (the spec\'s example): the rating base score, the worst of two ratings', async () => {
    const report = await loadReport(file('cyclonedx_spec1.xml'));
    expect(report.findings).toEqual([
      expect.objectContaining({
        ruleId: 'CVE-2018-7489',
        severity: 'critical',
        cvss: 9.8,
        cwes: ['CWE-184', 'CWE-502'],
        location: expect.objectContaining({ package: 'com.fasterxml.jackson.core:jackson-databind', version: '2.9.9' }),
        references: expect.arrayContaining(['https://nvd.nist.gov/vuln/detail/CVE-2018-7489', 'https://github.com/FasterXML/jackson-databind/issues/1931']),
      }),
    ]);
  });

  test('SBOMs without vulnerabilities (1.0, 1.1) have zero findings and count their components', async () => {
    const sbom = await loadReport(file('cyclonedx_cyclonedx_bom.xml'));
    expect(sbom.findings).toEqual([]);
    expect(sbom.components).toBe(count(readFileSync(file('cyclonedx_cyclonedx_bom.xml'), 'utf8'), /<component /g));
    expect((await loadReport(file('cyclonedx_jake.xml'))).findings).toEqual([]);
  });

  test('1.4 with an analysis state not_affected: not an open finding, as in CycloneDX JSON', async () => {
    expect((await loadReport(file('cyclonedx_valid-vulnerability-1.4.xml'))).findings).toEqual([]);
  });

  test('1.6: the tool from metadata/tools/components, nested components counted, properties and advisories read', async () => {
    const report = await load(bom16(vuln('CVE-2020-8203', `<source><name>NVD</name><url>https://nvd.nist.gov/vuln/detail/CVE-2020-8203</url></source>
      <ratings><rating><score>7.4</score><severity>high</severity><method>CVSSv31</method></rating></ratings>
      <advisories><advisory><title>GHSA</title><url>https://github.com/advisories/GHSA-p6mc-m468-83gw</url></advisory></advisories>
      <properties><property name="aquasecurity:trivy:FixedVersion">4.17.19</property></properties>`)));
    expect(report).toMatchObject({ format: 'cyclonedx-xml', tool: 'trivy', components: 2 });
    expect(report.findings).toEqual([
      expect.objectContaining({
        ruleId: 'CVE-2020-8203',
        severity: 'high',
        cvss: 7.4,
        fixVersion: '4.17.19',
        location: expect.objectContaining({ package: 'lodash', version: '4.17.15', purl: 'pkg:npm/lodash@4.17.15' }),
        references: ['https://nvd.nist.gov/vuln/detail/CVE-2020-8203', 'https://github.com/advisories/GHSA-p6mc-m468-83gw'],
      }),
    ]);
  });

  test('fails on a section CycloneDX does not define under <bom>, a renamed <vulnerability>, a repeated single-valued element, a bad score', async () => {
    const cases: Array<[string, RegExp]> = [
      [bom16('', `<Vulnerabilities>${vuln('CVE-1', '')}</Vulnerabilities>`), /<bom> has an element <Vulnerabilities>, which CycloneDX does not define/],
      [bom16('<finding><id>CVE-1</id></finding>'), /<vulnerabilities> holds a <finding>, not a <vulnerability>/],
      [bom16(vuln('CVE-1', '<id>CVE-2</id>')), /vulnerability 1 has two <id> elements/],
      [bom16(vuln('CVE-1', '<ratings><rating><severity>critical</severity><severity>low</severity></rating></ratings>')), /vulnerability 1 has two <severity> elements/],
      [bom16(vuln('CVE-1', '<ratings><rating><score>high</score></rating></ratings>')), /must be a CVSS score from 0 to 10, got "high"/],
    ];
    for (const [xml, message] of cases) {
      const err = await load(xml).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ReportError);
      expect((err as Error).message).toMatch(message);
    }
  });
});
