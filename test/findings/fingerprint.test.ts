import { readFileSync } from 'node:fs';
import { BANDIT, fixture, raw } from './support';
import { collectFindings } from '../../src/findings/engine';
import { fingerprintOf, identityOf, vulnerabilityId } from '../../src/findings/fingerprint';

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
});
