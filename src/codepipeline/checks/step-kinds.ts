import { CodePipelineRule, collector, stepPath } from './context';
import { ApprovalStep, CommandStep } from '../../core';

/** Every step is a kind the engine renders: a command (or scan) step, or an approval. */
export const stepKindsRule: CodePipelineRule = ({ model }) => {
  const { issues, add } = collector();
  for (const stage of model.stages) {
    for (const step of stage.steps) {
      if (!(step instanceof CommandStep) && !(step instanceof ApprovalStep)) {
        add(stepPath(stage.name, step.name), `is a ${step.kind} step, which the CodePipeline engine cannot render: use a CommandStep or an ApprovalStep`);
      }
    }
  }
  return issues;
};
