import { CfnResource, Stack, aws_iam as iam, aws_kms as kms } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { AlertTopic } from './alert-topic';
import { approvedByOtherPattern, changedOutsideCloudFormationPattern, startedByOtherPattern } from './patterns';
import { callerNames, CallerNames, describeCallers } from './principals';
import { Approver } from '../../core';
import { eventRule, RuleTarget } from '../event-rule';

/** One approval action the alerts watch: where it is and who may answer it. */
export interface WatchedApproval {
  /** `stage/step` of the model, for messages. */
  readonly what: string;
  readonly stageName: string;
  readonly actionName: string;
  readonly approvers: Approver[];
}

/** What the alerts watch. */
export interface AlertOptions {
  readonly pipelineName: string;
  readonly account: string;
  readonly key: kms.IKey;
  /** Who may start runs by hand; undefined: nobody is named, no alert on manual starts. */
  readonly manualStarters?: Approver[];
  /** Names of the roles the pipeline's own triggers start runs with (EventBridge rules, schedules). */
  readonly triggerRoleNames: string[];
  readonly approvals: WatchedApproval[];
  /** Extra targets of every alert rule (the central bus). */
  readonly extraTargets: RuleTarget[];
}

/** Where the caller, time and address of a CloudTrail record are. */
const CALL_PATHS = {
  caller: '$.detail.userIdentity.arn',
  time: '$.detail.eventTime',
  ip: '$.detail.sourceIPAddress',
  agent: '$.detail.userAgent',
  account: '$.account',
  region: '$.region',
};

/**
 * The alert topic (encrypted with the pipeline's key, SSL only) and the EventBridge rules that
 * publish a readable message to it when
 * - a run is started by hand by anyone but the manual starters (and the pipeline's own trigger roles);
 * - an approval is answered by anyone but its approvers (CloudTrail's PutApprovalResult: the
 *   action's state change does not say who answered); approvers that are groups cannot be told
 *   apart in CloudTrail, so their members' answers raise the alert too, saying so;
 * - the pipeline is updated or deleted by a call that did not come from CloudFormation.
 * EventBridge may publish to the topic for these rules only, and use the key for that topic only.
 */
export function renderAlerts(scope: Construct, o: AlertOptions): AlertTopic {
  // named, so that the key's policy can name it without a reference cycle (the topic uses the key)
  const topicName = `gatehouse-${o.pipelineName}-alerts`;
  const topic = new AlertTopic(scope, 'AlertTopic', {
    topicName,
    displayName: `gatehouse ${o.pipelineName}: suspicious activity`,
    masterKey: o.key,
  });
  const rules: CfnResource[] = [];
  const rule = (id: string, description: string, eventPattern: object, message: string, paths: Record<string, string>) => {
    const r = eventRule(scope, id, {
      description: `gatehouse ${o.pipelineName}: ${description}`,
      eventPattern,
      targets: [
        { id: 'alert', arn: topic.topicArn, inputTransformer: { inputPathsMap: paths, inputTemplate: JSON.stringify(message) } },
        ...o.extraTargets,
      ],
    });
    rules.push(r);
  };

  if (o.manualStarters) {
    const names = callerNames(o.manualStarters);
    rule(
      'StartedByOtherAlert',
      'alert: a run started by hand by someone not allowed to',
      startedByOtherPattern(o.pipelineName, o.account, names.users, [...names.roles, ...o.triggerRoleNames]),
      `gatehouse alert: <caller> started a run of pipeline ${o.pipelineName} by hand at <time> from <ip> (account <account>, <region>), ` +
        `and is not among those allowed to start it: ${describeCallers(names, "the pipeline's own trigger roles")}. ` +
        'Check the run in the CodePipeline console and the call in CloudTrail (StartPipelineExecution).',
      CALL_PATHS,
    );
  }
  o.approvals.forEach((a, i) => {
    const names: CallerNames = callerNames(a.approvers);
    const groups = names.groups.length > 0
      ? ` The approvers include IAM groups (${names.groups.join(', ')}), which CloudTrail does not show: if the caller is a member, this answer was allowed.`
      : '';
    rule(
      `ApprovedByOtherAlert${i === 0 ? '' : i + 1}`,
      `alert: approval ${a.what} answered by someone not among its approvers`,
      approvedByOtherPattern(o.pipelineName, a.stageName, a.actionName, o.account, names.users, names.roles),
      `gatehouse alert: <caller> answered <status> to the approval ${a.what} (${a.stageName}/${a.actionName}) of pipeline ${o.pipelineName} at <time> from <ip> ` +
        `(account <account>, <region>), and is not among its approvers: ${describeCallers(names)}.${groups} ` +
        'Check the execution in the CodePipeline console and the call in CloudTrail (PutApprovalResult).',
      { ...CALL_PATHS, status: '$.detail.requestParameters.result.status' },
    );
  });
  rule(
    'ChangedOutsideCloudFormationAlert',
    'alert: the pipeline changed or deleted outside CloudFormation',
    changedOutsideCloudFormationPattern(o.pipelineName),
    `gatehouse alert: <caller> called <call> on pipeline ${o.pipelineName} at <time> from <ip> (user agent <agent>; account <account>, <region>), ` +
      'outside CloudFormation: the running pipeline may no longer be the one its definition deploys. ' +
      'Compare it with the stack (drift detection) and deploy the definition again.',
    { ...CALL_PATHS, call: '$.detail.eventName' },
  );

  // EventBridge publishes for these rules only, and encrypts for this topic only
  topic.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AlertRulesOfThisPipeline',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: { ArnEquals: { 'aws:SourceArn': rules.map((r) => r.getAtt('Arn').toString()) } },
    }),
  );
  o.key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'EventBridgePublishesAlerts',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
      conditions: { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': Stack.of(scope).formatArn({ service: 'sns', resource: topicName }) } },
    }),
  );
  return topic;
}
