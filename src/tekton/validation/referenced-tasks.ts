import { KNOWN_CUSTOM_TASKS, referencedTask } from './task-interface';
import { objectLabel, TektonIssue, TektonRule } from './types';
import { isObject, pipelineTasks } from './walk';

/**
 * A `taskRef` names a Task emitted beside the Pipeline, or a custom task gatehouse knows; what
 * cannot be checked at synth (resolvers, ClusterTasks, unknown custom tasks) is an error — the
 * admission webhook leaves all of these to run time.
 */
export const referencedTasksRule: TektonRule = {
  id: 'referenced-tasks',
  description: 'taskRefs name emitted Tasks or known custom tasks',
  check(ctx) {
    const issues: TektonIssue[] = [];
    for (const t of pipelineTasks(ctx)) {
      const ref = t.task.taskRef;
      if (!isObject(ref)) continue;
      const issue = (message: string) => issues.push({ object: objectLabel(t.manifest), field: `${t.field}.taskRef`, message });
      if (ref.resolver !== undefined) {
        issue(`task "${t.task.name}" uses resolver "${ref.resolver}", which cannot be checked at synth: embed the task (taskSpec) or emit the Task`);
      } else if (ref.apiVersion !== undefined || (ref.kind !== undefined && ref.kind !== 'Task')) {
        if (ref.kind === 'ClusterTask') {
          issue(`task "${t.task.name}" references a ClusterTask, which tekton.dev/v1 removed: use a Task`);
        } else if (!KNOWN_CUSTOM_TASKS[`${ref.apiVersion}/${ref.kind}`]) {
          issue(`task "${t.task.name}" references custom task ${ref.apiVersion} ${ref.kind}, which gatehouse does not know: use a Task or the ApprovalTask`);
        }
      } else if (!referencedTask(ctx, t)) {
        issue(`task "${t.task.name}" references Task "${ref.name}", which is not emitted in namespace "${t.manifest.metadata?.namespace ?? 'default'}": emit it or embed its spec`);
      }
    }
    return issues;
  },
};
