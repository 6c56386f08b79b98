import { App, Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { CONNECTION } from './helpers';
import { djangoDevSecOps } from '../../examples/django-devsecops/pipeline';
import { CodePipelineEngine } from '../../src/codepipeline';
import { acknowledge } from '../../src/codepipeline/nag';
import { Pipeline } from '../../src/core';

/** The acknowledged-rules metadata entries of each construct under `root`. */
function entriesByConstruct(root: IConstruct): Map<string, object[]> {
  const out = new Map<string, object[]>();
  for (const c of root.node.findAll()) {
    const entries = c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY).map((m) => m.data as object);
    if (entries.length > 0) out.set(c.node.path, entries);
  }
  return out;
}

/** The seed pipeline, named `name`, in its own stack of `app`. */
function seed(app: App, name: string): Stack {
  const s = djangoDevSecOps();
  const stack = new Stack(app, `Stack-${name}`);
  const pipeline = new Pipeline({
    name,
    source: s.source,
    stages: s.stages,
    defaults: { image: s.defaultImage, env: s.defaultEnv, timeoutMinutes: s.defaultTimeoutMinutes, gateImage: s.gateImage },
  });
  new CodePipelineEngine(stack, 'Pipeline', { pipeline, connectionArn: CONNECTION });
  return stack;
}

describe('cdk-nag acknowledgments in many pipelines', () => {
  // Object keys that name the pipeline (its artifact folder) are new shapes for the JavaScript
  // engine when they come first in an object; past ~1,500 of them in one process every object
  // aws-cdk-lib copies gets much slower. Each pipeline may add only a couple.
  const app = new App({ builtinCloudFormationValidation: false, context: { 'aws:cdk:disable-asset-staging': true } });
  const stacks = ['orders-api', 'billing-worker'].map((n) => seed(app, n));

  test('each construct records its acknowledgments in one entry', () => {
    // GIVEN the two stacks WHEN their entries are read
    for (const stack of stacks) {
      const entries = entriesByConstruct(stack);
      // THEN some constructs acknowledge several findings, each construct in one entry
      expect([...entries.values()].some((e) => Object.keys(e[0]).length > 2)).toBe(true);
      for (const [where, e] of entries) {
        expect({ where, entries: e.length }).toEqual({ where, entries: 1 });
      }
    }
  });

  test('a pipeline adds at most two first keys that name it', () => {
    for (const [i, stack] of stacks.entries()) {
      // GIVEN the first key of every entry of the stack
      const firstKeys = new Set([...entriesByConstruct(stack).values()].flat().map((e) => Object.keys(e)[0]));
      // WHEN the keys that name this pipeline are kept
      const name = ['orders-api', 'billing-worker'][i];
      const naming = [...firstKeys].filter((k) => k.includes(`/${name}/`));
      // THEN the pipeline's own folder and its source artifact, at most
      expect(naming.length).toBeGreaterThan(0);
      expect(naming.length).toBeLessThanOrEqual(2);
    }
  });

  test('an acknowledgment made twice on a construct is kept once, with its first reason', () => {
    // GIVEN a construct
    const scope = new Stack(new App(), 'Acks');
    // WHEN it acknowledges one finding twice and another once
    acknowledge(scope, 'AwsSolutions-IAM5[Resource::*]', 'the first reason');
    acknowledge(scope, 'AwsSolutions-IAM5[Resource::*]', 'the second reason');
    acknowledge(scope, 'AwsSolutions-CB5', 'another reason');
    // THEN one entry, in the order made, the first reason kept
    expect(entriesByConstruct(scope).get('Acks')).toEqual([
      { 'Annotation::AwsSolutions-IAM5[Resource::*]': 'the first reason', 'Annotation::AwsSolutions-CB5': 'another reason' },
    ]);
  });
});
