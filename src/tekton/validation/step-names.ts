import { objectLabel, TektonIssue, TektonRule } from './types';
import { isObject, taskSpecs } from './walk';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Every step has a name (the CRD requires it), a DNS-1123 label unique within its task. */
export const stepNamesRule: TektonRule = {
  id: 'step-names',
  description: 'every step is named with a DNS-1123 label, unique within its task',
  check(ctx) {
    const issues: TektonIssue[] = [];
    for (const t of taskSpecs(ctx)) {
      const steps = Array.isArray(t.spec.steps) ? t.spec.steps : [];
      if (steps.length === 0) {
        issues.push({ object: objectLabel(t.manifest), field: `${t.field}.steps`, message: 'task has no steps: add at least one' });
      }
      const seen = new Set<string>();
      steps.forEach((s: unknown, i: number) => {
        const field = `${t.field}.steps[${i}].name`;
        const name = isObject(s) ? s.name : undefined;
        if (typeof name !== 'string' || name.length === 0) {
          issues.push({ object: objectLabel(t.manifest), field, message: 'step has no name: give it a DNS-1123 label' });
        } else if (name.length > 63 || !DNS_LABEL.test(name)) {
          issues.push({ object: objectLabel(t.manifest), field, message: `"${name}" is not a DNS-1123 label: use lowercase letters, digits and "-"` });
        } else if (seen.has(name)) {
          issues.push({ object: objectLabel(t.manifest), field, message: `step "${name}" is declared twice in the task: rename one` });
        } else {
          seen.add(name);
        }
      });
    }
    return issues;
  },
};
