import { jobsOf, stepsOf, WorkflowIssue, WorkflowRule } from './types';
import { UPLOAD_SARIF } from '../render/actions';

/** Scopes a job may be given, and when. */
const READ_ONLY = new Set(['contents', 'actions']);

/**
 * Least privilege: the workflow grants nothing (`permissions: {}`) and each job says what it needs;
 * `security-events: write` only on a job that uploads SARIF, `contents` and `actions` read-only,
 * nothing else (no job is given `id-token: write`: the model has no step that asks for an identity
 * token yet).
 */
export const permissionsRule: WorkflowRule = {
  id: 'permissions',
  description: 'permissions: {} at the top, per job only what it uses',
  check(workflow) {
    const issues: WorkflowIssue[] = [];
    const top = workflow.permissions;
    if (!top || typeof top !== 'object' || Object.keys(top).length > 0) {
      issues.push({ field: 'permissions', message: 'the workflow must grant nothing by default: permissions: {}' });
    }
    for (const [id, job] of jobsOf(workflow)) {
      const p = job.permissions;
      if (!p || typeof p !== 'object') {
        issues.push({ field: `jobs.${id}.permissions`, message: `job "${id}" does not say its permissions: give permissions (at least {})` });
        continue;
      }
      const sarif = stepsOf(job).some((s) => typeof s.uses === 'string' && s.uses.startsWith(`${UPLOAD_SARIF.action}@`));
      for (const [scope, level] of Object.entries(p)) {
        if (level === 'none') continue;
        if (scope === 'security-events' && level === 'write' && sarif) continue;
        if (READ_ONLY.has(scope) && level === 'read') continue;
        issues.push({ field: `jobs.${id}.permissions.${scope}`, message: `job "${id}" is given ${scope}: ${level}, which none of its steps needs` });
      }
    }
    return issues;
  },
};
