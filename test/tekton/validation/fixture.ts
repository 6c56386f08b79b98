import { TektonRule } from '../../../src/tekton/validation/types';
import { clone, render } from '../helpers';
import { ungatedSeed } from '../ungated-seed';

let seed: any[] | undefined;

/** A fresh copy of the seed example's objects (Pipeline, ServiceAccount, Role, RoleBinding, PipelineRun). */
export function seedManifests(): any[] {
  seed ??= render(ungatedSeed()).manifests;
  return clone(seed);
}

/** The seed's objects after `mutate`, and the issues `rule` finds in them. */
export function issuesAfter(rule: TektonRule, mutate: (objects: { pipeline: any; run: any; all: any[] }) => void) {
  const all = seedManifests();
  mutate({ pipeline: all.find((m) => m.kind === 'Pipeline'), run: all.find((m) => m.kind === 'PipelineRun'), all });
  return rule.check({ manifests: all });
}

/** Index of a task in the seed pipeline. */
export const T = { clone: 0, build: 1, test: 2, oast: 3, integration: 4, approval: 5, prod: 6 };
