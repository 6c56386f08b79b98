import { approvalsRule } from './approvals';
import { commandStepsRule } from './command-steps';
import { gateIsolationRule, gateTrustRule, trustSizeRule } from './gate-inputs';
import { interventionsRule } from './interventions';
import { manualStartersRule } from './manual-starters';
import { sourceRule } from './source';
import { stageGatesRule } from './stage-gates';
import { taskNamesRule } from './task-names';
import { triggersRule } from './triggers';
import { TektonModelRule } from './types';
import { Pipeline, pipelineValidationError, ValidationIssue } from '../../core';

/** What Tekton cannot express, one rule each, in the order issues are listed (after the model's own). */
export const TEKTON_MODEL_RULES: TektonModelRule[] = [
  sourceRule,
  taskNamesRule,
  stageGatesRule,
  interventionsRule,
  commandStepsRule,
  approvalsRule,
  gateIsolationRule,
  gateTrustRule,
  trustSizeRule,
  triggersRule,
  manualStartersRule,
];

/** Every issue of the pipeline on Tekton: the model's rules (names included), then Tekton's limits. */
export function tektonIssues(pipeline: Pipeline): ValidationIssue[] {
  return [...pipeline.validate(), ...TEKTON_MODEL_RULES.flatMap((rule) => rule(pipeline))];
}

/** Throws one error listing every issue, if any. */
export function assertTektonRenderable(pipeline: Pipeline): void {
  const issues = tektonIssues(pipeline);
  if (issues.length > 0) throw pipelineValidationError(pipeline.name, issues, 'Tekton');
}
