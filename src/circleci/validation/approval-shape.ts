import { ConfigIssue, ConfigRule, workflowEntries } from './types';

const HOLD_KEYS = new Set(['type', 'requires', 'context', 'filters', 'name']);
const TYPES = new Set(['build', 'approval', 'no-op', 'release', 'lock', 'unlock']);

/**
 * A hold is a workflow entry with `type: approval`, not a job definition: no job of that name
 * under `jobs` (it would never run), no steps or job parameters on the entry. (A hold may start
 * a workflow: it holds back the jobs that require it.)
 */
export const approvalShapeRule: ConfigRule = {
  id: 'approval-shape',
  description: 'type: approval entries are not defined under jobs and carry only requires/context/filters',
  check(config) {
    const issues: ConfigIssue[] = [];
    const defined = config?.jobs ?? {};
    for (const e of workflowEntries(config)) {
      const type = e.body.type;
      if (type !== undefined && !TYPES.has(type)) {
        issues.push({ field: `${e.field}.type`, message: `type "${String(type)}" is not a CircleCI job type: use approval for a hold, or leave type out` });
      }
      if (type !== 'approval') continue;
      if (Object.prototype.hasOwnProperty.call(defined, e.name)) {
        issues.push({ field: e.field, message: `hold "${e.name}" is also defined under jobs: a type: approval job runs no steps, remove the definition or rename the hold` });
      }
      for (const k of Object.keys(e.body)) {
        if (!HOLD_KEYS.has(k)) issues.push({ field: `${e.field}.${k}`, message: `hold "${e.name}" has "${k}", which an approval job does not take: keep type, requires, context and filters` });
      }
    }
    return issues;
  },
};
