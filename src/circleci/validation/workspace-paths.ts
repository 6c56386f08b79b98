import { ConfigIssue, ConfigRule, requiredJobs, workflowEntries } from './types';
import { WORKSPACE_DIR } from '../render/names';

const OWN = /^(findings|verdicts|status)\/([^/]+)$/;
const ARTIFACT = /^artifacts\/([a-z0-9]([-a-z0-9]*[a-z0-9])?)$/;
const READS = new RegExp(`${WORKSPACE_DIR.replace(/\//g, '\\/')}\\/(findings|verdicts)\\/([A-Za-z][A-Za-z0-9_-]*)`, 'g');

/**
 * A gate's inputs are written by their scan alone. The workspace is additive: each job's
 * `persist_to_workspace` adds a layer, a later layer wins, and concurrent jobs persisting the same
 * file make `attach_workspace` fail. So:
 * - a job persists, from the workspace folder, only what is its own: `findings/<itself>`,
 *   `verdicts/<itself>`, `status/<itself>`, and `artifacts/<name>` of artifacts no other job persists;
 * - a job that reads `findings/<job>` or `verdicts/<job>` of another job requires it (directly or not).
 * Then the files a gate reads come from the one layer its scan wrote.
 */
export const workspacePathsRule: ConfigRule = {
  id: 'workspace-paths',
  description: 'each job persists only its own workspace folders; a job reads another job\'s findings or verdict only downstream of it',
  check(config) {
    const issues: ConfigIssue[] = [];
    const artifactOwner = new Map<string, string>();
    for (const [job, def] of Object.entries<any>(config?.jobs ?? {})) {
      (def?.steps ?? []).forEach((step: any, i: number) => {
        const persist = step?.persist_to_workspace;
        if (!persist) return;
        const field = `jobs.${job}.steps[${i}].persist_to_workspace`;
        if (persist.root !== WORKSPACE_DIR) {
          issues.push({ field: `${field}.root`, message: `job "${job}" persists from "${persist.root}": persist from ${WORKSPACE_DIR}, where the job stages only what is its own` });
        }
        (persist.paths ?? []).forEach((p: string, j: number) => {
          const own = OWN.exec(p);
          const artifact = ARTIFACT.exec(p);
          if (own) {
            if (own[2] !== job) issues.push({ field: `${field}.paths[${j}]`, message: `job "${job}" persists "${p}", the ${own[1]} of job "${own[2]}": only that job may write it` });
          } else if (artifact) {
            const owner = artifactOwner.get(artifact[1]);
            if (owner !== undefined && owner !== job) issues.push({ field: `${field}.paths[${j}]`, message: `artifact "${artifact[1]}" is persisted by jobs "${owner}" and "${job}": one job produces an artifact` });
            artifactOwner.set(artifact[1], job);
          } else {
            issues.push({ field: `${field}.paths[${j}]`, message: `job "${job}" persists "${p}", which is no folder of its own: persist artifacts/<name>, findings/<job>, verdicts/<job> or status/<job>` });
          }
        });
      });
    }
    const entries = workflowEntries(config);
    for (const e of entries) {
      const upstream = new Set<string>();
      const visit = (name: string) => {
        for (const entry of entries.filter((o) => o.workflow === e.workflow && o.name === name)) {
          for (const r of requiredJobs(entry)) {
            if (!upstream.has(r.name)) {
              upstream.add(r.name);
              visit(r.name);
            }
          }
        }
      };
      visit(e.name);
      const steps = config?.jobs?.[e.name]?.steps ?? [];
      steps.forEach((step: any, i: number) => {
        const command: string = typeof step?.run === 'object' ? String(step.run.command ?? '') : '';
        for (const m of command.matchAll(READS)) {
          if (m[2] !== e.name && !upstream.has(m[2])) {
            issues.push({ field: `jobs.${e.name}.steps[${i}].run.command`, message: `job "${e.name}" reads the ${m[1]} of job "${m[2]}" without requiring it: a gate reads only what an upstream scan wrote` });
          }
        }
      });
    }
    return issues;
  },
};
