import { collector, stepPath, TektonModelRule } from './types';
import { ApprovalStep, ApproverKind, CommandStep } from '../../core';
import { approverIssue } from '../render/approval-task';

/** An approval is what the manual-approval-gate can express: users and groups, no notifications, an http(s) link. */
export const approvalsRule: TektonModelRule = (pipeline) => {
  const { issues, add } = collector();
  for (const stage of pipeline.stages) {
    for (const step of stage.steps) {
      const where = stepPath(stage.name, step.name);
      if (!(step instanceof ApprovalStep)) {
        if (!(step instanceof CommandStep)) {
          add(where, `is a "${step.kind}" step, which the Tekton engine cannot render: use a CommandStep or an ApprovalStep`);
        }
        continue;
      }
      for (const a of step.approvers) {
        const issue = approverIssue(a);
        if (issue) add(where, issue);
      }
      if (step.notifyTopic !== undefined) {
        add(where, 'notifyTopic has no Tekton equivalent (the approval gate sends no notifications): remove it, or notify from a step before the approval');
      }
      if (step.reviewUrl !== undefined && step.reviewUrl.startsWith('#{')) {
        add(where, `reviewUrl "${step.reviewUrl}" is a CodePipeline variable, which Tekton cannot resolve: give an http(s) URL (e.g. the Tekton Dashboard page of the run)`);
      }
      if (step.notifyEmails.length > 0) {
        add(where, 'notifyEmails has no Tekton equivalent (the approval gate sends no notifications): remove them, or notify from a step before the approval');
      }
      const users = step.approvers.filter((a) => a.kind === ApproverKind.USER).length;
      const groups = step.approvers.filter((a) => a.kind === ApproverKind.GROUP).length;
      if (groups === 0 && users > 0 && step.requiredApprovals > users) {
        add(where, `requires ${step.requiredApprovals} approvals but names only ${users} user(s): lower requiredApprovals or add approvers`);
      }
    }
  }
  return issues;
};
