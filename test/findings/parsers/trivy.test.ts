import { bySeverity, copy, loadFixture, parseFixture, tally } from './deps-fixtures';
import { trivyJson } from '../../../src/findings/parsers/trivy';
import { ReportError } from '../../../src/findings/types';

/** What the raw file says is open, computed without the parser: statuses per the parser's documented policy. */
function expectedFromRaw(doc: any): { count: number; severities: string[] } {
  const k8sResources = (d: any): any[] => [...(d.Resources ?? []), ...(d.Vulnerabilities ?? []), ...(d.Misconfigurations ?? [])];
  const results: any[] = Array.isArray(doc) ? doc : (doc.Results ?? k8sResources(doc).flatMap((r: any) => r.Results ?? []));
  const severities: string[] = Array.isArray(doc) ? [] : k8sResources(doc).filter((r: any) => r.Error).map(() => 'unknown');
  for (const r of results) {
    for (const v of r.Vulnerabilities ?? []) if (v.Status !== 'not_affected') severities.push(v.Severity);
    for (const m of r.Misconfigurations ?? []) if (m.Status !== 'PASS' && m.Status !== 'EXCEPTION') severities.push(m.Severity);
    for (const s of r.Secrets ?? []) severities.push(s.Severity);
    for (const l of r.Licenses ?? []) severities.push(l.Severity);
  }
  return { count: severities.length, severities };
}

