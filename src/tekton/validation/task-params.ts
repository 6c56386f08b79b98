import { interfaceOf } from './task-interface';
import { objectLabel, TektonIssue, TektonRule } from './types';
import { isObject, pipelineTasks } from './walk';

/**
 * A pipeline task passes exactly the params its task declares: none unknown, none twice, every
 * param without a default, each with the declared type (checked at run time by Tekton).
 */
export const taskParamsRule: TektonRule = {
  id: 'task-params',
  description: 'pipeline tasks pass the params their task declares, with matching types',
  check(ctx) {
    const issues: TektonIssue[] = [];
    for (const t of pipelineTasks(ctx)) {
      const iface = interfaceOf(ctx, t);
      if (!iface) continue;
      const declared = new Map(iface.params.map((p) => [p.name, p] as const));
      const passed = new Set<string>();
      const params = Array.isArray(t.task.params) ? t.task.params : [];
      params.forEach((p: unknown, i: number) => {
        if (!isObject(p)) return;
        const field = `${t.field}.params[${i}]`;
        const issue = (message: string) => issues.push({ object: objectLabel(t.manifest), field, message });
        const d = declared.get(p.name);
        if (passed.has(p.name)) {
          issue(`param "${p.name}" is passed twice: keep one`);
        } else if (!d) {
          issue(`param "${p.name}" is not declared by ${iface.source}: remove it or declare it`);
        } else {
          const actual = Array.isArray(p.value) ? 'array' : isObject(p.value) ? 'object' : 'string';
          if (actual !== d.type) {
            issue(`param "${p.name}" is passed as ${actual === 'array' ? 'an' : 'a'} ${actual} but ${iface.source} declares ${d.type === 'array' ? 'an' : 'a'} ${d.type}`);
          }
        }
        passed.add(p.name);
      });
      for (const d of iface.params) {
        if (!d.hasDefault && !passed.has(d.name)) {
          issues.push({ object: objectLabel(t.manifest), field: `${t.field}.params`, message: `task "${t.task.name}" does not pass param "${d.name}", which ${iface.source} requires: pass a value` });
        }
      }
    }
    return issues;
  },
};
