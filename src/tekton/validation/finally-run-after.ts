import { objectLabel, TektonIssue, TektonRule } from './types';
import { pipelineTasks } from './walk';

/** Finally tasks run after all tasks; they take no `runAfter` (admission webhook). */
export const finallyRunAfterRule: TektonRule = {
  id: 'finally-run-after',
  description: 'finally tasks have no runAfter',
  check(ctx) {
    const issues: TektonIssue[] = [];
    for (const t of pipelineTasks(ctx)) {
      if (t.isFinally && t.task.runAfter !== undefined) {
        issues.push({ object: objectLabel(t.manifest), field: `${t.field}.runAfter`, message: `finally task "${t.task.name}" has runAfter: finally tasks always run after every task, remove it` });
      }
    }
    return issues;
  },
};
