import { readFileSync } from 'node:fs';
import { GRYPE, raw, tempDir } from './support';
import { normalizeFindings } from '../../src/findings/dedup';
import { collectFindings } from '../../src/findings/engine';

describe('dedup', () => {
  test('one CVE in one package version from trivy and grype is one finding listing both tools', () => {
    // GIVEN the same vulnerability from two tools, with different severities
    const list = normalizeFindings([
      raw({ tool: 'trivy', ruleId: 'CVE-2023-1111', severity: 'medium', toolSeverity: 'MEDIUM', fixVersion: '1.2' }),
      raw({ tool: 'Grype', ruleId: 'GHSA-x', cves: ['CVE-2023-1111'], severity: 'high', toolSeverity: 'High', aliases: ['GHSA-x'] }),
    ]);
    // THEN one finding, both tools, the highest severity kept
    expect(list).toHaveLength(1);
    expect(list[0].tools).toEqual(['grype', 'trivy']);
    expect(list[0].severity).toBe('high');
    expect(list[0].toolSeverity).toBe('High');
    expect(list[0].fixVersion).toBe('1.2');
    expect(list[0].aliases).toEqual(['GHSA-x']);
  });

  test('a known severity wins over unknown when merging', () => {
    const list = normalizeFindings([raw({ severity: 'unknown' }), raw({ tool: 'grype', severity: 'low' })]);
    expect(list[0].severity).toBe('low');
  });

  test('duplicates within one report collapse (same CVE, package and version at two paths)', () => {
    const list = normalizeFindings([
      raw({ location: { package: 'openssl', version: '1', target: 'layer-a' } }),
      raw({ location: { package: 'openssl', version: '1', target: 'layer-b', purl: 'pkg:apk/alpine/openssl@1' } }),
    ]);
    expect(list).toHaveLength(1);
    expect(list[0].tools).toEqual(['trivy']);
    // missing location fields are filled from the later report
    expect(list[0].location).toMatchObject({ target: 'layer-a', purl: 'pkg:apk/alpine/openssl@1' });
  });

  test('does not alter the raw findings it merges', () => {
    const a = raw({ cves: ['CVE-2024-0001'] });
    const b = raw({ tool: 'grype', cves: ['CVE-2024-0001', 'CVE-2024-0002'] });
    normalizeFindings([a, b]);
    expect(a.cves).toEqual(['CVE-2024-0001']);
  });

  test('sorts most severe first', () => {
    const list = normalizeFindings([raw({ ruleId: 'CVE-1', severity: 'low' }), raw({ ruleId: 'CVE-2', severity: 'critical' }), raw({ ruleId: 'CVE-3', severity: 'unknown' })]);
    expect(list.map((f) => f.severity)).toEqual(['critical', 'low', 'unknown']);
  });

  test('the same report given twice gives the same findings once', async () => {
    const t = tempDir();
    try {
      const copy = t.file('copy.json', readFileSync(GRYPE));
      const once = await collectFindings([GRYPE]);
      const twice = await collectFindings([GRYPE, copy]);
      expect(twice.findings.map((f) => f.fingerprint)).toEqual(once.findings.map((f) => f.fingerprint));
      expect(twice.reports).toHaveLength(2);
    } finally {
      t.cleanup();
    }
  });
});
