import { Stack, aws_codepipeline as cp, aws_iam as iam, aws_kms as kms } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { AlertTopic } from './alert-topic';
import { renderAlerts, WatchedApproval } from './alerts';
import { AuditLogGroup } from './log-group';
import { renderTrail } from './trail';
import { ApprovalStep, manualStartersOf, Pipeline } from '../../core';

export { auditBusProblem } from './trail';
export { createAuditLogGroup } from './log-group';
export type { AuditLogGroup } from './log-group';
export { manualStartersRule } from './checks';

/** What the engine hands the audit, once the pipeline is rendered. */
export interface AuditOptions {
  readonly model: Pipeline;
  readonly pipelineName: string;
  readonly key: kms.IKey;
  readonly group: AuditLogGroup;
  readonly codePipeline: cp.Pipeline;
  /** Other roles the pipeline's own triggers start runs with (the schedules' role): not a person's start. */
  readonly ownStarters?: iam.IRole[];
  /** Central event bus the trail and alerts are forwarded to. */
  readonly busArn?: string;
  /** CodePipeline stage and action of a model approval step. */
  readonly approvalAction: (stageName: string, stepName: string) => { stageName: string; actionName: string };
}

/**
 * The audit trail and the alerts of a rendered pipeline (construct `Audit`): see `renderTrail`
 * and `renderAlerts`. Returns the alert topic.
 */
export function renderAudit(scope: Construct, o: AuditOptions): AlertTopic {
  const audit = new Construct(scope, 'Audit');
  const trail = renderTrail(audit, o.pipelineName, o.group, o.busArn);
  const approvals: WatchedApproval[] = o.model.stages.flatMap((stage) =>
    stage.steps
      .filter((s): s is ApprovalStep => s instanceof ApprovalStep)
      .map((s) => ({ what: `${stage.name}/${s.name}`, approvers: s.approvers, ...o.approvalAction(stage.name, s.name) })),
  );
  return renderAlerts(audit, {
    pipelineName: o.pipelineName,
    account: Stack.of(scope).account,
    key: o.key,
    manualStarters: manualStartersOf(o.model.triggers),
    triggerRoleNames: [...triggerRoles(o.codePipeline), ...(o.ownStarters ?? [])].map((r) => r.roleName),
    approvals,
    extraTargets: o.busArn && trail.busRole ? [{ id: 'central-bus', arn: o.busArn, roleArn: trail.busRole.roleArn }] : [],
  });
}

/**
 * The roles the pipeline's own triggers start runs with: the EventBridge role aws-cdk-lib creates
 * beside the pipeline for CodeCommit and S3 sources (`EventsRole`). Their StartPipelineExecution
 * calls are the pipeline's own, not a person's.
 */
function triggerRoles(pipeline: cp.Pipeline): iam.IRole[] {
  const role = pipeline.node.tryFindChild('EventsRole');
  return role instanceof iam.Role ? [role] : [];
}
