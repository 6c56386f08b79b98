import { SourceProvider } from '../source';
import { PullRequestEvent, Trigger, TriggerKind } from '../trigger';
import { collector, ModelRule } from './types';

/**
 * The one pattern alphabet every engine can take safely: letters, digits, `. _ - / + @ =` and
 * the glob characters `*` and `?`. No quotes, `$`, backslashes, brackets, spaces or control
 * characters: filters end up in CEL expressions, shell commands and JSON, and a branch name an
 * attacker chooses must never become code there.
 */
export const FILTER_PATTERN = /^[A-Za-z0-9._\-/+@=*?]+$/;

/** Longest filter pattern (CodePipeline's limit). */
export const MAX_FILTER_PATTERN = 255;

/** Path of a trigger in issues: `trigger 2 (pull_request)` or `trigger "nightly" (schedule)`. */
export function triggerPath(t: Trigger, index: number): string {
  return t.kind === TriggerKind.SCHEDULE ? `trigger "${t.scheduleName}" (schedule)` : `trigger ${index + 1} (${t.word})`;
}

/** Why a filter pattern cannot be used, or undefined. */
export function filterPatternProblem(what: string, pattern: unknown): string | undefined {
  if (typeof pattern !== 'string' || pattern.length === 0) return `${what} has an empty pattern: give a branch, tag or path glob such as "main" or "release/*"`;
  if (pattern.length > MAX_FILTER_PATTERN) return `${what} pattern is ${pattern.length} characters long: use at most ${MAX_FILTER_PATTERN}`;
  if (!FILTER_PATTERN.test(pattern)) {
    return `${what} pattern ${JSON.stringify(pattern)} holds characters filters may not use: use letters, digits, ". _ - / + @ =" and the globs "*" and "?" (no quotes, "$", brackets, spaces or control characters)`;
  }
  return undefined;
}

/**
 * Triggers are declared, each filter a safe glob, push filters name branches or tags (file
 * paths need branches), pull requests name at least one known event.
 */
export const triggerFiltersRule: ModelRule = (pipeline) => {
  const { issues, add } = collector();
  if (pipeline.triggers.length === 0) {
    add(`pipeline "${pipeline.name}"`, 'has no triggers, so nothing starts it: add Trigger.manual() for a pipeline started by hand only, or leave triggers unset for pushes to the source\'s branch');
  }
  pipeline.triggers.forEach((t, i) => {
    const p = triggerPath(t, i);
    const lists: Array<[string, string[] | undefined]> = [
      [t.kind === TriggerKind.PULL_REQUEST ? 'targetBranches' : 'branches', t.branches],
      [t.kind === TriggerKind.PULL_REQUEST ? 'targetBranchesExclude' : 'branchesExclude', t.branchesExclude],
      ['sourceBranches', t.sourceBranches],
      ['sourceBranchesExclude', t.sourceBranchesExclude],
      ['tags', t.tags],
      ['tagsExclude', t.tagsExclude],
      ['filePaths', t.filePaths],
      ['filePathsExclude', t.filePathsExclude],
    ];
    for (const [what, list] of lists) {
      if (list === undefined) continue;
      if (list.length === 0) add(p, `${what} is an empty list, which matches nothing: give a pattern or leave it unset`);
      for (const pattern of list) {
        const problem = filterPatternProblem(what, pattern);
        if (problem) add(p, problem);
      }
    }
    const s3 = pipeline.source.provider === SourceProvider.S3;
    if (s3 && (t.branches || t.tags || t.filePaths || t.filePathsExclude || t.branchesExclude || t.tagsExclude)) {
      add(p, 'filters branches, tags or paths of an S3 source, which has none (a push is a new version of the object): drop the filters');
    }
    if (s3 && t.kind === TriggerKind.PULL_REQUEST) {
      add(p, 'is a pull request trigger on an S3 source, which has no pull requests: use a git source, or drop the trigger');
    }
    if (t.kind === TriggerKind.PUSH && !t.branches && !t.tags && !s3) {
      add(p, 'names no branches and no tags, and the source has no branch to default to: give branches or tags');
    }
    if (t.kind === TriggerKind.PUSH && (t.filePaths || t.filePathsExclude) && !t.branches) {
      add(p, 'filters file paths of tag pushes: file path filters apply to branch pushes only; give branches');
    }
    if (t.kind === TriggerKind.PULL_REQUEST) {
      if (!t.branches && !s3) add(p, 'names no target branches, and the source has no branch to default to: give targetBranches');
      const events = t.events ?? [];
      if (events.length === 0) add(p, 'has no events: give PullRequestEvent.OPENED, UPDATED or CLOSED');
      for (const e of events) {
        if (!Object.values(PullRequestEvent).includes(e)) add(p, `event "${e}" is not a PullRequestEvent: use OPENED, UPDATED or CLOSED`);
      }
    }
  });
  return issues;
};
