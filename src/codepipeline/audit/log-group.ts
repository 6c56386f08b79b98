import { ArnFormat, CfnResource, RemovalPolicy, Stack, aws_kms as kms } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** The pipeline's audit log group: where the trail's events and the gates' own events land. */
export interface AuditLogGroup {
  readonly resource: CfnResource;
  /** `/aws/events/gatehouse/<pipeline>`. */
  readonly name: string;
  /** `arn:…:log-group:<name>` (an EventBridge target). */
  readonly arn: string;
  /** `arn:…:log-group:<name>:*` (its streams: what IAM and resource policies grant on). */
  readonly streamsArn: string;
}

/** Name of a pipeline's audit log group (under `/aws/events/`, where EventBridge rules log). */
export function auditLogGroupName(pipelineName: string): string {
  return `/aws/events/gatehouse/${pipelineName}`;
}

/**
 * The audit log group, encrypted with the pipeline's key (whose policy lets CloudWatch Logs use it
 * for this account's log groups) and kept `retentionDays`.
 */
export function createAuditLogGroup(
  scope: Construct,
  pipelineName: string,
  key: kms.IKey,
  retentionDays: number,
  removalPolicy: RemovalPolicy,
): AuditLogGroup {
  const name = auditLogGroupName(pipelineName);
  const resource = new CfnResource(scope, 'AuditLogs', {
    type: 'AWS::Logs::LogGroup',
    properties: { LogGroupName: name, KmsKeyId: key.keyArn, RetentionInDays: retentionDays },
  });
  resource.applyRemovalPolicy(removalPolicy);
  const arn = Stack.of(scope).formatArn({ service: 'logs', resource: 'log-group', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  // the dependency on the group travels with its Arn attribute
  return { resource, name, arn, streamsArn: resource.getAtt('Arn').toString() };
}
