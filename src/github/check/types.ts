import { Pipeline, ValidationIssue } from '../../core';

/** One rule of what GitHub Actions can express: the issues it finds in a pipeline, each with its fix. */
export type GitHubModelRule = (pipeline: Pipeline) => ValidationIssue[];

/** Collects issues: `add(path, message)`. */
export function collector(): { issues: ValidationIssue[]; add: (path: string, message: string) => void } {
  const issues: ValidationIssue[] = [];
  return { issues, add: (path, message) => issues.push({ path, message }) };
}

/** `stage "<stage>" > step "<step>"`. */
export function stepPath(stageName: string, stepName: string): string {
  return `stage "${stageName}" > step "${stepName}"`;
}
