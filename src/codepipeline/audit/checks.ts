import { Stack } from 'aws-cdk-lib';
import { ApproverKind, TriggerKind } from '../../core';
import { approverProblem } from '../approval';
import { CodePipelineRule, collector } from '../checks/context';

/**
 * Who may start runs by hand must be checkable in CloudTrail: IAM users and roles of the
 * pipeline's account. A group is refused: CloudTrail names the caller, never its groups, so an
 * alert could not tell a member from anyone else.
 */
export const manualStartersRule: CodePipelineRule = ({ model, scope }) => {
  const { issues, add } = collector();
  const account = Stack.of(scope).account;
  model.triggers.forEach((t, i) => {
    if (t.kind !== TriggerKind.MANUAL || t.startedBy === undefined) return;
    const path = `trigger ${i + 1} (manual)`;
    for (const a of t.startedBy) {
      if (a.kind === ApproverKind.GROUP) {
        add(
          path,
          `startedBy names group "${a.name}", but CloudTrail records who started a run, not their groups, so the alert on runs started by anyone else cannot tell its members apart: ` +
            'name the IAM role its members assume (Approver.role) or the users (Approver.user)',
        );
        continue;
      }
      const problem = approverProblem(a, account);
      if (problem) add(path, `startedBy: ${problem}`);
    }
  });
  return issues;
};
