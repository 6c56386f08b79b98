import { objectLabel, TektonIssue, TektonRule } from './types';
import { pipelineScopeRefs, pipelineSpecs, pipelineTasksOf } from './walk';

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
      const state = new Map<string, 1 | 2>();
      const stack: string[] = [];
      const visit = (n: string): string[] | undefined => {
        state.set(n, 1);
        stack.push(n);
        for (const d of deps.get(n) ?? []) {
          if (!deps.has(d)) continue;
          if (state.get(d) === 1) return [...stack.slice(stack.indexOf(d)), d];
          if (state.get(d) === undefined) {
            const found = visit(d);
            if (found) return found;
          }
        }
        stack.pop();
        state.set(n, 2);
        return undefined;
      };
      for (const t of tasks) {
        if (state.has(t.task.name)) continue;
        const cycle = visit(t.task.name);
        if (cycle) {
          issues.push({ object: objectLabel(p.manifest), field: `${p.field}.tasks`, message: `tasks form a cycle (${cycle.join(' -> ')}): remove one runAfter or result reference` });
          break;
        }
      }
    }
    return issues;
  },
};
