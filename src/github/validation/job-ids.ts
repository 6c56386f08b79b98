import { jobsOf, WorkflowIssue, WorkflowRule } from './types';

/** Job ids GitHub accepts: a letter or `_`, then letters, digits, `-` and `_`. */
export const JOB_ID = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Every job id is one GitHub accepts (the schema does not say). */
export const jobIdsRule: WorkflowRule = {
  id: 'job-ids',
  description: 'job ids start with a letter or "_" and hold only letters, digits, "-" and "_"',
  check(workflow) {
    const issues: WorkflowIssue[] = [];
    for (const [id] of jobsOf(workflow)) {
      if (!JOB_ID.test(id)) issues.push({ field: `jobs.${id}`, message: `job id "${id}" is not one GitHub accepts: start with a letter or "_", then letters, digits, "-" and "_"` });
    }
    return issues;
  },
};
