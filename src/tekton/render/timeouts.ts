/** Minutes added to the longest path for scheduling between tasks. */
export const SCHEDULING_MARGIN_MINUTES = 10;

/** A task's worst-case run time and what it runs after. */
export interface TimedTask {
  readonly name: string;
  /** Longest time the task can take, retries included, in minutes. */
  readonly minutes: number;
  readonly runAfter: string[];
}

/**
 * The PipelineRun timeout: the longest chain of task timeouts (approval waits and retries
 * included) plus a scheduling margin, so no task is cut short by the pipeline timeout.
 */
export function pipelineTimeoutMinutes(tasks: TimedTask[]): number {
  const byName = new Map(tasks.map((t) => [t.name, t] as const));
  const finish = new Map<string, number>();
  const visiting = new Set<string>();
  const finishOf = (name: string): number => {
    const known = finish.get(name);
    if (known !== undefined) return known;
    const t = byName.get(name);
    if (!t) throw new Error(`task "${name}" is not in the pipeline`);
    if (visiting.has(name)) throw new Error(`tasks form a cycle through "${name}"`);
    visiting.add(name);
    const start = Math.max(0, ...t.runAfter.map(finishOf));
    visiting.delete(name);
    finish.set(name, start + t.minutes);
    return start + t.minutes;
  };
  return Math.max(0, ...tasks.map((t) => finishOf(t.name))) + SCHEDULING_MARGIN_MINUTES;
}
