import { collector, GitHubModelRule, stepPath } from './types';
import { ApprovalStep, Approver, ApproverKind, CommandStep, FailureStrategy, GatePolicy, Pipeline, ScanStep } from '../../core';

/** Most required reviewers an environment takes. */
export const MAX_REVIEWERS = 6;

/** Why GitHub cannot take these reviewers, or none. */
function reviewerIssues(approvers: Approver[]): string[] {
  const out: string[] = [];
  for (const a of approvers) {
    if (a.kind === ApproverKind.ROLE) {
      out.push(`approver role "${a.name}" has no GitHub equivalent: a required reviewer is a user or a team (Approver.user or Approver.group with the team's slug)`);
    }
  }
  if (approvers.length > MAX_REVIEWERS) {
    out.push(`names ${approvers.length} approvers, and a GitHub environment takes at most ${MAX_REVIEWERS} required reviewers: name a team (Approver.group) instead of its members`);
  }
  return out;
}

/**
 * An approval is what a GitHub environment with required reviewers can express: users and teams
 * (at most six), one approval, no notification settings (GitHub notifies the reviewers), an
 * http(s) link, and a job before it to time the wait from.
 */
export const approvalsRule: GitHubModelRule = (pipeline: Pipeline) => {
  const { issues, add } = collector();
  for (const stage of pipeline.stages) {
    for (const step of stage.steps) {
      const where = stepPath(stage.name, step.name);
      if (!(step instanceof ApprovalStep)) {
        if (!(step instanceof CommandStep)) add(where, `is a "${step.kind}" step, which the GitHub Actions engine cannot render: use a CommandStep or an ApprovalStep`);
        continue;
      }
      reviewerIssues(step.approvers).forEach((m) => add(where, m));
      if (step.requiredApprovals > 1) {
        add(where, `requires ${step.requiredApprovals} approvals, and one required reviewer's approval releases a GitHub environment: set requiredApprovals to 1`);
      }
      if (step.notifyEmails.length > 0 || step.notifyTopic !== undefined) {
        add(where, 'notifyEmails and notifyTopic have no GitHub equivalent (GitHub notifies the required reviewers itself): remove them');
      }
      if (step.reviewUrl !== undefined && !/^https?:\/\//.test(step.reviewUrl)) {
        add(where, `reviewUrl "${step.reviewUrl}" is a CodePipeline variable, which GitHub cannot resolve: give an http(s) URL`);
      }
      if (step.runAfter.length === 0 && pipeline.requiresOf(stage).length === 0) {
        add(where, 'waits for no job, and GitHub gives a job no start time to enforce the approval timeout from: require a stage before it');
      }
    }
  }
  return issues;
};

/** A MANUAL_INTERVENTION's approvers are ones an environment takes. */
export const interventionsRule: GitHubModelRule = (pipeline: Pipeline) => {
  const { issues, add } = collector();
  const gate = (where: string, policy: GatePolicy | undefined) => {
    if (policy?.failureStrategy === FailureStrategy.MANUAL_INTERVENTION) reviewerIssues(policy.interventionApprovers).forEach((m) => add(where, `intervention ${m}`));
  };
  for (const stage of pipeline.stages) {
    for (const step of stage.steps) {
      if (step instanceof ScanStep) gate(`${stepPath(stage.name, step.name)} > gate`, step.gate);
      if (step instanceof CommandStep && step.onFailure.strategy === FailureStrategy.MANUAL_INTERVENTION) {
        reviewerIssues(step.onFailure.approvers).forEach((m) => add(stepPath(stage.name, step.name), `onFailure intervention ${m}`));
      }
    }
    gate(`stage "${stage.name}" > stage gate`, stage.gate);
  }
  return issues;
};
