/**
 * One problem found in a pipeline definition, by the model's rules or by an engine's limits.
 */
export interface ValidationIssue {
  /** Path of the offending object, e.g. `stage "oast" > step "safety"`. */
  readonly path: string;
  /** What is wrong and how to fix it, lowercase. */
  readonly message: string;
}

/** The `name` of every error listing a pipeline's issues: read its `issues` for the list. */
export const PIPELINE_VALIDATION_ERROR = 'PipelineValidationError';

/** What a PipelineValidationError carries besides its message. */
export interface PipelineValidationErrorFields {
  /** Every issue found, in the order the message lists them. */
  readonly issues: ValidationIssue[];
  /** The engine that refused the pipeline (e.g. `CodePipeline`), or undefined for the model's own rules. */
  readonly engine?: string;
}

/**
 * The error a pipeline definition with problems throws: its message lists every issue, its
 * `issues` holds them (the same list an engine's `check` returns).
 * @internal
 */
export function pipelineValidationError(pipelineName: string, issues: ValidationIssue[], engine?: string): Error {
  const count = `${issues.length} issue${issues.length === 1 ? '' : 's'}`;
  const head = engine ? `pipeline "${pipelineName}" cannot be rendered on ${engine} (${count})` : `pipeline "${pipelineName}" is invalid (${count})`;
  const err = new Error(`${head}:\n` + issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n'));
  err.name = PIPELINE_VALIDATION_ERROR;
  Object.assign(err, { issues, engine } satisfies PipelineValidationErrorFields);
  return err;
}

/**
 * The issues a PipelineValidationError carries, or undefined for any other error.
 * @internal
 */
export function validationIssuesOf(err: unknown): ValidationIssue[] | undefined {
  if (err instanceof Error && err.name === PIPELINE_VALIDATION_ERROR) {
    return (err as Error & PipelineValidationErrorFields).issues;
  }
  return undefined;
}
