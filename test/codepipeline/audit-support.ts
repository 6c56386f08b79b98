import { Template } from 'aws-cdk-lib/assertions';
import { cmd, pipeline, render } from './helpers';
import { CodePipelineEngineProps } from '../../src/codepipeline';
import { ApprovalStep, Approver, Pipeline, PipelineProps, Stage, StageKind, Trigger } from '../../src/core';

/** The account, region and pipeline name of the AWS documentation's sample events (test/fixtures/eventbridge). */
export const DOC_ACCOUNT = '123456789012';
export const DOC_REGION = 'us-east-1';
export const DOC_PIPELINE = 'myPipeline';

/**
 * A pipeline whose runs `role release-managers` and `user bob` may start by hand, with the
 * approval `approve/release` answered by `user alice` or `role release-approvers`.
 */
export function auditedPipeline(props: Partial<PipelineProps> = {}, approvers: Approver[] = [Approver.user('alice'), Approver.role('release-approvers')]): Pipeline {
  return pipeline(
    [
      Stage.buildStage('build', { steps: [cmd('compile')] }),
      new Stage({ name: 'approve', kind: StageKind.APPROVAL, requires: ['build'], steps: [new ApprovalStep({ name: 'release', approvers })] }),
    ],
    { triggers: [Trigger.push(), Trigger.manual({ startedBy: [Approver.role('release-managers'), Approver.user('bob')] })], ...props },
  );
}

/** The pipeline rendered as `myPipeline` in the documentation's account and region. */
export function renderAudited(p: Pipeline = auditedPipeline(), props: Partial<CodePipelineEngineProps> = {}) {
  return render(p, { pipelineName: DOC_PIPELINE, ...props }, { account: DOC_ACCOUNT, region: DOC_REGION });
}

/** The EventBridge rule whose description ends with `suffix`: its properties. */
export function ruleOf(template: Template, suffix: string): any {
  const rules = Object.values(template.findResources('AWS::Events::Rule')).filter((r: any) => String(r.Properties.Description).endsWith(suffix));
  if (rules.length !== 1) throw new Error(`expected one rule "...${suffix}", found ${rules.length}`);
  return (rules[0] as any).Properties;
}

/** Replaces `{ Ref: X }` by `refs[X]` (a role's name, say) so that a pattern is plain JSON. */
export function resolveRefs(value: any, refs: Record<string, string>): any {
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, refs));
  if (value && typeof value === 'object') {
    if (Object.keys(value).length === 1 && typeof value.Ref === 'string') {
      if (!(value.Ref in refs)) throw new Error(`pattern holds an unresolved reference ${value.Ref}`);
      return refs[value.Ref];
    }
    if (Object.keys(value).some((k) => k.startsWith('Fn::'))) throw new Error(`pattern holds an unresolved ${JSON.stringify(value)}`);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveRefs(v, refs)]));
  }
  return value;
}

/** The rule descriptions' endings. */
export const RULES = {
  stateChanges: 'execution, stage and action state changes into the audit log',
  apiCalls: 'API calls on the pipeline (CloudTrail) into the audit log',
  startedByOther: 'alert: a run started by hand by someone not allowed to',
  approvedByOther: 'alert: approval approve/release answered by someone not among its approvers',
  changedOutside: 'alert: the pipeline changed or deleted outside CloudFormation',
};
