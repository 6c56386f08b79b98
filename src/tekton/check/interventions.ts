import { collector, stepPath, TektonModelRule } from './types';
import { CommandStep, FailureStrategy, GatePolicy, ScanStep } from '../../core';
import { approverIssue } from '../render/approval-task';

/**
 * A MANUAL_INTERVENTION gate's or command step's approvers are ones the manual-approval-gate
 * knows: Kubernetes users and groups.
 */
export const interventionsRule: TektonModelRule = (pipeline) => {
  const { issues, add } = collector();
  for (const stage of pipeline.stages) {
    for (const step of stage.steps) {
      if (step instanceof ScanStep && step.gate) {
        interventionIssues(step.gate).forEach((m) => add(stepPath(stage.name, step.name), `gate ${m}`));
      }
      if (step instanceof CommandStep && step.onFailure.strategy === FailureStrategy.MANUAL_INTERVENTION) {
        for (const a of step.onFailure.approvers) {
          const issue = approverIssue(a);
          if (issue) add(stepPath(stage.name, step.name), `onFailure intervention ${issue}`);
        }
      }
    }
    if (stage.gate) interventionIssues(stage.gate).forEach((m) => add(`stage "${stage.name}" > stage gate`, m));
  }
  return issues;
};

function interventionIssues(policy: GatePolicy): string[] {
  if (policy.failureStrategy !== FailureStrategy.MANUAL_INTERVENTION) return [];
  return policy.interventionApprovers.flatMap((a) => {
    const issue = approverIssue(a);
    return issue ? [`intervention ${issue}`] : [];
  });
}
