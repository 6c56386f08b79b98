import { ConfigIssue, ConfigRule, requiredJobs, workflowEntries } from './types';

/** `requires` names jobs of the same workflow (CircleCI refuses the config otherwise). */
export const requiresExistRule: ConfigRule = {
  id: 'requires-exist',
  description: 'requires names jobs of the same workflow, other than the job itself',
  check(config) {
    const issues: ConfigIssue[] = [];
    const entries = workflowEntries(config);
    for (const e of entries) {
      const names = new Set(entries.filter((o) => o.workflow === e.workflow).map((o) => o.name));
      for (const r of requiredJobs(e)) {
        if (r.name === e.name) issues.push({ field: r.field, message: `job "${e.name}" requires itself: remove it from its requires` });
        else if (!names.has(r.name)) issues.push({ field: r.field, message: `job "${e.name}" requires "${r.name}", which is not a job of workflow "${e.workflow}": require a job the workflow lists` });
      }
    }
    return issues;
  },
};
