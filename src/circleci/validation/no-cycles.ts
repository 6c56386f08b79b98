import { ConfigIssue, ConfigRule, requiredJobs, workflowEntries } from './types';

/** The `requires` of a workflow form no cycle (the workflow would never start those jobs). */
export const noCyclesRule: ConfigRule = {
  id: 'no-cycles',
  description: 'requires form no cycle',
  check(config) {
    const issues: ConfigIssue[] = [];
    const byWorkflow = new Map<string, Map<string, string[]>>();
    for (const e of workflowEntries(config)) {
      const deps = byWorkflow.get(e.workflow) ?? new Map<string, string[]>();
      byWorkflow.set(e.workflow, deps);
      deps.set(e.name, requiredJobs(e).map((r) => r.name));
    }
    for (const [workflow, deps] of byWorkflow) {
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
      for (const n of deps.keys()) {
        if (state.has(n)) continue;
        const cycle = visit(n);
        if (cycle) {
          issues.push({ field: `workflows.${workflow}.jobs`, message: `requires form a cycle (${cycle.join(' -> ')}): remove one requirement` });
          break;
        }
      }
    }
    return issues;
  },
};
