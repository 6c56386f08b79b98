import { objectLabel, TektonIssue, TektonRule } from './types';
import { pipelineTasks } from './walk';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Pipeline task names are DNS-1123 labels (admission webhook). */
export const taskNamesRule: TektonRule = {
  id: 'task-names',
  description: 'every pipeline task has a name that is a DNS-1123 label of at most 63 characters',
  check(ctx) {
    const issues: TektonIssue[] = [];
    for (const t of pipelineTasks(ctx)) {
      const name = t.task.name;
      if (typeof name !== 'string' || name.length === 0) {
        issues.push({ object: objectLabel(t.manifest), field: `${t.field}.name`, message: 'pipeline task has no name: give it a DNS-1123 label' });
      } else if (name.length > 63 || !DNS_LABEL.test(name)) {
        issues.push({ object: objectLabel(t.manifest), field: `${t.field}.name`, message: `"${name}" is not a DNS-1123 label: use at most 63 lowercase letters, digits and "-"` });
      }
    }
    return issues;
  },
};
