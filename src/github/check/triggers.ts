import { collector, GitHubModelRule } from './types';
import { Trigger, TriggerKind } from '../../core';
import { cronFields } from '../../core/cron';
import { triggerPath } from '../../core/validation/trigger-filters';

/** Shortest interval GitHub runs a schedule at, in minutes. */
export const MIN_SCHEDULE_MINUTES = 5;

/** The minutes of the hour a valid cron minute field fires at. */
export function cronMinutes(field: string): number[] {
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    let [from, to] = range === '*' ? [0, 59] : range.split('-').map(Number);
    if (to === undefined) to = stepText === undefined ? from : 59;
    for (let m = from; m <= to; m += step) out.add(m);
  }
  return [...out].sort((a, b) => a - b);
}

/** The shortest gap between two runs of a minute field within an hour and across its end. */
function shortestGap(minutes: number[]): number {
  if (minutes.length <= 1) return 60;
  let gap = 60 - minutes[minutes.length - 1] + minutes[0];
  for (let i = 1; i < minutes.length; i++) gap = Math.min(gap, minutes[i] - minutes[i - 1]);
  return gap;
}

/** Every filter pattern of a trigger, with the field it comes from. */
function patternsOf(t: Trigger): Array<[string, string]> {
  const lists: Array<[string, string[] | undefined]> = [
    ['branches', t.branches], ['branchesExclude', t.branchesExclude], ['tags', t.tags], ['tagsExclude', t.tagsExclude],
    ['filePaths', t.filePaths], ['filePathsExclude', t.filePathsExclude],
  ];
  return lists.flatMap(([what, list]) => (list ?? []).map((p) => [what, p] as [string, string]));
}

/**
 * The triggers are what one workflow's `on:` holds: one `push` filter (so at most one push
 * trigger naming branches and one naming tags), one `pull_request` filter without source-branch
 * filters (GitHub has none), patterns without `?` (GitHub reads it as "zero or one of the
 * preceding character"), schedules at most every five minutes (GitHub's shortest interval).
 */
export const triggersRule: GitHubModelRule = (pipeline) => {
  const { issues, add } = collector();
  const pushes = pipeline.triggers.filter((t) => t.kind === TriggerKind.PUSH);
  const where = `pipeline "${pipeline.name}" > triggers`;
  if (pushes.filter((t) => t.branches !== undefined).length > 1) {
    add(where, 'has several push triggers naming branches, and a workflow has one push filter (their file paths would mix): merge them into one Trigger.push');
  }
  if (pushes.filter((t) => t.tags !== undefined).length > 1) {
    add(where, 'has several push triggers naming tags, and a workflow has one push filter: merge their tags into one Trigger.push');
  }
  if (pipeline.triggers.filter((t) => t.kind === TriggerKind.PULL_REQUEST).length > 1) {
    add(where, 'has several pull request triggers, and a workflow has one pull_request filter (their events, branches and paths would mix): merge them into one Trigger.pullRequest');
  }
  pipeline.triggers.forEach((t, i) => {
    const p = triggerPath(t, i);
    for (const [what, pattern] of patternsOf(t)) {
      if (typeof pattern === 'string' && pattern.includes('?')) {
        add(p, `${what} pattern "${pattern}" uses "?", which GitHub reads as "zero or one of the preceding character", not as one character: use "*" instead`);
      }
    }
    if (t.sourceBranches !== undefined || t.sourceBranchesExclude !== undefined) {
      add(p, 'filters source branches, and GitHub\'s pull_request event has no source-branch filter (a job condition would still start the run and report it green): drop sourceBranches and sourceBranchesExclude, or filter on targetBranches');
    }
    if (t.kind === TriggerKind.SCHEDULE && typeof t.cron === 'string') {
      const fields = cronFields(t.cron);
      const gap = fields.length === 5 && /^[0-9*,\-/]+$/.test(fields[0]) ? shortestGap(cronMinutes(fields[0])) : 60;
      if (gap < MIN_SCHEDULE_MINUTES) {
        add(p, `cron "${t.cron}" runs every ${gap} minute${gap === 1 ? '' : 's'}, and GitHub runs a schedule at most every ${MIN_SCHEDULE_MINUTES} minutes (it would skip runs silently): space the minutes at least ${MIN_SCHEDULE_MINUTES} apart, e.g. "*/${MIN_SCHEDULE_MINUTES}"`);
      }
    }
  });
  return issues;
};
