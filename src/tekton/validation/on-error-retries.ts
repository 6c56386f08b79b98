import { objectLabel, TektonIssue, TektonRule } from './types';
import { pipelineTasks } from './walk';

/** A pipeline task cannot both continue on error and retry (admission webhook). */
export const onErrorRetriesRule: TektonRule = {
  id: 'on-error-retries',
  description: 'a pipeline task with onError continue has no retries',
  check(ctx) {
    const issues: TektonIssue[] = [];
    for (const t of pipelineTasks(ctx)) {
      if (t.task.onError === 'continue' && typeof t.task.retries === 'number' && t.task.retries > 0) {
        issues.push({ object: objectLabel(t.manifest), field: `${t.field}.retries`, message: `task "${t.task.name}" has onError "continue" and retries: Tekton never retries a task whose failure is ignored, drop one` });
      }
    }
    return issues;
  },
};
