import { jobsOf, needsOf, WorkflowIssue, WorkflowRule } from './types';
import { findCycle } from '../../core/validation/cycles';

/** The jobs' `needs` form no cycle (GitHub refuses the workflow otherwise). */
export const noCyclesRule: WorkflowRule = {
  id: 'no-cycles',
  description: 'needs form no cycle',
  check(workflow) {
    const deps = new Map(jobsOf(workflow).map(([id, job]) => [id, needsOf(job)]));
    const cycle = findCycle([...deps.keys()], (n) => (deps.get(n) ?? []).filter((d) => deps.has(d)));
    const issues: WorkflowIssue[] = [];
    if (cycle) issues.push({ field: 'jobs', message: `jobs form a cycle (${cycle.join(' -> ')}): remove one of these needs` });
    return issues;
  },
};
