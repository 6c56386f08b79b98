import { copy, loadFixture, parseFixture } from './deps-fixtures';
import { fixture, rawText, tempFile } from './iac-fixtures';
import { dependencyCheckJson } from '../../../src/findings/parsers/dependency-check-json';
import { dependencyCheckXml } from '../../../src/findings/parsers/dependency-check-xml';
import { ReportError } from '../../../src/findings/types';

const xml = (name: string) => fixture('dependency-check', 'defectdojo', name);
const parseXml = (path: string) => dependencyCheckXml.parse(path, { file: path });

describe('dependency-check json', () => {
  test('12.1.1: CVE-2024-9329 in the glassfish jar, severity from cvssv3 6.1, fix from versionEndExcluding, CWEs', () => {
    const report = parseFixture(dependencyCheckJson, 'dependency-check/sonar-plugin/reportWithCvssV4.json');
    expect(report).toMatchObject({ format: 'dependency-check-json', tool: 'dependency-check' });
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({
      kind: 'vulnerability',
      ruleId: 'CVE-2024-9329',
      severity: 'medium',
      toolSeverity: 'MEDIUM',
      cvss: 6.1,
      cves: ['CVE-2024-9329'],
      cwes: ['CWE-601', 'CWE-233'],
      fixVersion: '7.0.17',
      location: { package: 'org.glassfish.hk2.osgi-resource-locator-1.0.3.jar', file: '/work/target/quarkus-app/lib/main/org.glassfish.hk2.osgi-resource-locator-1.0.3.jar' },
    });
    expect(report.findings[0].references).toContain('https://github.com/eclipse-ee4j/glassfish/pull/25106');
  });

  test('5.2.4: the maven purl names the package; cvssv3 7.5 wins over cvssv2 6.4', () => {
    const [f] = parseFixture(dependencyCheckJson, 'dependency-check/sonar-plugin/reportWithExceptions.json').findings;
    expect(f).toMatchObject({
      ruleId: 'CVE-2018-1000632',
      severity: 'high',
      cvss: 7.5,
      location: { package: 'dom4j:dom4j', version: '1.6.1', ecosystem: 'maven', purl: 'pkg:maven/dom4j/dom4j@1.6.1' },
      title: 'CVE-2018-1000632 in dom4j:dom4j@1.6.1',
    });
  });

  test('without any CVSS score the severity word counts; a suppressed vulnerability is still a finding', () => {
    const doc = copy(loadFixture('dependency-check/sonar-plugin/reportWithExceptions.json'));
    const vuln = doc.dependencies[0].vulnerabilities[0];
    delete vuln.cvssv2;
    delete vuln.cvssv3;
    vuln.severity = 'moderate';
    doc.dependencies[0].suppressedVulnerabilities = [{ ...copy(vuln), name: 'CVE-2020-10683', severity: 'CRITICAL' }];
    const findings = dependencyCheckJson.parse(doc, { file: 'dc.json' }).findings;
    expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([['CVE-2018-1000632', 'medium'], ['CVE-2020-10683', 'critical']]);
    expect(findings[1].description).toMatch(/suppression file, which the gate does not honour/);
  });

  test('fails on malformed content: no dependencies list, a vulnerability without a name, a score out of range', () => {
    const base = loadFixture('dependency-check/sonar-plugin/reportWithCvssV4.json');
    const noDeps = copy(base);
    noDeps.dependencies = { 0: noDeps.dependencies[0] };
    expect(() => dependencyCheckJson.parse(noDeps, { file: 'dc.json' })).toThrow(/"dependencies" must be an array/);
    const noName = copy(base);
    delete noName.dependencies[0].vulnerabilities[0].name;
    expect(() => dependencyCheckJson.parse(noName, { file: 'dc.json' })).toThrow(/dependencies\[0\]\.vulnerabilities\[0\]\.name must be a non-empty string/);
    const badScore = copy(base);
    badScore.dependencies[0].vulnerabilities[0].cvssv3.baseScore = 61;
    expect(() => dependencyCheckJson.parse(badScore, { file: 'dc.json' })).toThrow(ReportError);
    const textScore = copy(base);
    textScore.dependencies[0].vulnerabilities[0].cvssv3.baseScore = '6.1';
    expect(() => dependencyCheckJson.parse(textScore, { file: 'dc.json' })).toThrow(/cvssv3\.baseScore must be a number/);
  });
});

