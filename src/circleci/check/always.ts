import { collector, CircleCiModelRule, stepPath } from './types';
import { ApprovalStep } from '../../core';

/**
 * A step that runs always learns whether the run succeeded from markers the final jobs write in
 * the workspace; a final approval hold runs no step, so it cannot write one.
 */
export const alwaysRule: CircleCiModelRule = (pipeline) => {
  const { issues, add } = collector();
  const always = pipeline.stages.flatMap((stage) => stage.steps.filter((s) => stage.runsAlways(s)).map((s) => stepPath(stage.name, s.name)));
  if (always.length === 0 || pipeline.validate().length > 0) return issues;
  for (const stage of pipeline.graph().finalStages()) {
    const waitedFor = new Set(stage.steps.flatMap((s) => s.runAfter));
    for (const step of stage.steps.filter((s) => !waitedFor.has(s.name) && s instanceof ApprovalStep)) {
      add(
        always[0],
        `runs always and reads ${'GATEHOUSE_PIPELINE_STATUS'}, which CircleCI cannot give after a final approval (stage "${stage.name}" > step "${step.name}" is a hold and runs no step): add a step after the approval`,
      );
    }
  }
  return issues;
};
