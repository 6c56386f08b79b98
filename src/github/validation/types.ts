/** A workflow as written to YAML. */
export type Workflow = Record<string, any>;

/** One problem found in a rendered workflow. */
export interface WorkflowIssue {
  /** Path of the field, e.g. `jobs.oast-bandit.needs[0]`. */
  readonly field: string;
  /** What is wrong and how to fix it, lowercase. */
  readonly message: string;
}

/** One validation rule: the JSON Schema, or a rule of GitHub's that no schema states. */
export interface WorkflowRule {
  /** Short kebab-case id, shown with each issue. */
  readonly id: string;
  /** What the rule checks. */
  readonly description: string;
  /** The issues of the workflow; empty when it passes. */
  check(workflow: Workflow): WorkflowIssue[];
}

/** The jobs of a workflow as `[id, job]` pairs (none when `jobs` is not an object). */
export function jobsOf(workflow: Workflow): Array<[string, Record<string, any>]> {
  const jobs = workflow?.jobs;
  if (!jobs || typeof jobs !== 'object' || Array.isArray(jobs)) return [];
  return Object.entries(jobs).filter(([, j]) => j && typeof j === 'object') as Array<[string, Record<string, any>]>;
}

/** A job's `needs` as a list (GitHub takes a string or a list). */
export function needsOf(job: Record<string, any>): string[] {
  const n = job.needs;
  if (typeof n === 'string') return [n];
  return Array.isArray(n) ? n.filter((x): x is string => typeof x === 'string') : [];
}

/** The steps of a job (none when it has none). */
export function stepsOf(job: Record<string, any>): Array<Record<string, any>> {
  return Array.isArray(job.steps) ? job.steps.filter((s: unknown) => s && typeof s === 'object') : [];
}
