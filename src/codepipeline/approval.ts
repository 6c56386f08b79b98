import { Arn, ArnFormat, Duration, Stack, Token, aws_codepipeline as cp, aws_codepipeline_actions as actions, aws_iam as iam, aws_kms as kms, aws_sns as sns } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ApprovalStep, Approver, ApproverKind, Stage } from '../core';

/** Shortest wait CodePipeline accepts for a manual approval, in minutes. */
export const MIN_APPROVAL_MINUTES = 5;

/** What the engine needs to wire an approval. */
export interface ApprovalWiring {
  readonly action: actions.ManualApprovalAction;
  /** Topic the pipeline role must be able to publish to, if any. */
  readonly topic?: sns.ITopic;
}

/** Builds the ManualApprovalAction of an approval step (and its encrypted topic when it emails). */
export function approvalAction(
  scope: Construct,
  stage: Stage,
  step: ApprovalStep,
  name: string,
  runOrder: number,
  key: kms.IKey,
  fallbackTopic: sns.ITopic | undefined,
): ApprovalWiring {
  let topic: sns.ITopic | undefined;
  if (step.notifyTopic) {
    topic = sns.Topic.fromTopicArn(scope, 'Topic', step.notifyTopic);
  } else if (step.notifyEmails.length > 0) {
    topic = new sns.Topic(scope, 'Topic', {
      displayName: `Approval needed: ${stage.name}`,
      masterKey: key,
      enforceSSL: true,
    });
  } else {
    topic = fallbackTopic;
  }
  const action = new actions.ManualApprovalAction({
    actionName: name,
    runOrder,
    notificationTopic: topic,
    notifyEmails: step.notifyEmails.length > 0 ? step.notifyEmails : undefined,
    additionalInformation: step.description ?? `Approve ${stage.name}`,
    externalEntityLink: step.reviewUrl,
    timeout: Duration.minutes(step.timeoutMinutes),
  });
  return { action, topic };
}

/**
 * Grants the named approvers, and nobody else, the right to approve or reject this one action:
 * `codepipeline:PutApprovalResult` on the action's ARN, plus read access to the pipeline's state
 * (where the approval token is) on the pipeline's ARN, plus `extraStatements` (reading the gates'
 * findings summaries, when the pipeline has gates).
 */
export function grantApprovers(
  scope: Construct,
  step: ApprovalStep,
  pipeline: cp.IPipeline,
  codePipelineStageName: string,
  name: string,
  extraStatements: iam.PolicyStatement[] = [],
): iam.Policy {
  return grantApproval(scope, step.approvers, pipeline, codePipelineStageName, name, extraStatements);
}

/** The approval policy of one action, attached to the given principals. */
export function grantApproval(
  scope: Construct,
  approvers: Approver[],
  pipeline: cp.IPipeline,
  codePipelineStageName: string,
  name: string,
  extraStatements: iam.PolicyStatement[],
): iam.Policy {
  const users: iam.IUser[] = [];
  const groups: iam.IGroup[] = [];
  const roles: iam.IRole[] = [];
  approvers.forEach((a, i) => {
    const id = `Approver${i}`;
    const arn = isArn(a.name);
    switch (a.kind) {
      case ApproverKind.USER:
        users.push(arn ? iam.User.fromUserArn(scope, id, a.name) : iam.User.fromUserName(scope, id, a.name));
        break;
      case ApproverKind.GROUP:
        // a policy attaches to a group by name, without its path
        groups.push(iam.Group.fromGroupName(scope, id, arn ? a.name.split('/').pop()! : a.name));
        break;
      case ApproverKind.ROLE:
        roles.push(arn ? iam.Role.fromRoleArn(scope, id, a.name, { mutable: true }) : iam.Role.fromRoleName(scope, id, a.name));
        break;
    }
  });
  return new iam.Policy(scope, 'Approvers', {
    users,
    groups,
    roles,
    statements: [
      new iam.PolicyStatement({
        sid: 'ApproveThisActionOnly',
        actions: ['codepipeline:PutApprovalResult'],
        resources: [`${pipeline.pipelineArn}/${codePipelineStageName}/${name}`],
      }),
      new iam.PolicyStatement({
        sid: 'ReadPipelineState',
        actions: ['codepipeline:GetPipeline', 'codepipeline:GetPipelineState', 'codepipeline:GetPipelineExecution'],
        resources: [pipeline.pipelineArn],
      }),
      ...extraStatements,
    ],
  });
}

/** Why an approval cannot be rendered on CodePipeline, if it cannot. */
export function approvalProblems(scope: Construct, step: ApprovalStep): string[] {
  const out: string[] = [];
  if (step.requiredApprovals > 1) {
    out.push(`asks for ${step.requiredApprovals} approvals, but a CodePipeline manual approval takes one: set requiredApprovals to 1 or add one approval step per approver`);
  }
  if (step.timeoutMinutes < MIN_APPROVAL_MINUTES) {
    out.push(`timeoutMinutes ${step.timeoutMinutes} is below CodePipeline's minimum of ${MIN_APPROVAL_MINUTES} minutes: use at least ${MIN_APPROVAL_MINUTES}`);
  }
  if (step.notifyTopic !== undefined && !/^arn:[^:]+:sns:[^:]*:\d{12}:[A-Za-z0-9_-]{1,256}$/.test(step.notifyTopic)) {
    out.push(`notifyTopic "${step.notifyTopic}" is not an SNS topic ARN: give arn:aws:sns:<region>:<account>:<topic>`);
  }
  const account = Stack.of(scope).account;
  for (const a of step.approvers) {
    const problem = approverProblem(a, account);
    if (problem) out.push(problem);
  }
  return out;
}

/** Why an approver cannot be granted on CodePipeline, if it cannot (the account is checked when known). */
export function approverProblem(a: Approver, stackAccount?: string): string | undefined {
  const kind = a.kind.toLowerCase();
  if (!isArn(a.name)) {
    return /^[\w+=,.@-]{1,128}$/.test(a.name)
      ? undefined
      : `approver ${kind} "${a.name}" is not a valid IAM ${kind} name: use letters, digits and +=,.@_-`;
  }
  let parsed;
  try {
    parsed = Arn.split(a.name, ArnFormat.SLASH_RESOURCE_NAME);
  } catch {
    parsed = undefined;
  }
  const expected = { USER: 'user', GROUP: 'group', ROLE: 'role' }[a.kind];
  if (!parsed || parsed.service !== 'iam' || parsed.resource !== expected) {
    return `approver ${kind} "${a.name}" is not an IAM ${kind} ARN: give arn:aws:iam::<account>:${expected}/<name>, or just the name`;
  }
  if (stackAccount !== undefined && !Token.isUnresolved(stackAccount) && parsed.account && parsed.account !== stackAccount) {
    return `approver ${kind} "${a.name}" is in account ${parsed.account}, not the pipeline's account ${stackAccount}: the engine can only attach the approval policy in the pipeline's account; grant codepipeline:PutApprovalResult in that account instead`;
  }
  return undefined;
}

function isArn(name: string): boolean {
  return name.startsWith('arn:');
}
