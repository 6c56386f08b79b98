import { copy, loadFixture, parseFixture } from './deps-fixtures';
import { pipAuditJson } from '../../../src/findings/parsers/pip-audit';
import { ReportError } from '../../../src/findings/types';

/** Vulnerability count straight from the file: every `vulns[]` entry of every audited dependency. */
function vulnCount(doc: any): number {
  const deps: any[] = Array.isArray(doc) ? doc : doc.dependencies;
  return deps.reduce((n, d) => n + (d.vulns?.length ?? 0), 0);
}

describe('pip-audit json', () => {
  test.each([
    'pip-audit/defectdojo/pip_audit_many_vulns.json',
    'pip-audit/defectdojo/pip_audit_zero_vulns_new.json',
    'pip-audit/hand-made/pip-audit-2x-with-aliases.json',
  ])('%s: one finding per vulnerability, all of unknown severity (pip-audit gives none)', (rel) => {
    const expected = vulnCount(loadFixture(rel));
    const report = parseFixture(pipAuditJson, rel);
    expect(report).toMatchObject({ format: 'pip-audit-json', tool: 'pip-audit' });
    expect(report.findings).toHaveLength(expected);
    expect(report.findings.every((f) => f.severity === 'unknown')).toBe(true);
  });

  test('old array shape: skipped dependencies make no finding', () => {
    const { findings } = parseFixture(pipAuditJson, 'pip-audit/defectdojo/pip_audit_many_vulns.json');
    expect(findings).toHaveLength(7);
    expect(findings.find((f) => f.location.package === 'azure-devops')).toBeUndefined();
    expect(findings.find((f) => f.ruleId === 'PYSEC-2021-76')).toMatchObject({
      location: { package: 'aiohttp', version: '3.6.2', ecosystem: 'pypi' },
      fixVersion: '3.7.4',
    });
  });

  test('the fix version is the lowest fix above the installed version', () => {
    const { findings } = parseFixture(pipAuditJson, 'pip-audit/defectdojo/pip_audit_many_vulns.json');
    // django 3.2.9, fix_versions [2.2.25, 3.1.14, 3.2.10]
    expect(findings.find((f) => f.ruleId === 'PYSEC-2021-439')!.fixVersion).toBe('3.2.10');
    // lxml: no fix listed
    expect(findings.find((f) => f.ruleId === 'PYSEC-2021-852')!.fixVersion).toBeUndefined();
  });

  test('new shape: aliases split into CVEs and other ids', () => {
    const { findings } = parseFixture(pipAuditJson, 'pip-audit/hand-made/pip-audit-2x-with-aliases.json');
    expect(findings[0]).toMatchObject({ ruleId: 'PYSEC-2021-439', cves: ['CVE-2021-44420'], aliases: ['GHSA-v6rh-hp5x-86rv'], fixVersion: '3.2.10' });
    expect(findings[1]).toMatchObject({ ruleId: 'GHSA-53qw-q765-4fww', cves: ['CVE-2021-45115'], aliases: ['PYSEC-2022-1'], fixVersion: '3.2.11' });
  });

  test('detects an empty pip-audit report but not other documents with a dependencies list', () => {
    expect(pipAuditJson.detect({ dependencies: [], fixes: [] })).toBe(true);
    expect(pipAuditJson.detect({ bomFormat: 'CycloneDX', dependencies: [] })).toBe(false);
    expect(pipAuditJson.detect({ dependencies: [{ ref: 'a', dependsOn: [] }] })).toBe(false);
    expect(pipAuditJson.detect([])).toBe(false);
  });

  test('fails on an audited dependency without a version', () => {
    const doc = copy(loadFixture('pip-audit/hand-made/pip-audit-2x-with-aliases.json'));
    delete doc.dependencies[1].version;
    expect(() => pipAuditJson.parse(doc, { file: 'p.json' })).toThrow(ReportError);
    expect(() => pipAuditJson.parse(doc, { file: 'p.json' })).toThrow(/p\.json: pip-audit json: dependencies\[1\]\.version/);
  });

  test('fails on a vulnerability whose fix_versions is not a list of strings', () => {
    const doc = copy(loadFixture('pip-audit/defectdojo/pip_audit_many_vulns.json'));
    doc[1].vulns[0].fix_versions = [3.7];
    expect(() => pipAuditJson.parse(doc, { file: 'p.json' })).toThrow(/\[1\]\.vulns\[0\]\.fix_versions\[0\] must be a string/);
  });
});
