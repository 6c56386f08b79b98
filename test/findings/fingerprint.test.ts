import { readFileSync } from 'node:fs';
import { BANDIT, fixture, raw } from './support';
import { collectFindings } from '../../src/findings/engine';
import { fingerprintOf, identityOf, vulnerabilityId } from '../../src/findings/fingerprint';
import { RawFinding } from '../../src/findings/types';

describe('fingerprint', () => {
  test('is a 16-character sha-256 hex prefix, the same for the same finding', () => {
    const a = fingerprintOf(raw());
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprintOf(raw())).toBe(a);
  });

  test('vulnerabilities: the CVE, not the tool id, and not the tool, identify them', () => {
    // GIVEN trivy reporting the CVE and grype reporting the GHSA that aliases it
    const trivy = raw({ tool: 'trivy', ruleId: 'CVE-2023-1111' });
    const grype = raw({ tool: 'grype', ruleId: 'GHSA-aaaa-bbbb-cccc', cves: ['cve-2023-1111'], title: 'other title', severity: 'low' });
    // THEN one fingerprint
    expect(fingerprintOf(grype)).toBe(fingerprintOf(trivy));
    expect(vulnerabilityId(grype)).toBe('CVE-2023-1111');
  });

  test('vulnerabilities differ by package and by version', () => {
    const base = fingerprintOf(raw());
    expect(fingerprintOf(raw({ location: { package: 'openssl', version: '1.1.1l-r0' } }))).not.toBe(base);
    expect(fingerprintOf(raw({ location: { package: 'libssl', version: '1.1.1k-r0' } }))).not.toBe(base);
  });

  test('python package names compare as PEP 503 says', () => {
    const a = raw({ location: { package: 'Django_Rest.framework', version: '1.0', ecosystem: 'pypi' } });
    const b = raw({ location: { package: 'django-rest-framework', version: '1.0', ecosystem: 'PyPI' } });
    expect(fingerprintOf(a)).toBe(fingerprintOf(b));
  });

  test('code: the tool fingerprint wins over file and line, so moved lines keep their identity', () => {
    const a = raw({ kind: 'code', tool: 'semgrep', ruleId: 'r1', toolFingerprint: 'abc', location: { file: 'a.py', line: 3 } });
    const moved = { ...a, location: { file: 'a.py', line: 30 } };
    expect(fingerprintOf(moved)).toBe(fingerprintOf(a));
    expect(fingerprintOf({ ...a, toolFingerprint: 'abd' })).not.toBe(fingerprintOf(a));
  });

  test('code without a tool fingerprint: rule + file + line, with path spellings unified', () => {
    const a = raw({ kind: 'code', ruleId: 'B101', location: { file: './app/x.py', line: 3 } });
    const b = raw({ kind: 'code', ruleId: 'B101', location: { file: 'app\\x.py', line: 3 } });
    const c = raw({ kind: 'code', ruleId: 'B101', location: { file: 'file://app/x.py', line: 3 } });
    expect(fingerprintOf(b)).toBe(fingerprintOf(a));
    expect(fingerprintOf(c)).toBe(fingerprintOf(a));
    expect(fingerprintOf(raw({ kind: 'code', ruleId: 'B101', location: { file: 'app/x.py', line: 4 } }))).not.toBe(fingerprintOf(a));
  });

  test('dast: rule + URL (fragment ignored); compliance: rule + host', () => {
    const d = (url: string) => fingerprintOf(raw({ kind: 'dast', ruleId: '10038', location: { url } }));
    expect(d('HTTP://Example.com/a#top')).toBe(d('http://example.com/a'));
    expect(d('http://example.com/b')).not.toBe(d('http://example.com/a'));
    const c = (host: string) => fingerprintOf(raw({ kind: 'compliance', ruleId: 'xccdf_rule', location: { host } }));
    expect(c('vm1')).not.toBe(c('vm2'));
    expect(identityOf(raw({ kind: 'compliance', ruleId: 'x', location: { host: 'vm1' } }))).toEqual(['compliance', 'x', 'vm1']);
  });

  test('is stable across versions: the committed baseline still matches the bandit report', async () => {
    // GIVEN the baseline written from this report (minus one finding) by an earlier run
    const baseline = JSON.parse(readFileSync(fixture('baseline', 'bandit-1.6.2-without-b602.json'), 'utf8'));
    // WHEN the report is read now
    const { findings } = await collectFindings([BANDIT]);
    // THEN every baseline fingerprint is still produced
    const now = new Set(findings.map((f) => f.fingerprint));
    for (const f of baseline.findings) expect(now.has(f.fingerprint)).toBe(true);
    expect(findings).toHaveLength(baseline.findings.length + 1);
  });

  describe('pinned values: baselines and exemptions store fingerprints, so they must never change', () => {
    test.each<[string, RawFinding, string]>([
      [
        'a python vulnerability by PEP 503 name, CVE taken from its aliases',
        { tool: 'pip-audit', kind: 'vulnerability', ruleId: 'PYSEC-2021-1', title: 't', severity: 'high', cves: ['cve-2021-9', 'CVE-2021-3'], location: { package: 'Django_Rest.framework', version: ' 1.0 ', ecosystem: 'PyPI' } },
        '6ae4de79d3271914',
      ],
      [
        'a vulnerability named only by its purl',
        { tool: 'syft', kind: 'vulnerability', ruleId: 'GHSA-x', title: 't', severity: 'low', location: { purl: 'pkg:npm/%40scope/Left-Pad@1.0.0?x=1', file: 'package-lock.json' } },
        'd383ab45e3a691eb',
      ],
      ['a vulnerability without a package', { tool: 'x', kind: 'vulnerability', ruleId: 'GHSA-y', title: 't', severity: 'low', location: { file: '.\\src\\\\a.txt' } }, '8c0145ac42acd49c'],
      ['dast by URL', { tool: 'zap', kind: 'dast', ruleId: '10038', title: 't', severity: 'medium', location: { url: 'HTTP://Example.com:80/a?b=1#top' } }, '0e24b9ce22b77208'],
      ['dast by a host that is no URL', { tool: 'zap', kind: 'dast', ruleId: '10039', title: 't', severity: 'medium', location: { host: 'not a url' } }, '4f40639ad12f9972'],
      ['compliance by target', { tool: 'openscap', kind: 'compliance', ruleId: 'xccdf_r', title: 't', severity: 'low', location: { target: ' vm1 ' } }, 'ec770f4386cfc6a5'],
      ['a secret by tool fingerprint', { tool: 'gitleaks', kind: 'secret', ruleId: 'aws', title: 't', severity: 'high', toolFingerprint: 'abc:1', location: { file: 'a' } }, 'c60ed5beca794274'],
      ['a misconfiguration by file URL and line', { tool: 'checkov', kind: 'misconfiguration', ruleId: 'CKV_1', title: 't', severity: 'high', location: { target: 'file:///x%20y//z.tf', line: 7 } }, 'd86c72c6be10adbb'],
      [
        'other, by every location field',
        { tool: 'other', kind: 'other', ruleId: ' r ', title: 't', severity: 'info', location: { file: './f', line: 0, package: 'P', version: '1', url: 'https://h/p#f', host: ' h ', target: 't' } },
        'a3bdd863635a4706',
      ],
      ['other, without a location', { tool: 'other', kind: 'other', ruleId: 'MIT', title: 't', severity: 'info' } as RawFinding, 'e902c6a51e4c4d07'],
    ])('%s', (_name, finding, expected) => {
      expect(fingerprintOf(finding)).toBe(expected);
    });

    test.each<[string, string[]]>([
      ['trivy/defectdojo/trivy_scheme_2_many_vulns.json', ['8f169eaa59c750f4', '46b297ad3fbf45e7']],
      ['trivy/defectdojo/trivy_misconfigurations_and_secrets.json', ['e2d0976526cd60f3', 'cd55499b8ea51f1f', '884f70648698963b', 'b97371a4ee3a3c9f', '6e839fe339c65fe5']],
      ['trivy/hand-made/fs-licenses.json', ['900d7a40dabeaf3b', 'fd383463cb12c2cf']],
      ['trivy/hand-made/k8s-resources.json', ['a49958f1b900dd0d', '0dd8ffe4200f9ea2', '9640569cff1ef46c', 'd77e380740e69bc2', '05647787775bd792']],
      ['sarif/defectdojo/sarif_codeQL-output.sarif', ['34bc34931c20fa73', '998e35e0654b8571']],
    ])('the findings of %s', async (name, expected) => {
      const { findings } = await collectFindings([fixture(...name.split('/'))]);
      const all = new Set(findings.map((f) => f.fingerprint));
      for (const fp of expected) expect(all).toContain(fp);
    });
  });
});
