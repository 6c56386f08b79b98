import { CommandStep } from '../command-step';
import { MAX_PIPELINE_NAME_LENGTH, nameIssue } from '../names';
import { collector, ModelRule, stagePath, stepPath } from './types';

/**
 * Every name of the definition is one engines can take (a DNS-1123 label, 30 characters; 40 for
 * the pipeline): pipeline, stages, environments, steps, reports and output artifacts, all listed
 * at once rather than one throw per constructor.
 */
export const namesRule: ModelRule = (pipeline) => {
  const { issues, add } = collector();
  const problem = nameIssue(pipeline.name, MAX_PIPELINE_NAME_LENGTH);
  if (problem) add(`pipeline "${pipeline.name}"`, problem);
  for (const stage of pipeline.stages) {
    const sp = stagePath(stage.name);
    const own = nameIssue(stage.name);
    if (own) add(sp, own);
    const env = stage.environment === undefined ? undefined : nameIssue(stage.environment);
    if (env) add(sp, `environment ${env}`);
    for (const step of stage.steps) {
      const p = stepPath(stage.name, step.name);
      const stepProblem = nameIssue(step.name);
      if (stepProblem) add(p, stepProblem);
      if (!(step instanceof CommandStep)) continue;
      for (const r of step.reports) {
        const rp = nameIssue(r.name);
        if (rp) add(p, `report ${rp}`);
      }
      for (const o of step.outputs) {
        const op = nameIssue(o.name);
        if (op) add(p, `output artifact ${op}`);
      }
    }
  }
  return issues;
};
