import { ConfigIssue, ConfigRule, workflowEntries } from './types';

/** Every job a workflow runs (all but its holds) is defined under `jobs`, and each runs once per workflow. */
export const jobsDefinedRule: ConfigRule = {
  id: 'jobs-defined',
  description: 'every non-approval workflow job is defined under jobs; no workflow lists a job twice',
  check(config) {
    const issues: ConfigIssue[] = [];
    const defined = new Set(Object.keys(config?.jobs ?? {}));
    const seen = new Map<string, Set<string>>();
    for (const e of workflowEntries(config)) {
      const names = seen.get(e.workflow) ?? new Set<string>();
      seen.set(e.workflow, names);
      if (names.has(e.name)) issues.push({ field: e.field, message: `job "${e.name}" is listed twice in workflow "${e.workflow}": give each entry its own name` });
      names.add(e.name);
      if (e.body.type !== 'approval' && !defined.has(e.name)) {
        issues.push({ field: e.field, message: `job "${e.name}" is not defined under jobs: define it, or make it a hold with type: approval` });
      }
    }
    return issues;
  },
};
