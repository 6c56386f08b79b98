import { ApprovalStep } from '../../core';
import { approvalProblems } from '../approval';
import { CodePipelineRule, collector, stepPath } from './context';

/** Longest text (`CustomData`) of a CodePipeline manual approval. */
export const MAX_APPROVAL_TEXT = 500;

/** Approvals CodePipeline can express: one approver's answer, its waits, topics and IAM principals. */
export const approvalsRule: CodePipelineRule = ({ model, scope }) => {
  const { issues, add } = collector();
  for (const stage of model.stages) {
    for (const step of stage.steps) {
      if (!(step instanceof ApprovalStep)) continue;
      for (const p of approvalProblems(scope, step)) add(stepPath(stage.name, step.name), p);
    }
  }
  return issues;
};

/** An approval's description is the approval's text, which CodePipeline caps at 500 characters. */
export const approvalTextRule: CodePipelineRule = ({ model }) => {
  const { issues, add } = collector();
  for (const stage of model.stages) {
    for (const step of stage.steps) {
      if (!(step instanceof ApprovalStep) || step.description === undefined) continue;
      if (step.description.length > MAX_APPROVAL_TEXT) {
        add(
          stepPath(stage.name, step.name),
          `description is ${step.description.length} characters, more than the ${MAX_APPROVAL_TEXT} CodePipeline shows with an approval: shorten it and put the details behind reviewUrl`,
        );
      }
    }
  }
  return issues;
};
