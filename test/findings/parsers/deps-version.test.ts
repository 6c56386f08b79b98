import { compareVersions, pickFixVersion, splitVersionList } from '../../../src/findings/parsers/deps-version';

describe('fix versions', () => {
  test('the lowest fix above the installed version', () => {
    expect(pickFixVersion('3.2.9', ['2.2.25', '3.1.14', '3.2.10'])).toBe('3.2.10');
    expect(pickFixVersion('1.2.0', ['0.2.4', '1.2.6'])).toBe('1.2.6');
    expect(pickFixVersion('2.28-10', ['2.28-10+deb10u1'])).toBe('2.28-10+deb10u1');
  });

  test('all candidates when the installed version is unknown or none is above it', () => {
    expect(pickFixVersion(undefined, ['1.0.1', '2.0.1'])).toBe('1.0.1, 2.0.1');
    expect(pickFixVersion('9.0', ['1.0.1', '2.0.1'])).toBe('1.0.1, 2.0.1');
  });

  test('nothing when there is no candidate', () => {
    expect(pickFixVersion('1.0', [])).toBeUndefined();
    expect(pickFixVersion('1.0', ['', ' '])).toBeUndefined();
    expect(pickFixVersion('1.0', [' '])).toBeUndefined();
  });

  test('a single candidate is the fix version, trimmed, whatever the installed version', () => {
    expect(pickFixVersion('9.0', [' 1.2.3 '])).toBe('1.2.3');
    expect(pickFixVersion(undefined, new Set(['2.0']))).toBe('2.0');
  });

  test('segment comparison: numbers numerically, releases above pre-releases', () => {
    expect(compareVersions('1.10.0', '1.9.0')).toBeGreaterThan(0);
    expect(compareVersions('v2.0.0', '2.0.0')).toBe(0);
    expect(compareVersions('1.0.1', '1.0.rc1')).toBeGreaterThan(0);
    expect(compareVersions('1.0', '1.0.1')).toBeLessThan(0);
  });

  test('a tool\'s comma-separated list', () => {
    expect(splitVersionList('1.2.3, 1.3.0')).toEqual(['1.2.3', '1.3.0']);
    expect(splitVersionList(undefined)).toEqual([]);
    expect(splitVersionList(' 1.2.3 ')).toEqual(['1.2.3']);
    expect(splitVersionList('  ')).toEqual([]);
    expect(splitVersionList('1.2.3,, ,1.2.3')).toEqual(['1.2.3', '1.2.3']);
  });
});
