import { cweIds, distinct, splitIds } from '../../../src/findings/parsers/deps-ids';
import { ItemPath, Shape } from '../../../src/findings/parsers/deps-shape';
import { ReportError } from '../../../src/findings/types';

describe('vulnerability ids', () => {
  test('distinct keeps the first of each value in order, for short and long lists', () => {
    const short = ['a', 'b', 'a', 'c', 'b'];
    expect(distinct(short)).toEqual(['a', 'b', 'c']);
    const long = Array.from({ length: 100 }, (_, i) => `id-${i % 40}`);
    expect(distinct(long)).toEqual(Array.from({ length: 40 }, (_, i) => `id-${i}`));
    // a list without repeats is returned as it is, not copied
    const unique = Array.from({ length: 50 }, (_, i) => `u${i}`);
    expect(distinct(unique)).toBe(unique);
  });

  test('a huge list of ids with repeats is split (pairwise comparison would not end in time)', () => {
    const ids = Array.from({ length: 200_000 }, (_, i) => (i % 2 ? `CVE-2024-${10000 + (i % 5000)}` : `GHSA-${i % 7000}`));
    const { cves, aliases } = splitIds(ids, 'x');
    expect(cves).toHaveLength(2500);
    expect(aliases).toHaveLength(3500);
  });

  test('CVEs uppercase and once, aliases once and never the primary id', () => {
    expect(splitIds([' GHSA-1 ', 'cve-2021-1234', 'CVE-2021-1234', 'GHSA-2', 'GHSA-1', undefined, ''], 'GHSA-1')).toEqual({
      cves: ['CVE-2021-1234'],
      aliases: ['GHSA-2'],
    });
    expect(splitIds(['CVE-2021-2222', 'CVE-2021-1111', 'cve-2021-2222'], 'CVE-2021-2222')).toEqual({ cves: ['CVE-2021-2222', 'CVE-2021-1111'], aliases: [] });
  });

  test('CWE ids in every spelling become CWE-<number>, once', () => {
    expect(cweIds(['CWE-79', 'cwe-79', '79', 79, ' CWE-079 ', 'CWE-787', 'CWE-', 'NVD-CWE-Other', 'CWE-0', 7.5])).toEqual(['CWE-79', 'CWE-787', 'CWE-0']);
    // a number too long to be exact is normalized as before, not kept as written
    expect(cweIds(['CWE-123456789012345678901'])).toEqual([`CWE-${Number('123456789012345678901')}`]);
  });
});

describe('shape', () => {
  const shape = new Shape('r.json', 'trivy json', 'fix it');

  test('strItems returns the list itself when every item is a non-empty string, else a checked copy', () => {
    const list = ['a', 'b'];
    expect(shape.strItems(list, 'x', 'References')).toBe(list);
    expect(shape.strItems(['a', '', 'b'], 'x', 'References')).toEqual(['a', 'b']);
    expect(shape.strItems(null, 'x', 'References')).toEqual([]);
    expect(() => shape.strItems(['a', 3], 'x', 'References')).toThrow('trivy json: x.References[1] must be a string, got number; fix it');
    expect(() => shape.strItems('a', 'x', 'References')).toThrow('x.References must be an array');
  });

  test('an item path is spelled out in the message', () => {
    const at = new ItemPath('Results[2].Vulnerabilities', 7);
    expect(() => shape.str(undefined, at, 'PkgName')).toThrow(ReportError);
    expect(() => shape.str(undefined, at, 'PkgName')).toThrow('trivy json: Results[2].Vulnerabilities[7].PkgName must be a non-empty string, got undefined; fix it');
    expect(() => shape.obj(3, at)).toThrow('trivy json: Results[2].Vulnerabilities[7] must be an object, got number; fix it');
  });
});
