import { Construct } from 'constructs';
import { Pipeline, PipelineGraph, ValidationIssue } from '../../core';
import { CdkStageDeployment } from '../cdk-stage-deployment';

/** Shortest and longest CodeBuild timeout, in minutes. */
export const MIN_CODEBUILD_MINUTES = 5;
export const MAX_CODEBUILD_MINUTES = 2160;
/** CodeBuild action limits in CodePipeline. */
export const MAX_ACTION_INPUTS = 5;
export const MAX_ACTION_OUTPUTS = 5;
/** Report groups one buildspec may name. */
export const MAX_REPORT_GROUPS = 5;
/**
 * Base64 characters of inline trust content one gate may hold: its buildspec (11,000 to 13,500
 * characters without them, more with long names and many options) must stay within CodeBuild's
 * 25,600 for an inline buildspec.
 */
export const MAX_INLINE_TRUST_BASE64 = 10_000;

/** What the CodePipeline rules read: the model and the engine's props. */
export interface CheckContext {
  readonly model: Pipeline;
  /** Where the engine is (or would be) created: its stack's account, the CDK stages around it. */
  readonly scope: Construct;
  readonly connectionArn?: string;
  readonly cdkDeployments: CdkStageDeployment[];
  /** Name of the CodePipeline pipeline. */
  readonly pipelineName: string;
  /** The model's graph, when the model passed its own rules (rules over the layout need it). */
  readonly graph?: PipelineGraph;
}

/** One CodePipeline rule: the issues it finds, each naming the object and the fix. */
export type CodePipelineRule = (ctx: CheckContext) => ValidationIssue[];

/** Collects issues: `add(path, message)`. */
export function collector(): { issues: ValidationIssue[]; add: (path: string, message: string) => void } {
  const issues: ValidationIssue[] = [];
  return { issues, add: (path, message) => issues.push({ path, message }) };
}

/** `stage "<stage>" > step "<step>"`. */
export function stepPath(stageName: string, stepName: string): string {
  return `stage "${stageName}" > step "${stepName}"`;
}
