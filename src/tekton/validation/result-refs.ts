import { interfaceOf } from './task-interface';
import { objectLabel, TektonIssue, TektonRule } from './types';
import { isObject, nameSet, pipelineScopeRefs, pipelineTasksOf, taskScopeRefs, taskSpecs } from './walk';

/**
 * Results and step references exist (Tekton only finds out at run time):
 * `$(tasks.x.results.y)` and `$(finally.x.results.y)` name a task that declares result y,
 * `$(results.y.path)` a result of the task, `$(steps.step-x.…)` a step of the task.
 */
export const resultRefsRule: TektonRule = {
  id: 'result-refs',
  description: 'referenced task results, task results and steps exist',
  check(ctx) {
    const issues: TektonIssue[] = [];
    for (const { at: p, field, ref } of pipelineScopeRefs(ctx)) {
      const [root, taskName, kind, result] = ref.segments;
      if ((root !== 'tasks' && root !== 'finally') || kind !== 'results') continue;
      const issue = (message: string) => issues.push({ object: objectLabel(p.manifest), field, message });
      const target = pipelineTasksOf(p).find((t) => t.task.name === taskName && t.isFinally === (root === 'finally'));
      if (!target) {
        issue(`${ref.text} names task "${taskName}", which is not in ${p.field}.${root === 'tasks' ? 'tasks' : 'finally'}: fix the name`);
        continue;
      }
      const iface = interfaceOf(ctx, target);
      if (iface && !iface.results.includes(result)) {
        issue(`${ref.text} names result "${result}", which task "${taskName}" does not declare (it has ${iface.results.length > 0 ? iface.results.join(', ') : 'none'})`);
      }
    }
    for (const { at: t, field, ref } of taskScopeRefs(ctx)) {
      const issue = (message: string) => issues.push({ object: objectLabel(t.manifest), field, message });
      if (ref.segments[0] === 'results' && !nameSet(ctx, t.spec.results).has(ref.segments[1])) {
        issue(`${ref.text} names result "${ref.segments[1]}", which the task does not declare: add it to ${t.field}.results`);
      } else if (ref.segments[0] === 'steps') {
        const step = ref.segments[1].replace(/^step-/, '');
        if (!ref.segments[1].startsWith('step-') || !nameSet(ctx, t.spec.steps).has(step)) {
          issue(`${ref.text} names step "${step}", which the task does not have: use $(steps.step-<name>.…) with a step of the task`);
        }
      }
    }
    for (const t of taskSpecs(ctx)) {
      (Array.isArray(t.spec.steps) ? t.spec.steps : []).forEach((s: unknown, i: number) => {
        if (isObject(s) && Array.isArray(s.results) && s.results.length > 0) {
          issues.push({ object: objectLabel(t.manifest), field: `${t.field}.steps[${i}].results`, message: 'step results need the enable-step-actions feature: write task results instead' });
        }
      });
    }
    return issues;
  },
};
