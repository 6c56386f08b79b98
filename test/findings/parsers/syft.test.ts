import { copy, loadFixture, parseFixture } from './deps-fixtures';
import { syftJson } from '../../../src/findings/parsers/syft';
import { ReportError } from '../../../src/findings/types';

describe('syft json', () => {
  test('a syft SBOM is valid input with zero findings and its artifact count', () => {
    const raw = loadFixture('syft/hand-made/syft-json.json');
    const report = parseFixture(syftJson, 'syft/hand-made/syft-json.json');
    expect(report).toEqual({ format: 'syft-json', tool: 'syft', findings: [], components: raw.artifacts.length });
  });

  test('detects syft JSON by its descriptor or schema, not by an artifacts list alone', () => {
    expect(syftJson.detect({ artifacts: [], schema: { url: 'https://raw.githubusercontent.com/anchore/syft/main/schema/json/schema-16.0.24.json' } })).toBe(true);
    expect(syftJson.detect({ artifacts: [], descriptor: { name: 'grype' } })).toBe(false);
    expect(syftJson.detect({ artifacts: [{ name: 'x' }] })).toBe(false);
  });

  test('fails on an artifact without a name', () => {
    const doc = copy(loadFixture('syft/hand-made/syft-json.json'));
    doc.artifacts[0].name = 42;
    expect(() => syftJson.parse(doc, { file: 'sbom.json' })).toThrow(ReportError);
    expect(() => syftJson.parse(doc, { file: 'sbom.json' })).toThrow(/sbom\.json: syft json: artifacts\[0\]\.name must be a non-empty string, got number/);
  });
});
