import { bySeverity, copy, loadFixture, parseFixture, tally } from './deps-fixtures';
import { npmAuditJson } from '../../../src/findings/parsers/npm-audit';
import { ReportError } from '../../../src/findings/types';

describe('npm audit json', () => {
  describe('npm 7+ (auditReportVersion 2)', () => {
    test.each(['npm-audit/defectdojo/npm_audit_7_plus_many_vulns.json', 'npm-audit/defectdojo/npm_audit_7_plus_no_vuln.json'])(
      '%s: one finding per advisory object in `via`, not per dependency chain',
      (rel) => {
        // GIVEN the advisory objects of the file (strings in `via` are chains through another package)
        const vulns: any[] = Object.values(loadFixture(rel).vulnerabilities);
        const advisories = vulns.flatMap((v) => v.via.filter((x: unknown) => typeof x === 'object'));
        // WHEN
        const report = parseFixture(npmAuditJson, rel);
        // THEN
        expect(report).toMatchObject({ format: 'npm-audit-json', tool: 'npm-audit' });
        expect(report.findings).toHaveLength(advisories.length);
        expect(bySeverity(report.findings)).toEqual(tally(advisories.map((a) => a.severity)));
      },
    );

    test('moderate is medium; the GHSA id from the advisory url is the rule id', () => {
      const { findings } = parseFixture(npmAuditJson, 'npm-audit/defectdojo/npm_audit_7_plus_many_vulns.json');
      expect(findings.map((f) => f.location.package)).toEqual(['debug', 'semver', 'undici']);
      expect(findings[0]).toMatchObject({
        ruleId: 'GHSA-gxpj-cx7g-858c',
        aliases: ['NPM-1094219'],
        severity: 'medium',
        toolSeverity: 'moderate',
        cwes: ['CWE-400'],
        cvss: 5.3,
        fixVersion: 'vercel@32.3.0 (semver major)',
        location: { package: 'debug', ecosystem: 'npm', file: 'node_modules/@vercel/fun/node_modules/debug' },
      });
      // the file's own total counts packages (6), including the 3 only vulnerable through others
      expect(loadFixture('npm-audit/defectdojo/npm_audit_7_plus_many_vulns.json').metadata.vulnerabilities.total).toBe(6);
    });

    test('an advisory repeated in one package entry is one finding', () => {
      const doc = copy(loadFixture('npm-audit/defectdojo/npm_audit_7_plus_many_vulns.json'));
      doc.vulnerabilities.debug.via.push(copy(doc.vulnerabilities.debug.via[0]));
      expect(npmAuditJson.parse(doc, { file: 'a.json' }).findings).toHaveLength(3);
    });
  });

  describe('npm 6 (advisories)', () => {
    test('one finding per advisory × installed version; paths add up to the metadata counts', () => {
      // GIVEN
      const raw = loadFixture('npm-audit/defectdojo/npm_audit_many_vuln.json');
      const advisories: any[] = Object.values(raw.advisories);
      const perVersion = advisories.flatMap((a) => [...new Set(a.findings.map((f: any) => f.version))].map(() => a.severity));
      // npm's metadata counts every dependency path: check the file against itself first
      const paths = tally(advisories.flatMap((a) => a.findings.flatMap((f: any) => f.paths.map(() => a.severity))));
      const meta = raw.metadata.vulnerabilities;
      expect(paths).toEqual(tally(Object.entries(meta).flatMap(([sev, n]) => Array(n as number).fill(sev))));
      // WHEN
      const { findings } = parseFixture(npmAuditJson, 'npm-audit/defectdojo/npm_audit_many_vuln.json');
      // THEN
      expect(findings).toHaveLength(perVersion.length);
      expect(bySeverity(findings)).toEqual(tally(perVersion));
      expect(findings.find((f) => f.location.package === 'negotiator')).toMatchObject({
        ruleId: 'CVE-2016-10539',
        aliases: ['NPM-106'],
        severity: 'high',
        cwes: ['CWE-400'],
        fixVersion: '>= 0.6.1',
        location: { version: '0.5.3', ecosystem: 'npm' },
      });
      // "cwe": "CWE-" (no number) is no CWE
      expect(findings.find((f) => f.location.package === 'mime')!.cwes).toBeUndefined();
    });
  });

  test('fails on npm error output: an audit that did not run is not a clean audit', () => {
    const doc = loadFixture('npm-audit/hand-made/npm-audit-error-405.json');
    expect(npmAuditJson.detect(doc)).toBe(true);
    expect(() => npmAuditJson.parse(doc, { file: 'audit.json' })).toThrow(ReportError);
    expect(() => npmAuditJson.parse(doc, { file: 'audit.json' })).toThrow(/audit\.json: npm audit json: the audit did not run \(405 Method Not Allowed/);
  });

  test('fails on a via advisory without a source id', () => {
    const doc = copy(loadFixture('npm-audit/defectdojo/npm_audit_7_plus_many_vulns.json'));
    delete doc.vulnerabilities.semver.via[0].source;
    expect(() => npmAuditJson.parse(doc, { file: 'a.json' })).toThrow(/vulnerabilities\["semver"\]\.via\[0\]\.source/);
  });

  test('fails on an npm 6 advisory whose findings is not a list', () => {
    const doc = copy(loadFixture('npm-audit/defectdojo/npm_audit_many_vuln.json'));
    doc.advisories['106'].findings = { version: '0.5.3' };
    expect(() => npmAuditJson.parse(doc, { file: 'a.json' })).toThrow(/advisories\["106"\] "findings" must be an array/);
  });
});
