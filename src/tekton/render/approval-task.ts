import { PlannedTask } from './dag';
import { goDuration } from './durations';
import { ApprovalStep, Approver, ApproverKind } from '../../core';
import * as tk from '../imports/tekton.dev';

/** API version of the openshift-pipelines manual-approval-gate custom task. */
export const APPROVAL_API_VERSION = 'openshift-pipelines.org/v1alpha1';
/** Kind of the manual-approval-gate custom task. */
export const APPROVAL_KIND = 'ApprovalTask';
/** Params the ApprovalTask reads (`approvers` is an array, the others strings). */
export const APPROVAL_PARAMS = ['approvers', 'numberOfApprovalsRequired', 'description', 'timeout'];

/** How the ApprovalTask names an approver: a user as is, a group as `group:<name>` (roles are refused before rendering). */
export function approvalTaskApprover(a: Approver): string {
  return a.kind === ApproverKind.GROUP ? `group:${a.name}` : a.name;
}

/**
 * Why the ApprovalTask cannot express an approver, if it cannot: it knows Kubernetes users and
 * groups only, and reads any name starting with `group:` as a group.
 */
export function approverIssue(a: Approver): string | undefined {
  if (a.kind === ApproverKind.ROLE) {
    return `approver role "${a.name}" has no Tekton equivalent: use Approver.user or Approver.group (Kubernetes users and groups)`;
  }
  if (a.kind === ApproverKind.USER && a.name.startsWith('group:')) {
    return `approver user "${a.name}" would be read as a group by the ApprovalTask: use Approver.group("${a.name.slice('group:'.length)}") for the group, or the user's own name`;
  }
  return undefined;
}

/**
 * The pipeline task of an approval: the manual-approval-gate custom task. Users are named as they
 * are, groups as `group:<name>`; any reject or the timeout fails the run.
 */
export function approvalPipelineTask(planned: PlannedTask, step: ApprovalStep): tk.PipelineSpecTasks {
  const approvers = step.approvers.map(approvalTaskApprover);
  const base = step.description ?? `Approve ${planned.stage.name}`;
  const description = step.reviewUrl ? `${base} (review: ${step.reviewUrl})` : base;
  const timeout = goDuration(step.timeoutMinutes);
  return {
    name: planned.name,
    runAfter: planned.runAfter,
    timeout,
    taskRef: { apiVersion: APPROVAL_API_VERSION, kind: APPROVAL_KIND },
    params: [
      { name: 'approvers', value: approvers },
      { name: 'numberOfApprovalsRequired', value: String(step.requiredApprovals) },
      { name: 'description', value: description },
      { name: 'timeout', value: timeout },
    ],
  };
}
