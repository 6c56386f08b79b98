import { jobsOf, stepsOf, WorkflowIssue, WorkflowRule } from './types';

/**
 * The shape of an approval (a job bound to an environment named after itself, whose required
 * reviewers decide): it waits for at least one job, runs no container and no action (only its
 * timeout check), and has no permissions. Environment names are ones GitHub takes.
 */
export const environmentsRule: WorkflowRule = {
  id: 'environment-jobs',
  description: 'approval jobs wait for a job, run no container or action, and hold no permissions; environment names are valid',
  check(workflow) {
    const issues: WorkflowIssue[] = [];
    for (const [id, job] of jobsOf(workflow)) {
      if (job.environment === undefined) continue;
      const name = typeof job.environment === 'string' ? job.environment : job.environment?.name;
      if (typeof name !== 'string' || name.length === 0 || name.length > 255 || /[\s'"`,;:\\/?*<>|]/.test(name)) {
        issues.push({ field: `jobs.${id}.environment`, message: `environment name ${JSON.stringify(name)} is not one GitHub takes: up to 255 characters, no spaces, quotes or / \\ , ; : ? * < > |` });
        continue;
      }
      if (name !== id) continue; // a deploy job's environment (its secrets and rules)
      const where = `jobs.${id}`;
      if (!Array.isArray(job.needs) || job.needs.length === 0) issues.push({ field: `${where}.needs`, message: `approval job "${id}" waits for no job: it must follow what it approves` });
      if (job.container !== undefined) issues.push({ field: `${where}.container`, message: `approval job "${id}" runs a container: an approval runs only its timeout check` });
      if (!job.permissions || typeof job.permissions !== 'object' || Object.keys(job.permissions).length > 0) {
        issues.push({ field: `${where}.permissions`, message: `approval job "${id}" must have no permissions (permissions: {})` });
      }
      stepsOf(job).forEach((s, i) => {
        if (s.uses !== undefined) issues.push({ field: `${where}.steps[${i}].uses`, message: `approval job "${id}" runs an action: an approval runs only its timeout check` });
      });
    }
    return issues;
  },
};
