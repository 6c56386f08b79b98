import { copy, loadFixture, parseFixture } from './deps-fixtures';
import { spdxJson } from '../../../src/findings/parsers/spdx';
import { ReportError } from '../../../src/findings/types';

describe('spdx json', () => {
  test('an SPDX 2.3 SBOM is valid input with zero findings and its package count', () => {
    const raw = loadFixture('spdx/hand-made/spdx-2.3.json');
    const report = parseFixture(spdxJson, 'spdx/hand-made/spdx-2.3.json');
    expect(report).toEqual({ format: 'spdx-json', tool: 'syft', findings: [], components: raw.packages.length });
  });

  test('detects SPDX JSON only', () => {
    expect(spdxJson.detect({ spdxVersion: 'SPDX-2.2', SPDXID: 'SPDXRef-DOCUMENT' })).toBe(true);
    expect(spdxJson.detect({ bomFormat: 'CycloneDX' })).toBe(false);
    expect(spdxJson.detect({ spdxVersion: 2 })).toBe(false);
  });

  test('fails on a package without an SPDXID', () => {
    const doc = copy(loadFixture('spdx/hand-made/spdx-2.3.json'));
    delete doc.packages[1].SPDXID;
    expect(() => spdxJson.parse(doc, { file: 's.json' })).toThrow(ReportError);
    expect(() => spdxJson.parse(doc, { file: 's.json' })).toThrow(/s\.json: spdx json: packages\[1\]\.SPDXID/);
  });
});
