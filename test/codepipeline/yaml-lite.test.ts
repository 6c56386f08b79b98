import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { toYaml } from '../../src/codepipeline/yaml-lite';

describe('the buildspec YAML writer', () => {
  test('writes scripts as literal blocks that read back unchanged', () => {
    // GIVEN a buildspec-shaped object with a multi-line script
    const spec = {
      version: '0.2',
      env: { 'variables': { A: 'yes', B: '1: two # three' }, 'exported-variables': ['X', 'Y'] },
      phases: { build: { commands: ['set -e\necho "hi"\n  indented\n\nlast\n', 'single'] } },
      reports: { 'arn:aws:codebuild:eu-west-1:111111111111:report-group/x': { 'files': ['a/*.xml'], 'file-format': 'JUNITXML' } },
      artifacts: { files: ['out/**/*'] },
    };
    // WHEN
    const text = toYaml(spec);
    // THEN
    expect(text).toContain('      - |\n        set -e\n        echo "hi"\n          indented\n\n        last\n');
    expect(YAML.parse(text)).toEqual(spec);
  });

  test('any string, list or map reads back unchanged', () => {
    // GIVEN arbitrary JSON-like values (strings with newlines, quotes, colons, unicode)
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, fc.string({ unit: 'grapheme' }), fc.string(), tie('list'), tie('map')),
      list: fc.array(tie('node'), { maxLength: 4 }),
      map: fc.dictionary(fc.string({ minLength: 1 }), tie('node'), { maxKeys: 4 }),
    })).map;
    // WHEN / THEN
    fc.assert(fc.property(value, (v) => expect(YAML.parse(toYaml(v))).toEqual(v)), { numRuns: 300 });
  });
});
