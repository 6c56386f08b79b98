import type { ValidationIssue } from '../errors';
import type { Pipeline } from '../pipeline';

/** One rule of the model: the issues of a pipeline, every engine alike; empty when it passes. */
export type ModelRule = (pipeline: Pipeline) => ValidationIssue[];

/** Collects issues: `add(path, message)`. */
export function collector(): { issues: ValidationIssue[]; add: (path: string, message: string) => void } {
  const issues: ValidationIssue[] = [];
  return { issues, add: (path, message) => issues.push({ path, message }) };
}

/** `stage "<name>"`. */
export function stagePath(stageName: string): string {
  return `stage "${stageName}"`;
}

/** `stage "<stage>" > step "<step>"`. */
export function stepPath(stageName: string, stepName: string): string {
  return `stage "${stageName}" > step "${stepName}"`;
}
