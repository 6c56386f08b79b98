import { Pipeline, ValidationIssue } from '../../core';

/** One rule of what CircleCI can express: the issues it finds in a pipeline, each with its fix. */
export type CircleCiModelRule = (pipeline: Pipeline) => ValidationIssue[];

/** Collects issues: `add(path, message)`. */
export function collector(): { issues: ValidationIssue[]; add: (path: string, message: string) => void } {
  const issues: ValidationIssue[] = [];
  return { issues, add: (path, message) => issues.push({ path, message }) };
}

/** `stage "<stage>" > step "<step>"`. */
export function stepPath(stageName: string, stepName: string): string {
  return `stage "${stageName}" > step "${stepName}"`;
}

/** Names CircleCI accepts for a job (its config schema's pattern). */
export const JOB_NAME = /^[A-Za-z][A-Za-z\s\d_-]*$/;
/** Context names gatehouse writes: letters, digits, `.`, `_` and `-`, starting with a letter or digit. */
export const CONTEXT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;
/** Environment variable names (a context's variables included). */
export const ENV_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** `<< … >>`: CircleCI 2.1 reads it as a parameter or pipeline value in any string of the config. */
export const CONFIG_PARAMETER = /<<[^>]*>>/;
