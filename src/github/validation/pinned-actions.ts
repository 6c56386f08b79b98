import { jobsOf, stepsOf, WorkflowIssue, WorkflowRule } from './types';

/** `owner/repo@<40 hex>` or `owner/repo/path@<40 hex>`. */
export const PINNED_USES = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+(\/[A-Za-z0-9_./-]+)?@[0-9a-f]{40}$/;

/** Every action a step uses is pinned by a full commit SHA (a tag or branch can be moved). */
export const pinnedActionsRule: WorkflowRule = {
  id: 'pinned-actions',
  description: 'every uses: is owner/repo@<full commit sha>',
  check(workflow) {
    const issues: WorkflowIssue[] = [];
    for (const [id, job] of jobsOf(workflow)) {
      if (job.uses !== undefined) issues.push({ field: `jobs.${id}.uses`, message: `job "${id}" calls a reusable workflow, which gatehouse does not render` });
      stepsOf(job).forEach((s, i) => {
        if (s.uses !== undefined && !(typeof s.uses === 'string' && PINNED_USES.test(s.uses))) {
          issues.push({ field: `jobs.${id}.steps[${i}].uses`, message: `"${s.uses}" is not pinned by a full commit sha: use owner/repo@<40 hex digits>` });
        }
      });
    }
    return issues;
  },
};
