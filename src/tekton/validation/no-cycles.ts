import { objectLabel, TektonIssue, TektonRule } from './types';
import { pipelineScopeRefs, pipelineSpecs, pipelineTasksOf } from './walk';
import { findCycle } from '../../core/validation/cycles';

/**
 * The tasks form a DAG: no cycle through `runAfter` or through result references
 * (`$(tasks.x.results.y)` makes a task wait for x), which the admission webhook rejects.
 */
export const noCyclesRule: TektonRule = {
  id: 'no-cycles',
  description: 'runAfter and result references form no cycle',
  check(ctx) {
    const issues: TektonIssue[] = [];
    for (const p of pipelineSpecs(ctx)) {
      const tasks = pipelineTasksOf(p).filter((t) => !t.isFinally && typeof t.task.name === 'string');
      const deps = new Map<string, Set<string>>();
      for (const t of tasks) {
        deps.set(t.task.name, new Set<string>(Array.isArray(t.task.runAfter) ? t.task.runAfter.filter((x: unknown) => typeof x === 'string') : []));
      }
      for (const { at, task, ref } of pipelineScopeRefs(ctx)) {
        if (at === p && task && !task.isFinally && ref.segments[0] === 'tasks' && ref.segments.length > 1) {
          deps.get(task.task.name)?.add(ref.segments[1]);
        }
      }
      const cycle = findCycle(tasks.map((t) => t.task.name), (n) => [...(deps.get(n) ?? [])].filter((d) => deps.has(d)));
      if (cycle) {
        issues.push({ object: objectLabel(p.manifest), field: `${p.field}.tasks`, message: `tasks form a cycle (${cycle.join(' -> ')}): remove one runAfter or result reference` });
      }
    }
    return issues;
  },
};
