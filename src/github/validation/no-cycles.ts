import { jobsOf, needsOf, WorkflowIssue, WorkflowRule } from './types';

/** The jobs' `needs` form no cycle (GitHub refuses the workflow otherwise). */
export const noCyclesRule: WorkflowRule = {
  id: 'no-cycles',
  description: 'needs form no cycle',
  check(workflow) {
    const deps = new Map(jobsOf(workflow).map(([id, job]) => [id, needsOf(job)]));
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
    const issues: WorkflowIssue[] = [];
    for (const id of deps.keys()) {
      if (state.has(id)) continue;
      const cycle = visit(id);
      if (cycle) {
        issues.push({ field: 'jobs', message: `jobs form a cycle (${cycle.join(' -> ')}): remove one of these needs` });
        break;
      }
    }
    return issues;
  },
};
