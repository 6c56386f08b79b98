import { approvalsRule, approvalTextRule } from './approvals';
import { cdkDeploymentsRule } from './cdk-deployments';
import { commandArtifactsRule } from './command-artifacts';
import { commandRuntimeRule } from './command-runtime';
import { CheckContext, CodePipelineRule } from './context';
import { gateInterventionsRule } from './gate-interventions';
import { gateTrustRule } from './gate-trust';
import { reviewLinksRule } from './review-links';
import { pipelineNameRule, sourceRule } from './source';
import { stageGatesRule } from './stage-gates';
import { stepKindsRule } from './step-kinds';
import { stepStrategiesRule } from './step-strategies';
import { triggersRule } from './triggers';
import { PipelineGraph, ValidationIssue } from '../../core';
import { manualStartersRule } from '../audit/checks';

/** Every CodePipeline rule, in the order issues are listed (after the model's own). */
export const CODEPIPELINE_RULES: CodePipelineRule[] = [
  sourceRule,
  pipelineNameRule,
  triggersRule,
  stepKindsRule,
  approvalsRule,
  approvalTextRule,
  commandRuntimeRule,
  commandArtifactsRule,
  gateTrustRule,
  gateInterventionsRule,
  stepStrategiesRule,
  stageGatesRule,
  cdkDeploymentsRule,
  reviewLinksRule,
  manualStartersRule,
];

/**
 * Every issue of the pipeline on CodePipeline: the model's rules (names included), then the
 * engine's limits. Rules over the layout run only when the model passes its own rules.
 */
export function codePipelineIssues(ctx: Omit<CheckContext, 'graph'>): ValidationIssue[] {
  const model = ctx.model.validate();
  // the model passed its rules: its graph, without validating it again
  const graph = model.length === 0 ? new PipelineGraph(ctx.model) : undefined;
  return [...model, ...CODEPIPELINE_RULES.flatMap((rule) => rule({ ...ctx, graph }))];
}
