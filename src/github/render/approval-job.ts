import { expr, literal } from './expressions';
import { WorkflowStep } from './steps';
import { ApprovalStep, Approver, ApproverKind } from '../../core';

/** Output of every job an approval waits for: when it finished (seconds since the epoch). */
export const FINISHED_AT_OUTPUT = 'finished-at';

/** The step that records when a job finished, for the approvals that wait for it. */
export function clockStep(): WorkflowStep {
  return { name: 'finished at', id: 'clock', if: 'always()', shell: 'sh {0}', run: 'echo "at=$(date +%s)" >> "$GITHUB_OUTPUT"\n' };
}

/** A GitHub environment the workflow names, and what the repository settings must give it. */
export interface EnvironmentNeed {
  /** Environment name. */
  readonly name: string;
  /** The job bound to it. */
  readonly jobId: string;
  /** Required reviewers to set (users, and teams for groups). */
  readonly reviewers: Approver[];
  /** What the reviewers are asked. */
  readonly description: string;
}

/** What an approval or intervention job asks. */
export interface ApprovalJobProps {
  readonly id: string;
  readonly environment: string;
  readonly description: string;
  readonly timeoutMinutes: number;
  /** The jobs it waits for (each publishes `finished-at`). */
  readonly needs: string[];
  readonly runsOn: string;
  readonly url?: string;
}

/**
 * A manual approval on GitHub: a job bound to an environment whose required reviewers (set in the
 * repository settings: a workflow cannot) approve or reject it. GitHub holds the job until they
 * answer; a rejection fails it, and what needs it never runs. GitHub waits up to 30 days, so the
 * job itself enforces the model's timeout: approved later than `timeoutMinutes` after the jobs it
 * waits for finished, it fails and the run stops. It runs no code of the app team and has no
 * permissions.
 */
export function approvalJob(p: ApprovalJobProps): Record<string, unknown> {
  return {
    'runs-on': p.runsOn,
    'environment': { name: p.environment, ...(p.url ? { url: literal(p.url) } : {}) },
    'permissions': {},
    'timeout-minutes': 5,
    'steps': [
      {
        name: 'approved within the timeout',
        env: {
          GATEHOUSE_READY_AT: p.needs.map((n) => expr(`needs.${n}.outputs.${FINISHED_AT_OUTPUT}`)).join(' '),
          GATEHOUSE_DESCRIPTION: literal(p.description),
        },
        shell: 'sh {0}',
        run: deadlineScript(p.timeoutMinutes),
      },
    ],
  };
}

/** Fails when the approval came `timeoutMinutes` or later after the jobs it waited for finished. */
export function deadlineScript(timeoutMinutes: number): string {
  return [
    'echo "$GATEHOUSE_DESCRIPTION"',
    'now="$(date +%s)"',
    'ready=0',
    'for t in $GATEHOUSE_READY_AT; do',
    '  case "$t" in ""|*[!0-9]*) continue ;; esac',
    '  if [ "$t" -gt "$ready" ]; then ready="$t"; fi',
    'done',
    'if [ "$ready" -eq 0 ]; then',
    '  echo "gatehouse: cannot tell when this approval began waiting (no job it waits for published finished-at): the run stops"',
    '  exit 1',
    'fi',
    'waited=$(( (now - ready) / 60 ))',
    `if [ "$waited" -ge ${timeoutMinutes} ]; then`,
    `  echo "gatehouse: approved after $waited minutes, past the timeout of ${timeoutMinutes} minutes: the run stops"`,
    '  exit 1',
    'fi',
    `echo "gatehouse: approved after $waited minutes (timeout ${timeoutMinutes} minutes)"`,
  ].join('\n') + '\n';
}

/** The description of an approval step. */
export function approvalDescription(stageName: string, step: ApprovalStep): string {
  return step.description ?? `Approve ${stageName}`;
}

/** How a reviewer is set in the environment's settings. */
export function reviewerLabel(a: Approver): string {
  return a.kind === ApproverKind.GROUP ? `team ${a.name}` : `user ${a.name}`;
}
