import { App, CfnElement, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { cmd, CONNECTION, pipeline } from './helpers';
import { CodePipelineEngine } from '../../src/codepipeline';
import { Stage } from '../../src/core';

/** Paths of the resources under `root` that carry a creation stack trace, and of those that do not. */
function traces(root: IConstruct): { traced: string[]; untraced: string[] } {
  const resources = root.node.findAll().filter((c) => CfnElement.isCfnElement(c));
  const has = (c: IConstruct) => c.node.metadata.some((m) => m.type === 'aws:cdk:creationStack');
  return { traced: resources.filter(has).map((c) => c.node.path), untraced: resources.filter((c) => !has(c)).map((c) => c.node.path) };
}

function build(context: Record<string, unknown>): { engine: CodePipelineEngine; bucket: s3.Bucket } {
  const app = new App({ context });
  const stack = new Stack(app, 'Test');
  const bucket = new s3.Bucket(stack, 'Outside');
  const engine = new CodePipelineEngine(stack, 'Engine', {
    pipeline: pipeline([Stage.buildStage('build', { steps: [cmd('compile')] })]),
    connectionArn: CONNECTION,
  });
  return { engine, bucket };
}

describe("creation stack traces of the engine's resources", () => {
  test('are not recorded by default; the app\'s own resources keep theirs', () => {
    // WHEN
    const { engine, bucket } = build({});
    // THEN
    const inside = traces(engine);
    expect(inside.untraced.length).toBeGreaterThan(10);
    expect(inside.traced).toEqual([]);
    expect(traces(bucket).traced).toEqual([bucket.node.defaultChild!.node.path]);
  });

  test('are recorded when the app sets aws:cdk:disable-creation-stack-traces to false', () => {
    const { engine } = build({ 'aws:cdk:disable-creation-stack-traces': false });
    const inside = traces(engine);
    expect(inside.untraced).toEqual([]);
    expect(inside.traced.length).toBeGreaterThan(10);
  });
});
