import { Pipeline, PullRequestEvent, Trigger, TriggerKind, TRIGGER_KINDS } from '../../core';

/** The GitHub event of each trigger kind: what `github.event_name` is in a run it started. */
export const TRIGGER_EVENTS: Record<TriggerKind, string> = {
  [TriggerKind.PUSH]: 'push',
  [TriggerKind.PULL_REQUEST]: 'pull_request',
  [TriggerKind.SCHEDULE]: 'schedule',
  [TriggerKind.MANUAL]: 'workflow_dispatch',
};

/** The `pull_request` activity types of each model event. */
const PULL_REQUEST_TYPES: Record<PullRequestEvent, string[]> = {
  [PullRequestEvent.OPENED]: ['opened', 'reopened'],
  [PullRequestEvent.UPDATED]: ['synchronize'],
  [PullRequestEvent.CLOSED]: ['closed'],
};

/**
 * The trigger kinds a run of the workflow can have: the declared ones, and MANUAL always (a
 * person may always start a run: the workflow always takes `workflow_dispatch`).
 */
export function workflowKinds(pipeline: Pipeline): TriggerKind[] {
  const declared = pipeline.triggerKinds();
  return TRIGGER_KINDS.filter((k) => k === TriggerKind.MANUAL || declared.includes(k));
}

/**
 * A model glob as a GitHub filter pattern. The model's alphabet (see core FILTER_PATTERN) holds
 * one character GitHub reads differently and that the check refuses (`?`) and one it reads as
 * "one or more of the preceding character" (`+`), escaped here; `*` and `**` mean the same.
 */
export function filterPattern(glob: string): string {
  return glob.replace(/\+/g, '\\+');
}

/**
 * A filter list: the includes, then the excludes as negated patterns (GitHub takes no
 * `branches` beside `branches-ignore`; a later matching pattern wins, so excludes win over
 * includes, as in the model). Only excludes: the `-ignore` list.
 */
function filterList(name: string, include: string[] | undefined, exclude: string[] | undefined): Record<string, string[]> {
  const inc = (include ?? []).map(filterPattern);
  const exc = (exclude ?? []).map(filterPattern);
  if (inc.length > 0) return { [name]: [...inc, ...exc.map((p) => `!${p}`)] };
  if (exc.length > 0) return { [`${name}-ignore`]: exc };
  return {};
}

/**
 * The one `push` filter of the (checked) push triggers: branches from the trigger that names
 * them (with its file paths, which GitHub, like the model, applies to branch pushes only), tags
 * from the trigger that names them. Excludes only beside their includes (an exclude alone
 * matches nothing more than no include does).
 */
function pushFilter(pushes: Trigger[]): Record<string, unknown> {
  const branchTrigger = pushes.find((t) => t.branches !== undefined);
  const tagTrigger = pushes.find((t) => t.tags !== undefined);
  return {
    ...(branchTrigger ? filterList('branches', branchTrigger.branches, branchTrigger.branchesExclude) : {}),
    ...(tagTrigger ? filterList('tags', tagTrigger.tags, tagTrigger.tagsExclude) : {}),
    ...(branchTrigger ? filterList('paths', branchTrigger.filePaths, branchTrigger.filePathsExclude) : {}),
  };
}

/** The `pull_request` filter of the (checked, single) pull-request trigger. */
function pullRequestFilter(t: Trigger): Record<string, unknown> {
  const types = [...new Set((t.events ?? []).flatMap((e) => PULL_REQUEST_TYPES[e]))];
  return {
    types,
    ...filterList('branches', t.branches, t.branchesExclude),
    ...filterList('paths', t.filePaths, t.filePathsExclude),
  };
}

/**
 * When the workflow runs (`on:`), from the model's triggers (checked by check/triggers.ts):
 * `push` (branches, tags, paths), `pull_request` (activity types, target branches, paths: the
 * workflow runs with the pull request's merge commit and a read-only token, never
 * `pull_request_target`), `schedule` (each cron, with its time zone unless UTC) and
 * `workflow_dispatch` (by hand, always).
 */
export function triggers(pipeline: Pipeline): Record<string, unknown> {
  const pushes = pipeline.triggers.filter((t) => t.kind === TriggerKind.PUSH);
  const pullRequest = pipeline.triggers.find((t) => t.kind === TriggerKind.PULL_REQUEST);
  const schedules = pipeline.triggers.filter((t) => t.kind === TriggerKind.SCHEDULE);
  return {
    ...(pushes.length > 0 ? { push: pushFilter(pushes) } : {}),
    ...(pullRequest ? { pull_request: pullRequestFilter(pullRequest) } : {}),
    ...(schedules.length > 0 ? { schedule: schedules.map((s) => ({ cron: s.cron!, ...(s.timeZone && s.timeZone !== 'UTC' ? { timezone: s.timeZone } : {}) })) } : {}),
    workflow_dispatch: {},
  };
}

/** `github.event_name == 'push'`, or the kinds' events joined by `||` (parenthesized when more than one). */
export function eventGuard(kinds: TriggerKind[]): string {
  const tests = kinds.map((k) => `github.event_name == '${TRIGGER_EVENTS[k]}'`);
  return tests.length === 1 ? tests[0] : `(${tests.join(' || ')})`;
}

/**
 * `GATEHOUSE_TRIGGER`: the model's word for the run's event, chosen among fixed literals by
 * comparing `github.event_name` (nothing of the event's payload is copied into the value);
 * `unknown` for an event the workflow does not declare.
 */
export function triggerWordExpression(): string {
  const arms = TRIGGER_KINDS.map((k) => `github.event_name == '${TRIGGER_EVENTS[k]}' && '${k.toLowerCase()}'`);
  return [...arms, "'unknown'"].join(' || ');
}
