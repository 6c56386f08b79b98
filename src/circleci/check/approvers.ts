import { collector, CircleCiModelRule, CONTEXT_NAME, stepPath } from './types';
import { ApprovalStep, Approver, ApproverKind, CommandStep, FailureStrategy, GatePolicy, ScanStep } from '../../core';

/**
 * Who may approve a CircleCI hold is set by a restricted context on the approval job: the members
 * of its security group (a team). So an approval or intervention names exactly one group (the
 * context of that name), no users or roles; one approval suffices.
 */
export function approverIssues(approvers: Approver[]): string[] {
  const out: string[] = [];
  const others = approvers.filter((a) => a.kind !== ApproverKind.GROUP);
  for (const a of others) {
    out.push(
      `approver ${a.kind.toLowerCase()} "${a.name}" cannot be expressed: a CircleCI hold is restricted by a context's security group (a team), not by ${a.kind === ApproverKind.USER ? 'person' : 'role'}; ` +
        'use Approver.group("<team>") and restrict the context of that name to the team',
    );
  }
  const groups = approvers.filter((a) => a.kind === ApproverKind.GROUP);
  if (groups.length > 1) {
    out.push(`names ${groups.length} groups (${groups.map((g) => g.name).join(', ')}), and a CircleCI approver must be a member of every context of the hold: name one group whose context's security group holds every approver`);
  }
  for (const g of groups) {
    if (!CONTEXT_NAME.test(g.name)) out.push(`approver group "${g.name}" is not a context name gatehouse writes (letters, digits, ".", "_", "-"): rename the group`);
  }
  return out;
}

/** Approvals and manual interventions are holds CircleCI can express. */
export const approversRule: CircleCiModelRule = (pipeline) => {
  const { issues, add } = collector();
  const intervention = (where: string, policy: GatePolicy | undefined) => {
    if (policy?.failureStrategy !== FailureStrategy.MANUAL_INTERVENTION) return;
    approverIssues(policy.interventionApprovers).forEach((m) => add(where, `intervention ${m}`));
  };
  for (const stage of pipeline.stages) {
    for (const step of stage.steps) {
      const where = stepPath(stage.name, step.name);
      if (step instanceof ApprovalStep) {
        approverIssues(step.approvers).forEach((m) => add(where, m));
        if (step.requiredApprovals > 1) add(where, `requires ${step.requiredApprovals} approvals, and a CircleCI hold takes one: set requiredApprovals to 1, or chain approval stages`);
        if (step.notifyEmails.length > 0 || step.notifyTopic !== undefined) {
          add(where, 'asks for notifications, which a CircleCI hold does not send: remove notifyEmails/notifyTopic, or notify from a step before the approval (CircleCI also notifies by its own settings)');
        }
        if (step.reviewUrl !== undefined && (step.reviewUrl.startsWith('#{') || step.reviewUrl.includes('$('))) {
          add(where, `reviewUrl "${step.reviewUrl}" holds another engine's variable, which CircleCI cannot resolve: give an http(s) URL`);
        }
      } else if (!(step instanceof CommandStep)) {
        add(where, `is a "${step.kind}" step, which the CircleCI engine cannot render: use a CommandStep or an ApprovalStep`);
        continue;
      }
      if (step instanceof CommandStep && step.onFailure.strategy === FailureStrategy.MANUAL_INTERVENTION) {
        approverIssues(step.onFailure.approvers).forEach((m) => add(where, `onFailure intervention ${m}`));
      }
      if (step instanceof ScanStep) intervention(`${where} > gate`, step.gate);
    }
    intervention(`stage "${stage.name}" > stage gate`, stage.gate);
  }
  return issues;
};
