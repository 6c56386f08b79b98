import { CfnResource, Stack, Token, aws_iam as iam } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { AuditLogGroup } from './log-group';
import { apiCallsPattern, stateChangePattern } from './patterns';
import { eventRule } from '../event-rule';

/** An EventBridge event bus ARN. */
const BUS_ARN = /^arn:[^:]+:events:[a-z0-9-]+:\d{12}:event-bus\/[A-Za-z0-9._\-/]+$/;

/** Why `arn` cannot be the central audit bus, if it cannot. */
export function auditBusProblem(arn: string | undefined): string | undefined {
  if (arn === undefined || Token.isUnresolved(arn) || BUS_ARN.test(arn)) return undefined;
  return `auditEventBusArn "${arn}" is not an EventBridge event bus ARN: give arn:aws:events:<region>:<account>:event-bus/<name> (its policy must let this account put events)`;
}

/** What the trail built: its rules (the alerts forward through the same central bus role). */
export interface Trail {
  readonly rules: CfnResource[];
  /** The role that may put events on the central bus only, when there is one. */
  readonly busRole?: iam.Role;
}

/**
 * The audit trail of one pipeline: EventBridge rules sending its execution, stage and action
 * state changes (approvals included) and the CloudTrail records of the API calls on it (who
 * started, stopped, retried, approved, changed it) to the audit log group; a CloudWatch Logs
 * resource policy letting EventBridge write there for these rules only (the native
 * `AWS::Logs::ResourcePolicy`: aws-cdk-lib's `targets.CloudWatchLogGroup` would put one through a
 * custom-resource Lambda); and, with `busArn`, the same events forwarded to a central bus by a
 * role that may put events on that bus and nowhere else.
 */
export function renderTrail(scope: Construct, pipelineName: string, group: AuditLogGroup, busArn: string | undefined): Trail {
  const busRole = busArn ? centralBusRole(scope, pipelineName, busArn) : undefined;
  const rule = (id: string, description: string, eventPattern: object) =>
    eventRule(scope, id, {
      description: `gatehouse ${pipelineName}: ${description}`,
      eventPattern,
      targets: [
        { id: 'audit-log', arn: group.arn },
        ...(busArn && busRole ? [{ id: 'central-bus', arn: busArn, roleArn: busRole.roleArn }] : []),
      ],
    });
  const rules = [
    rule('StateChanges', 'execution, stage and action state changes into the audit log', stateChangePattern(pipelineName)),
    rule('ApiCalls', 'API calls on the pipeline (CloudTrail) into the audit log', apiCallsPattern(pipelineName)),
  ];
  const stack = Stack.of(scope);
  // the plain resource: aws-cdk-lib's CloudWatch Logs module is 200 KB of generated code to load
  new CfnResource(scope, 'AuditLogsPolicy', {
    type: 'AWS::Logs::ResourcePolicy',
    properties: {
      PolicyDocument: stack.toJsonString({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'EventBridgeRulesOfThisPipeline',
            Effect: 'Allow',
            Principal: { Service: ['events.amazonaws.com', 'delivery.logs.amazonaws.com'] },
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: group.streamsArn,
            Condition: { ArnEquals: { 'aws:SourceArn': rules.map((r) => r.getAtt('Arn').toString()) } },
          },
        ],
      }),
      PolicyName: `gatehouse-${pipelineName}-audit`,
    },
  });
  return { rules, busRole };
}

/** The role EventBridge forwards with: `events:PutEvents` on the central bus, nothing else. */
function centralBusRole(scope: Construct, pipelineName: string, busArn: string): iam.Role {
  return new iam.Role(scope, 'CentralBusRole', {
    assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
    description: `gatehouse ${pipelineName}: forwards the audit trail to the central event bus`,
    inlinePolicies: {
      forward: new iam.PolicyDocument({
        statements: [new iam.PolicyStatement({ sid: 'PutEventsOnCentralBus', actions: ['events:PutEvents'], resources: [busArn] })],
      }),
    },
  });
}
