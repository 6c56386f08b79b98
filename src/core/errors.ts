/**
 * One problem found in a pipeline definition.
 */
export interface ValidationIssue {
  /** Path of the offending object, e.g. `stage "oast" > step "safety"`. */
  readonly path: string;
  /** What is wrong and how to fix it, lowercase. */
  readonly message: string;
}

/**
 * The error a pipeline definition with problems throws: its message lists every issue.
 * @internal
 */
export function pipelineValidationError(pipelineName: string, issues: ValidationIssue[]): Error {
  const err = new Error(
    `pipeline "${pipelineName}" is invalid (${issues.length} issue${issues.length === 1 ? '' : 's'}):\n` +
      issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n'),
  );
  err.name = 'PipelineValidationError';
  (err as Error & { issues: ValidationIssue[] }).issues = issues;
  return err;
}
