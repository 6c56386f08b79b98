/**
 * The README's smallest pipeline, run as written (its `gatehouse` import pointed at the sources):
 * it builds, renders on CodePipeline, and its steps run npm in an image that has npm, pinned by
 * digest.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import * as ts from 'typescript';
import { CommandStep, Pipeline } from '../../src/core';

const README = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');

function smallestPipeline(): { pipeline: Pipeline; stack: any } {
  const block = /## The smallest useful pipeline\n\n```ts\n([\s\S]*?)```/.exec(README);
  if (!block) throw new Error('README has no "The smallest useful pipeline" TypeScript block');
  const source = block[1].replace(/from 'gatehouse'/g, `from ${JSON.stringify(path.join(__dirname, '..', '..', 'src'))}`);
  const js = ts.transpileModule(`${source}\nexport { pipeline, stack };`, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } }).outputText;
  const module = { exports: {} as any };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  new Function('require', 'module', 'exports', js)(require, module, module.exports);
  return module.exports;
}

describe('the README\'s smallest pipeline', () => {
  // aws-cdk-lib's built-in template validation (seconds per App) is on in the examples' own tests
  process.env.CDK_VALIDATION = 'false';
  const { pipeline, stack } = smallestPipeline();
  afterAll(() => delete process.env.CDK_VALIDATION);

  test('names an image that matches its commands (npm runs in Node.js), pinned by digest', () => {
    const commands = pipeline.stages.flatMap((s) => s.steps).flatMap((s) => (s as CommandStep).commands);
    expect(commands.some((c) => /^npm /.test(c))).toBe(true);
    const images = pipeline.stages.flatMap((s) => s.steps).map((s) => pipeline.imageOf(s as CommandStep));
    expect(new Set(images)).toEqual(new Set([pipeline.defaultImage]));
    expect(pipeline.defaultImage).toMatch(/^node:[^@]+@sha256:[a-f0-9]{64}$/);
  });

  test('renders on CodePipeline with that image on every build', () => {
    const projects = Object.values(Template.fromStack(stack).findResources('AWS::CodeBuild::Project')) as any[];
    expect(projects.length).toBeGreaterThan(0);
    for (const p of projects) expect(p.Properties.Environment.Image).toBe(pipeline.defaultImage);
  });
});
