import { collector, CircleCiModelRule } from './types';
import { manualStartersOf } from '../../core';

/** Who may start runs by hand (`Trigger.manual({ startedBy })`): CircleCI cannot enforce it from the definition. */
export const manualStartersRule: CircleCiModelRule = (pipeline) => {
  const { issues, add } = collector();
  const starters = manualStartersOf(pipeline.triggers);
  if (starters && starters.length > 0) {
    add(
      `pipeline "${pipeline.name}" > triggers > manual`,
      `startedBy (${starters.map((a) => a.name).join(', ')}) cannot be enforced on CircleCI: anyone who may trigger pipelines in the CircleCI project may start one: limit that with the project's permissions and remove startedBy here (or render on CodePipeline, which alerts on any other starter)`,
    );
  }
  return issues;
};
