import { readdirSync } from 'fs';
import { join } from 'path';
import { FIXTURES, loadFixture } from './deps-fixtures';
import { cvssScoreFromVector } from '../../../src/findings/parsers/deps-cvss';

/** Every (vector, score) pair the tools wrote themselves in the real trivy, grype and CycloneDX fixtures. */
function pairsFromFixtures(): Array<[string, number]> {
  const pairs: Array<[string, number]> = [];
  const walk = (o: any): void => {
    if (Array.isArray(o)) return o.forEach(walk);
    if (!o || typeof o !== 'object') return;
    if (typeof o.V3Vector === 'string' && typeof o.V3Score === 'number') pairs.push([o.V3Vector, o.V3Score]);
    if (typeof o.V2Vector === 'string' && typeof o.V2Score === 'number') pairs.push([o.V2Vector, o.V2Score]);
    if (typeof o.vector === 'string' && typeof o.baseScore === 'number') pairs.push([o.vector, o.baseScore]);
    if (typeof o.vector === 'string' && typeof o.score === 'number' && /^CVSSv3/.test(o.method)) pairs.push([o.vector, o.score]);
    Object.values(o).forEach(walk);
  };
  for (const dir of ['trivy/defectdojo', 'grype/defectdojo', 'cyclonedx-vex/defectdojo']) {
    for (const f of readdirSync(join(FIXTURES, dir)).filter((n) => n.endsWith('.json'))) walk(loadFixture(`${dir}/${f}`));
  }
  return pairs;
}

describe('cvss base score from a vector', () => {
  test('matches every score the tools computed in the real fixtures (v3.0, v3.1 and v2)', () => {
    const pairs = pairsFromFixtures();
    expect(pairs.length).toBeGreaterThan(1000);
    const wrong = pairs.filter(([vector, score]) => cvssScoreFromVector(vector) !== score);
    expect(wrong).toEqual([]);
  });

  test.each([
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
    ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:N/A:N', 7.7],
    ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10],
    ['AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8], // CycloneDX writes v3 vectors without the prefix
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', 0],
    ['AV:N/AC:L/Au:N/C:C/I:C/A:C', 10],
    ['(AV:N/AC:M/Au:N/C:P/I:N/A:N)', 4.3],
  ])('%s → %d', (vector, score) => {
    expect(cvssScoreFromVector(vector)).toBe(score);
  });

  test.each([
    'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
    'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N',
    'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:X/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
    'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:X/C:H/I:H/A:H',
    'CVSS:3.1/AV:N/AC:L',
    'not a vector',
    '',
  ])('no score for %p', (vector) => {
    expect(cvssScoreFromVector(vector)).toBeUndefined();
  });
});
