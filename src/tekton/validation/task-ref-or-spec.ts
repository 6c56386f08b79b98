import { objectLabel, TektonIssue, TektonRule } from './types';
import { pipelineTasks } from './walk';

/** A pipeline task has exactly one of taskRef, taskSpec (admission webhook). */
export const taskRefOrSpecRule: TektonRule = {
  id: 'task-ref-or-spec',
  description: 'every pipeline task has exactly one of taskRef and taskSpec',
  check(ctx) {
    const issues: TektonIssue[] = [];
    for (const t of pipelineTasks(ctx)) {
      const has = ['taskRef', 'taskSpec', 'pipelineRef', 'pipelineSpec'].filter((k) => t.task[k] !== undefined);
      if (has.length === 0) {
        issues.push({ object: objectLabel(t.manifest), field: t.field, message: `task "${t.task.name}" has neither taskRef nor taskSpec: give one` });
      } else if (has.length > 1) {
        issues.push({ object: objectLabel(t.manifest), field: `${t.field}.${has[1]}`, message: `task "${t.task.name}" has both ${has.join(' and ')}: keep one` });
      }
    }
    return issues;
  },
};