describe('dependency-check xml (streamed)', () => {
  test('6.5.3 (schema 2.5): CVE-2020-9488 in log4j, low from cvssV3 3.7, CWE-295', async () => {
    const report = await parseXml(xml('dependency_check_version-6.5.3.xml'));
    expect(report.format).toBe('dependency-check-xml');
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({
      ruleId: 'CVE-2020-9488',
      severity: 'low',
      cvss: 3.7,
      cwes: ['CWE-295'],
      location: { ecosystem: 'maven', package: 'org.apache.logging.log4j:log4j-api', version: '2.12.4' },
    });
  });

  test('schema 1.3 mix: one finding per vulnerability and suppressed vulnerability, related dependencies not repeated', async () => {
    // GIVEN the counts taken from the raw file
    const text = rawText(xml('dependency_check_multiple_vulnerabilities_has_multiple_findings.xml'));
    const vulns = (text.match(/<vulnerability[ >]/g) ?? []).length;
    const suppressed = (text.match(/<suppressedVulnerability[ >]/g) ?? []).length;
    // WHEN
    const report = await parseXml(xml('dependency_check_multiple_vulnerabilities_has_multiple_findings.xml'));
    // THEN
    expect(report.findings).toHaveLength(vulns + suppressed);
    expect(suppressed).toBe(2);
    const npm = report.findings.find((f) => f.ruleId === '1500')!;
    expect(npm.location).toMatchObject({ package: 'yargs-parser', version: '5.0.0', ecosystem: 'npm' });
    const suppressedOne = report.findings.find((f) => f.ruleId === 'CVE-2019-7238')!;
    expect(suppressedOne).toMatchObject({ severity: 'critical', cvss: 9.8 });
    // 1.x `cvssScore` 7.5 with severity "High": high, package from the maven identifier
    expect(report.findings.find((f) => f.ruleId === 'CVE-0000-0001' && f.location.package === 'xalan:serializer')).toMatchObject({ severity: 'high', cvss: 7.5, location: { version: '2.7.1' } });
  });

  test('schema 1.3 single vulnerability: cvssScore 7.5 over the word Moderate; CWE "CWE-00 …" names none', async () => {
    const [f] = (await parseXml(xml('dependency_check_single_vuln.xml'))).findings;
    expect(f).toMatchObject({ ruleId: 'CVE-0000-0001', severity: 'high', toolSeverity: 'Moderate', location: { package: 'org.owasp:library', version: '6.7.8' } });
    expect(f.cwes).toBeUndefined();
  });

  test('an empty analysis has no findings', async () => {
    expect((await parseXml(xml('dependency_check_dc_empty.xml'))).findings).toEqual([]);
  });

  test('detects the analysis root only in a Dependency-Check namespace', () => {
    expect(dependencyCheckXml.detect({ name: 'analysis', uri: 'https://jeremylong.github.io/DependencyCheck/dependency-check.4.0.xsd' })).toBe(true);
    expect(dependencyCheckXml.detect({ name: 'analysis', uri: 'https://dependency-check.github.io/DependencyCheck/dependency-check.4.1.xsd' })).toBe(true);
    expect(dependencyCheckXml.detect({ name: 'analysis', uri: '' })).toBe(false);
    expect(dependencyCheckXml.detect({ name: 'bom', uri: 'https://jeremylong.github.io/DependencyCheck/dependency-check.2.5.xsd' })).toBe(false);
  });

  test('fails on malformed reports: a vulnerability without a name, a non-numeric score, truncation, no dependencies', async () => {
    const good = rawText(xml('dependency_check_version-6.5.3.xml'));
    const cases = [
      good.replace('<name>CVE-2020-9488</name>', ''),
      good.replace('<baseScore>3.7</baseScore>', '<baseScore>high</baseScore>'),
      good.slice(0, Math.floor(good.length / 2)),
      good.replace(/<dependencies>[\s\S]*<\/dependencies>/, ''),
      // a second name or score for one vulnerability: which one would count?
      good.replace('<name>CVE-2020-9488</name>', '<name>CVE-2020-9488</name><name>CVE-0000-0000</name>'),
      good.replace('</cvssV3>', '</cvssV3><cvssV3><baseScore>1.0</baseScore></cvssV3>'),
    ];
    for (const content of cases) {
      const path = tempFile('dc.xml', content);
      await expect(parseXml(path)).rejects.toBeInstanceOf(ReportError);
    }
  });
});
