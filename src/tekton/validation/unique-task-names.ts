import { objectLabel, TektonIssue, TektonRule } from './types';
import { pipelineSpecs, pipelineTasksOf } from './walk';

/** No two pipeline tasks share a name, across `tasks` and `finally` (admission webhook). */
export const uniqueTaskNamesRule: TektonRule = {
  id: 'unique-task-names',
  description: 'pipeline task names are unique across tasks and finally',
  check(ctx) {
    const issues: TektonIssue[] = [];
    for (const p of pipelineSpecs(ctx)) {
      const seen = new Map<string, string>();
      for (const t of pipelineTasksOf(p)) {
        const name = t.task.name;
        if (typeof name !== 'string') continue;
        const first = seen.get(name);
        if (first) {
          issues.push({ object: objectLabel(t.manifest), field: `${t.field}.name`, message: `task name "${name}" is already used by ${first}: give every task its own name` });
        } else {
          seen.set(name, t.field);
        }
      }
    }
    return issues;
  },
};
