import { applyVex } from '../../../src/findings/vex/apply';
import { readCycloneDxVex } from '../../../src/findings/vex/cyclonedx';
import { readOpenVex } from '../../../src/findings/vex/openvex';
import { parsePurl, productCovers } from '../../../src/findings/vex/purl';
import { readVexFile } from '../../../src/findings/vex/read';
import { findings, fixture, raw, tempDir } from '../support';

const t = tempDir();
afterAll(() => t.cleanup());

const OPENVEX = fixture('openvex', 'defectdojo', 'openvex_openvex_many_vuln.json');
const CDX = fixture('cyclonedx-vex', 'defectdojo', 'cyclonedx_valid-vulnerability-1.4.json');

const apk = (name: string, version: string, ruleId: string, extra = {}) =>
  raw({ ruleId, location: { package: name, version, purl: `pkg:apk/alpine/${name}@${version}?arch=x86_64&distro=3.10.9` }, ...extra });

describe('OpenVEX', () => {
  test('reads every statement of the fixture with its status, ids and products', () => {
    const warnings: string[] = [];
    const rules = readVexFile(OPENVEX, warnings);
    expect(warnings).toEqual([]);
    expect(rules.map((r) => `${r.vulnerability}:${r.status}`)).toEqual([
      'CVE-2024-10001:not_affected',
      'CVE-2024-10002:affected',
      'CVE-2024-10003:fixed',
      'CVE-2024-10004:under_investigation',
      'CVE-2024-10005:not_affected',
      'CVE-2024-10006:not_affected',
    ]);
    expect(rules[4].ids).toEqual(['CVE-2024-10005', 'GHSA-JFH8-C2JP-5V3Q']);
    expect(rules[5].packages[0]).toEqual({ type: 'apk', namespace: 'alpine', name: 'openssl', version: '1.1.1k-r0' });
  });

  test('suppresses only not_affected statements whose product covers the finding', () => {
    // GIVEN findings for every statement, plus the same CVE in another package
    const list = findings(
      apk('apk-tools', '2.10.6-r0', 'CVE-2024-10001'),
      apk('busybox', '1.30.1-r3', 'CVE-2024-10002'),
      apk('alpine-baselayout', '3.1.2-r0', 'CVE-2024-10003'),
      apk('musl', '1.1.22-r3', 'CVE-2024-10004'),
      apk('zlib', '1.2.11-r1', 'GHSA-jfh8-c2jp-5v3q', { tool: 'grype' }),
      apk('openssl', '1.1.1k-r0', 'CVE-2024-10006'),
      apk('apk-tools', '2.10.7-r0', 'CVE-2024-10001'),
      apk('libcrypto', '1.1.1k-r0', 'CVE-2024-10006'),
    );
    // WHEN the VEX document is applied
    const n = applyVex(list, readVexFile(OPENVEX, []));
    // THEN the three not_affected ones (one by alias) are suppressed, nothing else
    const suppressed = list.filter((f) => f.status === 'suppressed').map((f) => `${f.location.package}@${f.location.version}`);
    expect(suppressed.sort()).toEqual(['apk-tools@2.10.6-r0', 'openssl@1.1.1k-r0', 'zlib@1.2.11-r1']);
    expect(n).toBe(3);
    expect(list.find((f) => f.location.package === 'zlib')!.statusReason).toMatch(/VEX not_affected \(inline_mitigations_already_exist\)/);
  });

  test('a later statement overrides an earlier one', () => {
    const doc = {
      '@context': 'https://openvex.dev/ns/v0.2.0',
      'statements': [
        { vulnerability: { name: 'CVE-1' }, status: 'not_affected', justification: 'component_not_present', timestamp: '2026-01-01T00:00:00Z' },
        { vulnerability: { name: 'CVE-1' }, status: 'affected', timestamp: '2026-02-01T00:00:00Z' },
        { vulnerability: { name: 'CVE-2' }, status: 'affected', timestamp: '2026-01-01T00:00:00Z' },
        { vulnerability: { name: 'CVE-2' }, status: 'not_affected', justification: 'component_not_present', timestamp: '2026-02-01T00:00:00Z' },
      ],
    };
    const list = findings(raw({ ruleId: 'CVE-1' }), raw({ ruleId: 'CVE-2' }));
    applyVex(list, readOpenVex('v.json', doc, []));
    expect(list.find((f) => f.ruleId === 'CVE-1')!.status).toBe('open');
    expect(list.find((f) => f.ruleId === 'CVE-2')!.status).toBe('suppressed');
  });

  test('a statement without products covers every product; one without a version every version', () => {
    const doc = {
      '@context': 'https://openvex.dev/ns/v0.2.0',
      'statements': [
        { vulnerability: { name: 'CVE-1' }, status: 'not_affected', justification: 'vulnerable_code_not_present' },
        { vulnerability: { name: 'CVE-2' }, products: [{ '@id': 'pkg:apk/alpine/openssl' }], status: 'not_affected', justification: 'vulnerable_code_not_present' },
      ],
    };
    const list = findings(apk('zlib', '1', 'CVE-1'), apk('openssl', '9', 'CVE-2'), apk('zlib', '1', 'CVE-2'));
    applyVex(list, readOpenVex('v.json', doc, []));
    expect(list.filter((f) => f.status === 'suppressed').map((f) => `${f.ruleId} ${f.location.package}`).sort()).toEqual(['CVE-1 zlib', 'CVE-2 openssl']);
  });

  test('ignores (with a warning) a not_affected statement without justification or impact statement', () => {
    const warnings: string[] = [];
    const rules = readOpenVex('v.json', { '@context': 'https://openvex.dev/ns/v0.2.0', 'statements': [{ vulnerability: 'CVE-1', status: 'not_affected' }] }, warnings);
    expect(rules).toEqual([]);
    expect(warnings[0]).toMatch(/not_affected without justification or impact_statement: ignored/);
  });

  test('fails on a statement with an unknown status or no vulnerability', () => {
    const ctx = 'https://openvex.dev/ns/v0.2.0';
    expect(() => readOpenVex('v.json', { '@context': ctx, 'statements': [{ vulnerability: 'CVE-1', status: 'fine' }] }, [])).toThrow(/status "fine" is not one of/);
    expect(() => readOpenVex('v.json', { '@context': ctx, 'statements': [{ status: 'affected' }] }, [])).toThrow(/has no name or @id/);
    expect(() => readOpenVex('v.json', { '@context': ctx }, [])).toThrow(/`statements` must be an array/);
  });
});

