import { jobsOf, needsOf, WorkflowIssue, WorkflowRule } from './types';

/** Every `needs` names a job of the workflow, other than the job itself. */
export const needsExistRule: WorkflowRule = {
  id: 'needs-exist',
  description: 'needs names existing jobs (GitHub refuses the workflow otherwise)',
  check(workflow) {
    const issues: WorkflowIssue[] = [];
    const ids = new Set(jobsOf(workflow).map(([id]) => id));
    for (const [id, job] of jobsOf(workflow)) {
      needsOf(job).forEach((n, i) => {
        if (n === id) issues.push({ field: `jobs.${id}.needs[${i}]`, message: `job "${id}" needs itself: remove it` });
        else if (!ids.has(n)) issues.push({ field: `jobs.${id}.needs[${i}]`, message: `job "${id}" needs "${n}", which is not a job of the workflow` });
      });
    }
    return issues;
  },
};
