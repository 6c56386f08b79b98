import { ConfigIssue, ConfigRule, requiredJobs, workflowEntries } from './types';
import { findCycle } from '../../core/validation/cycles';

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
      const cycle = findCycle([...deps.keys()], (n) => (deps.get(n) ?? []).filter((d) => deps.has(d)));
      if (cycle) issues.push({ field: `workflows.${workflow}.jobs`, message: `requires form a cycle (${cycle.join(' -> ')}): remove one requirement` });
    }
    return issues;
  },
};
