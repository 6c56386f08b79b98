import { collector, TektonModelRule } from './types';
import { manualStartersOf } from '../../core';

/** Who may start runs by hand (`Trigger.manual({ startedBy })`): Tekton cannot enforce it from the definition. */
export const manualStartersRule: TektonModelRule = (pipeline) => {
  const { issues, add } = collector();
  const starters = manualStartersOf(pipeline.triggers);
  if (starters && starters.length > 0) {
    add(
      `pipeline "${pipeline.name}" > triggers > manual`,
      `startedBy (${starters.map((a) => a.name).join(', ')}) cannot be enforced on Tekton: who may create PipelineRuns is Kubernetes RBAC, outside the pipeline's objects: grant create on pipelineruns in the pipeline's namespace to exactly those people and remove startedBy here (or render on CodePipeline, which alerts on any other starter)`,
    );
  }
  return issues;
};
