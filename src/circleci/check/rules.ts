import { alwaysRule } from './always';
import { approversRule } from './approvers';
import { commandStepsRule } from './command-steps';
import { gateTrustRule, stageGatesRule } from './gates';
import { jobNamesRule } from './job-names';
import { manualStartersRule } from './manual-starters';
import { sourceRule } from './source';
import { triggersRule } from './triggers';
import { CircleCiModelRule } from './types';
import { Pipeline, pipelineValidationError, ValidationIssue } from '../../core';

/** What CircleCI cannot express, one rule each, in the order issues are listed (after the model's own). */
export const CIRCLECI_MODEL_RULES: CircleCiModelRule[] = [
  sourceRule,
  triggersRule,
  jobNamesRule,
  stageGatesRule,
  approversRule,
  commandStepsRule,
  gateTrustRule,
  alwaysRule,
  manualStartersRule,
];

/** Every issue of the pipeline on CircleCI: the model's rules (names included), then CircleCI's limits. */
export function circleCiIssues(pipeline: Pipeline): ValidationIssue[] {
  return [...pipeline.validate(), ...CIRCLECI_MODEL_RULES.flatMap((rule) => rule(pipeline))];
}

/** Throws one error listing every issue, if any. */
export function assertCircleCiRenderable(pipeline: Pipeline): void {
  const issues = circleCiIssues(pipeline);
  if (issues.length > 0) throw pipelineValidationError(pipeline.name, issues, 'CircleCI');
}
