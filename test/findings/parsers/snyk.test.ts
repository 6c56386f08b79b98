import { copy, loadFixture, parseFixture } from './deps-fixtures';
import { snykJson } from '../../../src/findings/parsers/snyk';
import { ReportError } from '../../../src/findings/types';

const parse = (doc: unknown) => snykJson.parse(doc, { file: 'snyk.json' });

describe('snyk json', () => {
  test('one project: the XXE in xmlsec 2.1.1, medium, CVE and CWE from identifiers, fix 2.1.4, at pom.xml', () => {
    const report = parseFixture(snykJson, 'snyk/defectdojo/snyk_single_project_one_vuln.json');
    expect(report).toMatchObject({ format: 'snyk-json', tool: 'snyk' });
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({
      kind: 'vulnerability',
      ruleId: 'SNYK-JAVA-ORGAPACHESANTUARIO-460281',
      severity: 'medium',
      cves: ['CVE-2019-12400'],
      cwes: ['CWE-611'],
      fixVersion: '2.1.4',
      cvss: 6.5,
      location: { package: 'org.apache.santuario:xmlsec', version: '2.1.1', ecosystem: 'maven', file: 'pom.xml' },
    });
  });

  test('--all-projects array: every project\'s vulnerabilities, each at its own manifest', () => {
    const doc = loadFixture('snyk/defectdojo/snyk_all-projects_many_vulns.json');
    const expected = doc.reduce((n: number, p: any) => n + p.vulnerabilities.length, 0);
    const report = parseFixture(snykJson, 'snyk/defectdojo/snyk_all-projects_many_vulns.json');
    expect(report.findings).toHaveLength(expected);
    expect(new Set(report.findings.map((f) => f.location.file))).toEqual(new Set(doc.map((p: any) => p.displayTargetFile)));
    expect(report.findings.find((f) => f.ruleId === 'SNYK-JAVA-COMGOOGLEGUAVA-32236')).toMatchObject({ aliases: ['GHSA-mvr2-9pj6-7w5j'], cves: ['CVE-2018-10237'] });
  });

  test('container test: debian package of the image, low', () => {
    const [f] = parseFixture(snykJson, 'snyk/defectdojo/snyk_snykcontainer_issue_epss.json').findings;
    expect(f).toMatchObject({ ruleId: 'SNYK-DEBIAN11-GCC10-5901313', severity: 'low', cves: ['CVE-2023-4039'], location: { package: 'gcc-10', version: '10.2.1-6', ecosystem: 'deb' } });
  });

  test('no vulnerabilities: an empty report; a .snyk-ignored vulnerability is still a finding', () => {
    const doc = copy(loadFixture('snyk/defectdojo/snyk_single_project_no_vulns.json'));
    expect(parse(doc).findings).toEqual([]);
    const [vuln] = loadFixture('snyk/defectdojo/snyk_single_project_one_vuln.json').vulnerabilities;
    doc.filtered = { ignore: [vuln], patch: [] };
    const [f] = parse(doc).findings;
    expect(f).toMatchObject({ ruleId: vuln.id, severity: 'medium' });
    expect(f.description).toMatch(/\.snyk policy file, which the gate does not honour/);
  });

  test('fails on snyk\'s error object, an unknown severity word, a missing id', () => {
    expect(snykJson.detect({ ok: false, error: 'Could not detect supported target files', path: '.' })).toBe(true);
    expect(() => parse({ ok: false, error: 'Could not detect supported target files', path: '.' })).toThrow(/the test did not run \(Could not detect/);
    const doc = copy(loadFixture('snyk/defectdojo/snyk_single_project_one_vuln.json'));
    doc.vulnerabilities[0].severity = 'severe';
    expect(() => parse(doc)).toThrow(/vulnerabilities\[0\]\.severity must be low, medium, high or critical/);
    delete doc.vulnerabilities[0].id;
    expect(() => parse(doc)).toThrow(ReportError);
  });
});
