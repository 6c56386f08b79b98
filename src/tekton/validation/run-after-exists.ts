import { objectLabel, TektonIssue, TektonRule } from './types';
import { pipelineSpecs, pipelineTasksOf } from './walk';

/** `runAfter` names tasks of the same pipeline's `tasks`, never itself (admission webhook). */
export const runAfterExistsRule: TektonRule = {
  id: 'run-after-exists',
  description: 'runAfter names existing tasks of the pipeline, other than the task itself',
  check(ctx) {
    const issues: TektonIssue[] = [];
    for (const p of pipelineSpecs(ctx)) {
      const all = pipelineTasksOf(p);
      const names = new Set(all.filter((t) => !t.isFinally).map((t) => t.task.name));
      for (const t of all) {
        if (t.isFinally || !Array.isArray(t.task.runAfter)) continue;
        t.task.runAfter.forEach((dep: unknown, i: number) => {
          const field = `${t.field}.runAfter[${i}]`;
          if (dep === t.task.name) {
            issues.push({ object: objectLabel(t.manifest), field, message: `task "${t.task.name}" runs after itself: remove it` });
          } else if (typeof dep !== 'string' || !names.has(dep)) {
            issues.push({ object: objectLabel(t.manifest), field, message: `runs after unknown task "${String(dep)}": name a task of ${p.field}.tasks` });
          }
        });
      }
    }
    return issues;
  },
};