describe('CycloneDX VEX', () => {
  test('resolves affects refs through component bom-refs and suppresses not_affected by CVE reference', () => {
    const rules = readVexFile(CDX, []);
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ status: 'not_affected', justification: 'code_not_reachable' });
    expect(rules[0].ids).toEqual(['SNYK-JAVA-COMFASTERXMLJACKSONCORE-32111', 'CVE-2018-7489']);
    const list = findings(
      raw({ ruleId: 'CVE-2018-7489', location: { package: 'jackson-databind', version: '2.9.4', purl: 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.4' } }),
      raw({ ruleId: 'CVE-2018-7489', location: { package: 'jackson-databind', version: '2.9.5', purl: 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.5' } }),
    );
    applyVex(list, rules);
    expect(list.map((f) => `${f.location.version}:${f.status}`).sort()).toEqual(['2.9.4:suppressed', '2.9.5:open']);
  });

  test('in_triage statements suppress nothing', () => {
    const rules = readVexFile(fixture('cyclonedx-vex', 'defectdojo', 'cyclonedx_log4j.json'), []);
    expect(rules.length).toBe(8);
    expect(new Set(rules.map((r) => r.status))).toEqual(new Set(['under_investigation']));
    const list = findings(raw({ ruleId: 'CVE-2021-44228', location: { package: 'log4j-core', version: '2.13.2', purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.13.2' } }));
    expect(applyVex(list, rules)).toBe(0);
  });

  test('maps false_positive to not_affected and fails on an unknown state', () => {
    const doc = (state: string) => ({ bomFormat: 'CycloneDX', vulnerabilities: [{ id: 'CVE-1', analysis: { state } }] });
    expect(readCycloneDxVex('c.json', doc('false_positive'))[0].status).toBe('not_affected');
    expect(() => readCycloneDxVex('c.json', doc('probably_fine'))).toThrow(/is not a CycloneDX analysis state/);
  });
});

describe('reading VEX files', () => {
  test('fails on a document that is neither OpenVEX nor CycloneDX, and on bad files', () => {
    expect(() => readVexFile(t.file('sarif.json', '{"version":"2.1.0","runs":[]}'), [])).toThrow(/is not a VEX document/);
    expect(() => readVexFile(t.file('vex.xml', '<vex/>'), [])).toThrow(/is not a VEX document/);
    expect(() => readVexFile(t.file('cut.json', '{"@context": "https://openvex.dev/ns/v0.2.0", "stat'), [])).toThrow(/is not valid JSON/);
    expect(() => readVexFile(`${t.dir}/none.json`, [])).toThrow(/does not exist/);
  });
});

describe('purl', () => {
  test('parses type, namespace, name and version; ignores qualifiers; decodes', () => {
    expect(parsePurl('pkg:npm/%40angular/core@1.0.0?x=1#sub')).toEqual({ type: 'npm', namespace: '@angular', name: 'core', version: '1.0.0' });
    expect(parsePurl('pkg:deb/debian/libc6@2.36-9%2Bdeb12u4')?.version).toBe('2.36-9+deb12u4');
    expect(parsePurl('pkg:pypi/Django_Rest@1')?.name).toBe('django-rest');
    expect(parsePurl('not a purl')).toBeUndefined();
  });

  test('a versioned product covers only that version', () => {
    const p = parsePurl('pkg:npm/lodash@4.17.20')!;
    expect(productCovers(p, parsePurl('pkg:npm/lodash@4.17.20')!)).toBe(true);
    expect(productCovers(p, parsePurl('pkg:npm/lodash@4.17.21')!)).toBe(false);
    expect(productCovers(p, parsePurl('pkg:pypi/lodash@4.17.20')!)).toBe(false);
  });
});
