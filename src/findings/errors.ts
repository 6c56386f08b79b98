/**
 * Errors of the findings engine besides `ReportError` (bad report input, in types.ts).
 * The CLI maps each to an exit code: `ReportError` and `UsageError` exit 2; `InternalError` exits 2
 * too, so that a defect in gatehouse never lets a gate pass.
 */

/** Bad command-line usage or option value (exit 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A defect in gatehouse itself, e.g. two parsers claiming one document (exit 2, fail closed). */
export class InternalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InternalError';
  }
}
