import { CfnResource } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** One target of an EventBridge rule. */
export interface RuleTarget {
  readonly id: string;
  readonly arn: string;
  /** The role EventBridge assumes to reach the target. @default none */
  readonly roleArn?: string;
  /** What the target receives instead of the event. @default the event */
  readonly inputTransformer?: { readonly inputPathsMap: Record<string, string>; readonly inputTemplate: string };
}

/** An enabled EventBridge rule. */
export interface EventRuleProps {
  readonly description: string;
  readonly eventPattern: object;
  readonly targets: RuleTarget[];
}

/**
 * An enabled EventBridge rule on the default bus, as the plain `AWS::Events::Rule` resource
 * (the properties `events.CfnRule` would write): that class's module is 150 KB of generated code
 * to load for three properties. Its ARN: `rule.getAtt('Arn')`.
 */
export function eventRule(scope: Construct, id: string, p: EventRuleProps): CfnResource {
  return new CfnResource(scope, id, {
    type: 'AWS::Events::Rule',
    properties: {
      Description: p.description,
      EventPattern: p.eventPattern,
      State: 'ENABLED',
      Targets: p.targets.map((t) => ({
        Arn: t.arn,
        Id: t.id,
        InputTransformer: t.inputTransformer
          ? { InputPathsMap: t.inputTransformer.inputPathsMap, InputTemplate: t.inputTransformer.inputTemplate }
          : undefined,
        RoleArn: t.roleArn,
      })),
    },
  });
}