describe('trivy json', () => {
  test.each([
    'trivy/defectdojo/trivy_scheme_2_many_vulns.json',
    'trivy/defectdojo/trivy_scheme_2_no_vuln.json',
    'trivy/defectdojo/trivy_all_statuses.json',
    'trivy/defectdojo/trivy_misconfigurations_and_secrets.json',
    'trivy/hand-made/legacy-array.json',
    'trivy/hand-made/k8s-resources.json',
    'trivy/hand-made/k8s-legacy.json',
    'trivy/hand-made/fs-licenses.json',
  ])('%s: counts and severities match the file', (rel) => {
    // GIVEN
    const expected = expectedFromRaw(loadFixture(rel));
    // WHEN
    const report = parseFixture(trivyJson, rel);
    // THEN
    expect(report).toMatchObject({ format: 'trivy-json', tool: 'trivy' });
    expect(report.findings).toHaveLength(expected.count);
    expect(bySeverity(report.findings)).toEqual(tally(expected.severities));
  });

  test('schema 2 image report: 5 vulnerabilities in the alpine image and a jar', () => {
    const { findings } = parseFixture(trivyJson, 'trivy/defectdojo/trivy_scheme_2_many_vulns.json');
    expect(findings).toHaveLength(5);
    expect(new Set(findings.map((f) => f.kind))).toEqual(new Set(['vulnerability']));
    // PkgPath, when trivy gives one, is the file; the package keeps trivy's group:artifact name
    const jar = findings.filter((f) => f.location.file === 'app/libs/commons-compress-1.14');
    expect(jar.map((f) => [f.ruleId, f.location.package, f.fixVersion])).toEqual([
      ['CVE-2018-11771', 'org.apache.commons:commons-compress', '1.18'],
      ['CVE-2018-1324', 'org.apache.commons:commons-compress', '1.16'],
    ]);
    // OS packages live in the image (target); a file only when trivy names one (PkgPath)
    const raw = loadFixture('trivy/defectdojo/trivy_scheme_2_many_vulns.json').Results[0].Vulnerabilities[0];
    const os = findings.find((f) => f.location.ecosystem === 'alpine')!;
    expect(os.location).toMatchObject({ target: 'teamdojo:latest', package: raw.PkgName, file: raw.PkgPath });
  });

  test('only not_affected is dropped: fixed, will_not_fix, end_of_life… stay open', () => {
    const { findings } = parseFixture(trivyJson, 'trivy/defectdojo/trivy_all_statuses.json');
    const ids = findings.map((f) => f.ruleId);
    expect(ids).not.toContain('CVE-2019-18276'); // Status not_affected
    expect(ids).toEqual(expect.arrayContaining(['CVE-2018-1000876', 'CVE-2018-12698', 'CVE-2018-12934'])); // fixed, will_not_fix, end_of_life
    expect(findings).toHaveLength(7);
  });

  test('misconfigurations and secrets: kind, rule, file and line as the report gives them', () => {
    const { findings } = parseFixture(trivyJson, 'trivy/defectdojo/trivy_misconfigurations_and_secrets.json');
    const urllib3 = findings.find((f) => f.ruleId === 'CVE-2021-33503')!;
    expect(urllib3).toMatchObject({
      kind: 'vulnerability',
      severity: 'high',
      cves: ['CVE-2021-33503'],
      cwes: ['CWE-400'],
      fixVersion: '1.26.5',
      cvss: 7.5,
      location: { package: 'urllib3', version: '1.26.3', file: 'requirements.txt', ecosystem: 'pip' },
    });
    expect(findings.find((f) => f.kind === 'misconfiguration')).toMatchObject({
      ruleId: 'DS002',
      severity: 'high',
      title: "Image user should not be 'root'",
      location: { file: 'Dockerfile' },
    });
    const secrets = findings.filter((f) => f.kind === 'secret');
    expect(secrets.map((s) => [s.location.file, s.location.line, s.severity])).toEqual([
      ['Dockerfile', 24, 'critical'],
      ['secret.txt', 1, 'critical'],
    ]);
    // the masked match line is not copied anywhere
    expect(JSON.stringify(secrets)).not.toContain('GITHUB_PAT');
  });

  test('legacy top-level array: a null Vulnerabilities list is an empty result', () => {
    const { findings } = parseFixture(trivyJson, 'trivy/hand-made/legacy-array.json');
    expect(findings.map((f) => [f.ruleId, f.severity, f.location.target ?? f.location.file])).toEqual([
      ['CVE-2011-3374', 'low', 'debian (debian 10.8)'],
      ['CVE-2021-3520', 'critical', 'debian (debian 10.8)'],
      ['CVE-2020-8203', 'high', 'app/package-lock.json'],
    ]);
  });

  test('kubernetes report: resources qualified by namespace, PASS and EXCEPTION are not findings', () => {
    const { findings } = parseFixture(trivyJson, 'trivy/hand-made/k8s-resources.json');
    const ksv012 = findings.filter((f) => f.ruleId === 'KSV012');
    expect(ksv012.map((f) => [f.location.file, f.location.line])).toEqual([
      ['default/Deployment/web', 132],
      ['staging/Deployment/web', 120],
    ]);
    expect(findings.map((f) => f.ruleId)).not.toEqual(expect.arrayContaining(['KSV001'])); // EXCEPTION
    expect(findings.map((f) => f.ruleId)).not.toEqual(expect.arrayContaining(['KSV003'])); // PASS
    expect(findings.find((f) => f.ruleId === 'KSV041')!.location.file).toBe('ClusterRole/admin');
    const apt = findings.find((f) => f.ruleId === 'CVE-2020-27350')!;
    expect(apt).toMatchObject({
      aliases: ['DSA-4808-1'],
      location: { purl: 'pkg:deb/debian/apt@1.8.2.1?arch=amd64&distro=debian-10.4', target: 'docker.io/library/redis:6.0.5 (debian 10.4)' },
    });
  });

  test('a kubernetes resource trivy could not scan is an unknown-severity finding, not a silent pass', () => {
    const { findings } = parseFixture(trivyJson, 'trivy/hand-made/k8s-resources.json');
    expect(findings.find((f) => f.ruleId === 'trivy-k8s-scan-error')).toEqual({
      tool: 'trivy',
      kind: 'other',
      ruleId: 'trivy-k8s-scan-error',
      title: 'trivy could not scan payments/Deployment/ledger',
      severity: 'unknown',
      description: 'unable to pull image registry.internal/ledger:2.3: unauthorized: authentication required',
      location: { file: 'payments/Deployment/ledger' },
    });
  });

  test('older kubernetes shape (Vulnerabilities / Misconfigurations lists of resources)', () => {
    const { findings } = parseFixture(trivyJson, 'trivy/hand-made/k8s-legacy.json');
    expect(findings.map((f) => [f.kind, f.ruleId, f.location.file ?? f.location.target])).toEqual([
      ['vulnerability', 'CVE-2016-2781', 'ubuntu:latest (ubuntu 22.04)'],
      ['misconfiguration', 'KSV011', 'default/Deployment/app'],
    ]);
  });

  test('license results are findings of kind other with the package they were found in', () => {
    const { findings } = parseFixture(trivyJson, 'trivy/hand-made/fs-licenses.json');
    expect(findings[0]).toMatchObject({
      kind: 'other',
      ruleId: 'GPL-2.0',
      severity: 'high',
      location: { package: 'node-forge', file: 'node_modules/node-forge/package.json' },
    });
  });

  test('detects only trivy documents', () => {
    expect(trivyJson.detect({ SchemaVersion: 2, ArtifactName: 'x', Results: [] })).toBe(true);
    expect(trivyJson.detect([{ Target: 'a', Type: 'npm', Vulnerabilities: null }])).toBe(true);
    expect(trivyJson.detect([])).toBe(false);
    expect(trivyJson.detect({ version: '15.0.0', vulnerabilities: [], scan: {} })).toBe(false);
    expect(trivyJson.detect(null)).toBe(false);
  });

  test('fails on a vulnerability without an id', () => {
    const doc = copy(loadFixture('trivy/defectdojo/trivy_scheme_2_many_vulns.json'));
    delete doc.Results[0].Vulnerabilities[1].VulnerabilityID;
    expect(() => trivyJson.parse(doc, { file: 'bad.json' })).toThrow(ReportError);
    expect(() => trivyJson.parse(doc, { file: 'bad.json' })).toThrow(/bad\.json: trivy json: Results\[0\]\.Vulnerabilities\[1\]\.VulnerabilityID/);
  });

  test('names the vulnerability of a malformed field, in any result', () => {
    const doc = copy(loadFixture('trivy/defectdojo/trivy_scheme_2_many_vulns.json'));
    doc.Results[2].Vulnerabilities[1].References = ['https://a', 7];
    expect(() => trivyJson.parse(doc, { file: 'bad.json' })).toThrow(/trivy json: Results\[2\]\.Vulnerabilities\[1\]\.References\[1\] must be a string, got number/);
    doc.Results[2].Vulnerabilities[1] = 'CVE-1';
    expect(() => trivyJson.parse(doc, { file: 'bad.json' })).toThrow(/trivy json: Results\[2\]\.Vulnerabilities\[1\] must be an object, got string/);
  });

  test('one result with 200,000 vulnerabilities is read whole', () => {
    const Vulnerabilities = Array.from({ length: 200_000 }, (_, i) => ({ VulnerabilityID: `CVE-2024-${100000 + i}`, PkgName: 'p', Severity: 'LOW' }));
    const { findings } = trivyJson.parse({ SchemaVersion: 2, ArtifactName: 'img', Results: [{ Target: 'img', Class: 'os-pkgs', Vulnerabilities }] }, { file: 'big.json' });
    expect(findings).toHaveLength(200_000);
    expect(findings[199_999]).toMatchObject({ ruleId: 'CVE-2024-299999', cves: ['CVE-2024-299999'], location: { package: 'p', target: 'img' } });
  });

  test('fails when Results is not an array', () => {
    expect(() => trivyJson.parse({ SchemaVersion: 2, ArtifactName: 'x', Results: { Target: 'a' } }, { file: 'r.json' })).toThrow(
      /"Results" must be an array/,
    );
  });

  test('fails on a kubernetes resource without a kind', () => {
    const doc = copy(loadFixture('trivy/hand-made/k8s-resources.json'));
    delete doc.Resources[2].Kind;
    expect(() => trivyJson.parse(doc, { file: 'k.json' })).toThrow(/Resources\[2\] lacks the required key "Kind"/);
  });
});
