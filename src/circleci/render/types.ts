/** A job downstream jobs wait for, and the statuses of it that let them run (none: success only). */
export interface JobExit {
  readonly job: string;
  readonly statuses?: string[];
}

/** One entry of the workflow's `jobs` list, before it is written. */
export interface WorkflowJob {
  readonly name: string;
  readonly requires: JobExit[];
  /** `approval` for a hold (not defined under `jobs`). */
  readonly type?: 'approval';
  /** Contexts: the secrets' (env var names only) or, on a hold, the restricted context of its approvers. */
  readonly context?: string[];
  /** Written above the entry as a YAML comment (what an approver should know, what CircleCI does not enforce). */
  readonly comment?: string;
}

/** A job definition under `jobs` (plain JSON, as written). */
export type JobDefinition = Record<string, any>;

/** A `run` step. */
export function runStep(name: string, command: string, options: { shell?: string; when?: 'always'; noOutputTimeout?: string; environment?: Record<string, string> } = {}): Record<string, any> {
  return {
    run: {
      name,
      ...(options.shell ? { shell: options.shell } : {}),
      ...(options.environment && Object.keys(options.environment).length > 0 ? { environment: options.environment } : {}),
      ...(options.noOutputTimeout ? { no_output_timeout: options.noOutputTimeout } : {}),
      ...(options.when ? { when: options.when } : {}),
      command,
    },
  };
}

/** The requirement as CircleCI writes it: `job`, or `{ job: status }` / `{ job: [statuses] }`. */
export function requirementOf(exit: JobExit): string | Record<string, string | string[]> {
  if (!exit.statuses) return exit.job;
  return { [exit.job]: exit.statuses.length === 1 ? exit.statuses[0] : [...exit.statuses] };
}

/** Exits with duplicates (same job) removed, first kept. */
export function uniqueExits(exits: JobExit[]): JobExit[] {
  const seen = new Set<string>();
  return exits.filter((e) => (seen.has(e.job) ? false : (seen.add(e.job), true)));
}
