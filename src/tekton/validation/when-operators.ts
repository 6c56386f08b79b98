import { objectLabel, TektonIssue, TektonRule } from './types';
import { isObject, pipelineTasks, taskSpecs } from './walk';

const OPERATORS = ['in', 'notin'];

/** `when` expressions use `in` or `notin`, with values, or a CEL expression (admission webhook). */
export const whenOperatorsRule: TektonRule = {
  id: 'when-operators',
  description: 'when expressions use the in or notin operator with at least one value',
  check(ctx) {
    const issues: TektonIssue[] = [];
    const checkList = (manifest: Record<string, any>, field: string, list: unknown) => {
      if (!Array.isArray(list)) return;
      list.forEach((w, i) => {
        if (!isObject(w) || w.cel !== undefined) return;
        if (!OPERATORS.includes(w.operator)) {
          issues.push({ object: objectLabel(manifest), field: `${field}[${i}].operator`, message: `operator "${String(w.operator)}" is not allowed: use "in" or "notin"` });
        }
        if (!Array.isArray(w.values) || w.values.length === 0) {
          issues.push({ object: objectLabel(manifest), field: `${field}[${i}].values`, message: 'has no values: list at least one' });
        }
      });
    };
    for (const t of pipelineTasks(ctx)) checkList(t.manifest, `${t.field}.when`, t.task.when);
    for (const t of taskSpecs(ctx)) {
      (Array.isArray(t.spec.steps) ? t.spec.steps : []).forEach((s: unknown, i: number) => {
        if (isObject(s)) checkList(t.manifest, `${t.field}.steps[${i}].when`, s.when);
      });
    }
    return issues;
  },
};
