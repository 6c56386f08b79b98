import { aws_codepipeline as cp } from 'aws-cdk-lib';
import { Pipeline, PullRequestEvent, SourceProvider, Trigger, TriggerKind } from '../core';
import { scheduleProblems } from './schedules';

/** Most push (or pull request) filters of one CodePipeline trigger. */
export const MAX_GIT_FILTERS = 3;
/** Most patterns of one include or exclude list. */
export const MAX_FILTER_PATTERNS = 8;

const HOSTED = [SourceProvider.GITHUB, SourceProvider.GITLAB, SourceProvider.BITBUCKET];
const EVENTS: { [e: string]: cp.GitPullRequestEvent } = {
  [PullRequestEvent.OPENED]: cp.GitPullRequestEvent.OPEN,
  [PullRequestEvent.UPDATED]: cp.GitPullRequestEvent.UPDATED,
  [PullRequestEvent.CLOSED]: cp.GitPullRequestEvent.CLOSED,
};

/** The trigger a CodeCommit or S3 source action has by itself: pushes to its branch (a new object version). */
function isSourceDefault(pipeline: Pipeline, t: Trigger): boolean {
  return (
    t.kind === TriggerKind.PUSH &&
    !t.tags && !t.tagsExclude && !t.branchesExclude && !t.filePaths && !t.filePathsExclude &&
    (t.branches === undefined || (t.branches.length === 1 && t.branches[0] === pipeline.source.branch))
  );
}

/**
 * What CodePipeline cannot express of the pipeline's triggers, each with its trigger and fix.
 * Rendered: push and pull-request filters of a CodeStar connection source (V2 git triggers),
 * schedules (EventBridge Scheduler), manual starts, and stages limited to triggers (the trigger
 * action and entry conditions, run-trigger.ts). Refused rather than dropped: push and pull
 * request triggers in one pipeline (CodePipeline reports both as the same webhook start, so a
 * run could not tell them apart), and what CodePipeline's filters cannot say.
 */
export function triggerProblems(pipeline: Pipeline, pipelineName: string = pipeline.name): Array<{ path: string; message: string }> {
  const out: Array<{ path: string; message: string }> = [];
  const hosted = HOSTED.includes(pipeline.source.provider);
  const git = pipeline.triggers.filter((t) => t.kind === TriggerKind.PUSH || t.kind === TriggerKind.PULL_REQUEST);
  pipeline.triggers.forEach((t, i) => {
    const p = t.kind === TriggerKind.SCHEDULE ? `trigger "${t.scheduleName}" (schedule)` : `trigger ${i + 1} (${t.word})`;
    if ((t.kind === TriggerKind.PUSH || t.kind === TriggerKind.PULL_REQUEST) && !hosted && !isSourceDefault(pipeline, t)) {
      out.push({
        path: p,
        message: `cannot be rendered: a ${pipeline.source.provider.toLowerCase()} source starts the pipeline on changes of its branch only (CodePipeline's git triggers need a CodeStar connection source); ` +
          'use Source.gitHub, Source.gitLab or Source.bitbucket with a connectionArn, or drop the trigger\'s filters',
      });
    }
    if (t.kind === TriggerKind.PULL_REQUEST && (t.sourceBranches || t.sourceBranchesExclude)) {
      out.push({ path: p, message: 'filters source branches, which CodePipeline cannot (its pull request filters name target branches): drop sourceBranches and sourceBranchesExclude' });
    }
    for (const [what, list] of [['branches', t.branches], ['branchesExclude', t.branchesExclude], ['tags', t.tags], ['tagsExclude', t.tagsExclude], ['filePaths', t.filePaths], ['filePathsExclude', t.filePathsExclude]] as const) {
      if (list && list.length > MAX_FILTER_PATTERNS) out.push({ path: p, message: `${what} has ${list.length} patterns, more than CodePipeline's ${MAX_FILTER_PATTERNS}: use fewer (a wider glob)` });
    }
    if (t.kind === TriggerKind.PUSH && t.tags && t.branches) {
      out.push({ path: p, message: 'filters branches and tags in one trigger, which CodePipeline cannot: declare a push trigger for the branches and another for the tags' });
    }
  });
  for (const kind of [TriggerKind.PUSH, TriggerKind.PULL_REQUEST]) {
    const n = git.filter((t) => t.kind === kind).length;
    if (hosted && n > MAX_GIT_FILTERS) out.push({ path: `pipeline "${pipeline.name}"`, message: `has ${n} ${kind === TriggerKind.PUSH ? 'push' : 'pull request'} triggers, more than CodePipeline's ${MAX_GIT_FILTERS} per source: merge some` });
  }
  if (git.some((t) => t.kind === TriggerKind.PUSH) && git.some((t) => t.kind === TriggerKind.PULL_REQUEST)) {
    out.push({
      path: `pipeline "${pipeline.name}"`,
      message:
        'has push and pull request triggers, which one CodePipeline cannot tell apart at run time (both start it as the same webhook trigger, ' +
        'and the branch a pull request comes from is its author\'s to name), so a pull request could run the stages meant for pushes: ' +
        'render the pre-merge (pull request) pipeline as a gatehouse pipeline of its own (its pull request trigger, the stages it runs), or run both on Tekton or the local engine',
    });
  }
  out.push(...scheduleProblems(pipeline, pipelineName));
  return out;
}

/** The V2 git trigger of a CodeStar connection source action, from the pipeline's push and pull-request triggers. */
export function gitTrigger(pipeline: Pipeline, sourceAction: cp.IAction): cp.TriggerProps | undefined {
  const push = pipeline.triggers.filter((t) => t.kind === TriggerKind.PUSH);
  const prs = pipeline.triggers.filter((t) => t.kind === TriggerKind.PULL_REQUEST);
  if (push.length === 0 && prs.length === 0) return undefined;
  return {
    providerType: cp.ProviderType.CODE_STAR_SOURCE_CONNECTION,
    gitConfiguration: {
      sourceAction,
      ...(push.length > 0
        ? {
          pushFilter: push.map((t) => ({
            branchesIncludes: t.branches,
            branchesExcludes: t.branchesExclude,
            tagsIncludes: t.tags,
            tagsExcludes: t.tagsExclude,
            filePathsIncludes: t.filePaths,
            filePathsExcludes: t.filePathsExclude,
          })),
        }
        : {}),
      ...(prs.length > 0
        ? {
          pullRequestFilter: prs.map((t) => ({
            events: (t.events ?? []).map((e) => EVENTS[e]),
            branchesIncludes: t.branches,
            branchesExcludes: t.branchesExclude,
            filePathsIncludes: t.filePaths,
            filePathsExcludes: t.filePathsExclude,
          })),
        }
        : {}),
    },
  };
}

/** Whether the source action starts the pipeline by itself (a push trigger is declared). */
export function startsOnPush(pipeline: Pipeline): boolean {
  return pipeline.triggers.some((t) => t.kind === TriggerKind.PUSH);
}
