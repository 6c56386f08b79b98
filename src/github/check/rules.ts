import { approvalsRule, interventionsRule } from './approvals';
import { commandStepsRule } from './command-steps';
import { gateTrustRule, stageGateInputsRule } from './gate-inputs';
import { jobIdsRule } from './job-ids';
import { manualStartersRule } from './manual-starters';
import { sourceRule } from './source';
import { triggersRule } from './triggers';
import { GitHubModelRule } from './types';
import { Pipeline, pipelineValidationError, ValidationIssue } from '../../core';

/** What GitHub Actions cannot express, one rule each, in the order issues are listed (after the model's own). */
export const GITHUB_MODEL_RULES: GitHubModelRule[] = [
  sourceRule,
  triggersRule,
  jobIdsRule,
  commandStepsRule,
  approvalsRule,
  interventionsRule,
  gateTrustRule,
  stageGateInputsRule,
  manualStartersRule,
];

/** Every issue of the pipeline on GitHub Actions: the model's rules (names included), then GitHub's limits. */
export function gitHubIssues(pipeline: Pipeline): ValidationIssue[] {
  return [...pipeline.validate(), ...GITHUB_MODEL_RULES.flatMap((rule) => rule(pipeline))];
}

/** Throws one error listing every issue, if any. */
export function assertGitHubRenderable(pipeline: Pipeline): void {
  const issues = gitHubIssues(pipeline);
  if (issues.length > 0) throw pipelineValidationError(pipeline.name, issues, 'GitHub Actions');
}
