import { objectLabel, TektonIssue, TektonRule } from './types';
import { isObject, pipelineTasks, taskSpecs } from './walk';

const VALUES = ['continue', 'stopAndFail'];

/** `onError` of pipeline tasks and steps is `continue` or `stopAndFail` (admission webhook). */
export const onErrorValuesRule: TektonRule = {
  id: 'on-error-values',
  description: 'onError is continue or stopAndFail',
  check(ctx) {
    const issues: TektonIssue[] = [];
    const check = (manifest: Record<string, any>, field: string, value: unknown) => {
      if (value !== undefined && !VALUES.includes(value as string)) {
        issues.push({ object: objectLabel(manifest), field, message: `"${String(value)}" is not an onError value: use "continue" or "stopAndFail"` });
      }
    };
    for (const t of pipelineTasks(ctx)) check(t.manifest, `${t.field}.onError`, t.task.onError);
    for (const t of taskSpecs(ctx)) {
      (Array.isArray(t.spec.steps) ? t.spec.steps : []).forEach((s: unknown, i: number) => {
        if (isObject(s)) check(t.manifest, `${t.field}.steps[${i}].onError`, s.onError);
      });
    }
    return issues;
  },
};
