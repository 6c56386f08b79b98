import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { flatten, pipeline, render } from './helpers';
import { yamlBuildSpec } from '../../src/codepipeline/buildspec';
import { CommandStep, Stage } from '../../src/core';

/*
 * Buildspecs are written as YAML (aws-cdk-lib's own writer, YAML 1.1 as CodeBuild reads it): a
 * script must read back exactly as the step gave it, and read in the console as written.
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

  test('is the text aws-cdk-lib writes for BuildSpec.fromObjectToYaml', () => {
    const text = yamlBuildSpec(spec).toBuildSpec();
    expect(text).toBe(codebuild.BuildSpec.fromObjectToYaml(spec).toBuildSpec());
    expect(YAML.parse(text, { version: '1.1' })).toEqual(spec);
  });

  test('asks the library once, however often the text is read', () => {
    const serialize = jest.spyOn(codebuild.BuildSpec, 'fromObjectToYaml');
    try {
      const once = yamlBuildSpec(spec);
      const inner = serialize.mock.results[0].value as codebuild.BuildSpec;
      const toBuildSpec = jest.spyOn(inner, 'toBuildSpec');
      expect(once.isImmediate).toBe(true);
      expect(once.toBuildSpec()).toBe(once.toBuildSpec());
      expect(toBuildSpec).toHaveBeenCalledTimes(1);
    } finally {
      serialize.mockRestore();
    }
  });
});
