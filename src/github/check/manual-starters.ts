import { collector, GitHubModelRule } from './types';
import { manualStartersOf } from '../../core';

/** Who may start runs by hand (`Trigger.manual({ startedBy })`): GitHub Actions cannot enforce it from the definition. */
export const manualStartersRule: GitHubModelRule = (pipeline) => {
  const { issues, add } = collector();
  const starters = manualStartersOf(pipeline.triggers);
  if (starters && starters.length > 0) {
    add(
      `pipeline "${pipeline.name}" > triggers > manual`,
      `startedBy (${starters.map((a) => a.name).join(', ')}) cannot be enforced on GitHub Actions: anyone with write access to the repository may run workflow_dispatch: limit who may with repository roles or an organization ruleset and remove startedBy here (or render on CodePipeline, which alerts on any other starter)`,
    );
  }
  return issues;
};
