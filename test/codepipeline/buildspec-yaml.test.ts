import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { flatten, pipeline, render } from './helpers';
import { yamlBuildSpec } from '../../src/codepipeline/buildspec';
import { buildSpecYaml, BuildSpecValue } from '../../src/codepipeline/buildspec-yaml';
import { CommandStep, Stage } from '../../src/core';

/*
 * Buildspecs are written as YAML (buildSpecYaml; CodeBuild reads YAML 1.1): a script must read back
 * exactly as the step gave it, and read in the console as written.
 */

/** The raw buildspec text of the project of `stage/step`, tokens shown as `<Ref>`. */
function buildSpecText(commands: string[], env: Record<string, string> = {}): string {
  const { template } = render(pipeline([Stage.buildStage('build', { steps: [new CommandStep({ name: 'make', image: 'node:22', commands, env })] })]));
  const project = Object.values(template.findResources('AWS::CodeBuild::Project')).find((p: any) => String(p.Properties.Description).endsWith(': build/make')) as any;
  return flatten(project.Properties.Source.BuildSpec);
}

describe('buildspec YAML', () => {
  test('a multi-line script is a literal block that reads back unchanged', () => {
    // GIVEN a step whose script has indentation, a blank line, quotes and a colon
    const script = 'set -e\necho "hi: there"\nfor x in a b; do\n  echo $x\ndone\n\necho done';
    // WHEN
    const text = buildSpecText([script]);
    const spec = YAML.parse(text, { schema: 'yaml-1.1' });
    // THEN the engine's script (it wraps the step's commands) holds the step's lines, as a block
    const commands: string[] = spec.phases.build.commands;
    expect(commands.join('\n')).toContain(script);
    expect(text).toMatch(/\n {6}- \|-?\n/);
    expect(text).toContain('\n          echo $x\n');
  });

  test('any variable value reads back unchanged under YAML 1.1 (yes, on, 0123, colons, quotes)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom('yes', 'on', 'off', 'NO', '0123', '0x1F', '1e3', '~', 'null', '- a', 'a: b', '"q"', "'s'", '#c', '  pad  '), fc.string()), (value) => {
        const spec = YAML.parse(buildSpecText(['true'], { VALUE: value }), { schema: 'yaml-1.1' });
        expect(spec.env.variables.VALUE).toBe(value);
      }),
      { numRuns: 40 },
    );
  });
});

describe('yamlBuildSpec', () => {
  const spec = { version: '0.2', phases: { build: { commands: ['echo "a: b"\nexit 0\n', 'yes'] } } };

  test('is the buildspec as YAML, written once however often it is read', () => {
    const once = yamlBuildSpec(spec);
    expect(once.isImmediate).toBe(true);
    const text = once.toBuildSpec();
    expect(once.toBuildSpec()).toBe(text);
    expect(text).toBe(buildSpecYaml(spec));
    expect(YAML.parse(text, { version: '1.1' })).toEqual(spec);
  });
});

describe('buildSpecYaml', () => {
  /** Strings a buildspec may hold: words YAML readers take for other types, indicators, scripts, any text. */
  const text = fc.oneof(
    fc.constantFrom('yes', 'No', 'ON', 'off', 'y', 'n', 'true', 'False', 'null', 'Null', '~', '', ' ', '0.2', '012', '0x1F', '0o17', '1e3', 'e5', 'E-1', '.e5', '.E-1', '1_000', '.inf', '.NaN', '.Inf', '.nan', '.gatehouse/x', '._', './a', '..a', '-.5',
      '1:20', '2001-12-14', '<<', '=', '- a', '? a', ': a', 'a: b', 'a #b', 'a:', 'a ', ' a', '#c', '&a', '*a', '!t', '|', '>', '%p', '@a', '`a', '"q"', "'s'", '[a]', '{a}',
      'a,b', '$CODEBUILD_SRC_DIR/x', 'https://example.com/a?b=c#d', '${Token[TOKEN.12]}', 'arn:aws:s3:::b/k*', 'a\tb', '\ta', 'x\r\ny', 'a\u0085b', 'a\u2028b', '\ufeffa', 'a\u007fb',
      'set -e\necho "a: b"\n  indented\n\nlast', 'line\n', 'line\n\n', 'line\n\n\n', '\nleading', ' leading\nx', 'trailing  \nspaces  ', 'tab\n\tindented', 'é ü 日本 🙂\nsecond'),
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc.array(fc.constantFrom('a', ' ', '\n', ':', '#', '-', '"', "'", '\t', '\\', '|', 'é', '\u2028'), { maxLength: 12 }).map((cs) => cs.join('')),
  );
  const value = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.boolean(), tie('list'), tie('map')),
    list: fc.array(tie('value'), { maxLength: 4 }),
    map: fc.dictionary(text, tie('value'), { maxKeys: 4 }),
  })).value as fc.Arbitrary<BuildSpecValue>;

  test('any buildspec reads back unchanged, as YAML 1.1 (CodeBuild) and as YAML 1.2', () => {
    fc.assert(
      fc.property(fc.dictionary(text, value, { maxKeys: 5 }), (spec) => {
        const yaml = buildSpecYaml(spec);
        expect(YAML.parse(yaml, { version: '1.1' })).toEqual(spec);
        expect(YAML.parse(yaml)).toEqual(spec);
      }),
      { numRuns: 500 },
    );
  });

  test('scripts are literal blocks; plain words stay plain, others are quoted', () => {
    const yaml = buildSpecYaml({
      'version': '0.2',
      'env': { 'exported-variables': ['GATE_VERDICT'], 'variables': { ON: 'yes', DIR: '$CODEBUILD_SRC_DIR/app' } },
      'phases': { build: { commands: ['set -e\necho "a: b"\n  indented\n\nlast', 'make test'] } },
      '${Token[TOKEN.7]}': { 'files': ['out/**/*'], 'file-format': 'JUNITXML' },
    });
    expect(yaml).toBe([
      'version: "0.2"',
      'env:',
      '  exported-variables:',
      '    - GATE_VERDICT',
      '  variables:',
      '    "ON": "yes"',
      '    DIR: $CODEBUILD_SRC_DIR/app',
      'phases:',
      '  build:',
      '    commands:',
      '      - |-',
      '        set -e',
      '        echo "a: b"',
      '          indented',
      '',
      '        last',
      '      - make test',
      '"${Token[TOKEN.7]}":',
      '  files:',
      '    - out/**/*',
      '  file-format: JUNITXML',
      '',
    ].join('\n'));
  });

  test('refuses what a buildspec cannot hold, naming it', () => {
    expect(() => buildSpecYaml({ a: null as any })).toThrow(/a buildspec value must be a string, number, boolean, list or mapping, not null/);
    expect(() => buildSpecYaml({ a: Infinity })).toThrow(/a buildspec number must be a finite number without exponent, not Infinity/);
    expect(() => buildSpecYaml({ a: 1e21 })).toThrow(/not 1e\+21/);
  });
});
