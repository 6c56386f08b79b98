import { JobExit, uniqueExits, WorkflowJob } from './types';
import { Pipeline, Stage, TRIGGER_ENV_VAR, TRIGGER_KINDS, TriggerKind, triggerWord } from '../../core';
import { RUN_CONTEXT_VARIABLES } from '../../core/audit-events';

/*
 * CircleCI starts pipelines from triggers set in the project settings, not in config.yml. What
 * the config can say is which workflow runs, by conditions on pipeline values evaluated when the
 * config is compiled: `pipeline.trigger_source` (`scheduled_pipeline` for a schedule trigger,
 * `api` for a run started from the web app or the API, a repository event otherwise),
 * `pipeline.schedule.name` and `pipeline.git.branch`. So: one workflow per group of trigger
 * kinds that run the same stages, each with a `when:` that only its kinds satisfy, holding the
 * jobs of those stages with `requires` passing over skipped stages to what they waited for.
 * Pull requests, tags and file paths are refused by check/triggers.ts.
 */

/** `<< pipeline.trigger_source >>`: what started the pipeline. */
export const TRIGGER_SOURCE = '<< pipeline.trigger_source >>';
/** `<< pipeline.schedule.name >>`: the schedule trigger's name, on a scheduled pipeline. */
export const SCHEDULE_NAME = '<< pipeline.schedule.name >>';
/** `<< pipeline.git.branch >>`: the branch the pipeline builds. */
export const GIT_BRANCH = '<< pipeline.git.branch >>';

/** The trigger kinds runs of the config can have: the declared ones, and MANUAL always (a person may always start a run). */
export function configKinds(pipeline: Pipeline): TriggerKind[] {
  const declared = pipeline.triggerKinds();
  return TRIGGER_KINDS.filter((k) => k === TriggerKind.MANUAL || declared.includes(k));
}

/** A model glob as an anchored regular expression (`*` within a path segment, `**` across, `?` one character). */
export function globRegex(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      out += '.*';
      i++;
    } else if (c === '*') {
      out += '[^/]*';
    } else if (c === '?') {
      out += '[^/]';
    } else if (/[A-Za-z0-9_/@=-]/.test(c)) {
      out += c;
    } else {
      out += `\\${c}`;
    }
  }
  return `^${out}$`;
}

const equal = (a: string, b: string) => ({ equal: [a, b] });
const branchMatches = (glob: string) => ({ matches: { pattern: globRegex(glob), value: GIT_BRANCH } });
const anyOf = (items: object[]) => (items.length === 1 ? items[0] : { or: items });
const allOf = (items: object[]) => (items.length === 1 ? items[0] : { and: items });

/** The `when:` condition only runs of `kind` satisfy. */
export function kindCondition(pipeline: Pipeline, kind: TriggerKind): object {
  switch (kind) {
    case TriggerKind.SCHEDULE: {
      const names = pipeline.triggers.filter((t) => t.kind === TriggerKind.SCHEDULE).map((t) => equal(t.scheduleName!, SCHEDULE_NAME));
      return allOf([equal('scheduled_pipeline', TRIGGER_SOURCE), anyOf(names)]);
    }
    case TriggerKind.MANUAL:
      return equal('api', TRIGGER_SOURCE);
    default: {
      const pushes = pipeline.triggers.filter((t) => t.kind === TriggerKind.PUSH && t.branches !== undefined);
      const branch = anyOf(pushes.map((t) => allOf([
        anyOf(t.branches!.map(branchMatches)),
        ...(t.branchesExclude ?? []).map((b) => ({ not: branchMatches(b) })),
      ])));
      return allOf([{ not: anyOf([equal('scheduled_pipeline', TRIGGER_SOURCE), equal('api', TRIGGER_SOURCE)]) }, branch]);
    }
  }
}

/** One workflow of the config: the kinds it runs for, their condition and the stages they run. */
export interface TriggerWorkflow {
  readonly kinds: TriggerKind[];
  readonly when: object;
  readonly stages: Set<string>;
}

/** The workflows, one per group of kinds running the same stages, in kind order. */
export function triggerWorkflows(pipeline: Pipeline): TriggerWorkflow[] {
  const groups = new Map<string, { kinds: TriggerKind[]; stages: Stage[] }>();
  for (const k of configKinds(pipeline)) {
    const stages = pipeline.stages.filter((s) => s.runsOn(k));
    const key = stages.map((s) => s.name).join('\n');
    const g = groups.get(key);
    if (g) g.kinds.push(k);
    else groups.set(key, { kinds: [k], stages });
  }
  return [...groups.values()].map((g) => ({
    kinds: g.kinds,
    when: anyOf(g.kinds.map((k) => kindCondition(pipeline, k))),
    stages: new Set(g.stages.map((s) => s.name)),
  }));
}

/** A workflow's name: the config's when it is the only one, else the config's with its kinds' words. */
export function triggerWorkflowName(base: string, wf: TriggerWorkflow, count: number): string {
  return count === 1 ? base : `${base}-${wf.kinds.map((k) => triggerWord(k).replace('_', '-')).join('-')}`;
}

/**
 * The workflow's jobs: those of its stages, each requiring, in place of a job of a skipped stage,
 * what that job required (recursively, with the statuses it required them in).
 */
export function restrictJobs(all: WorkflowJob[], stageOf: Map<string, string>, stages: Set<string>): WorkflowJob[] {
  const byName = new Map(all.map((w) => [w.name, w]));
  const kept = (name: string) => stages.has(stageOf.get(name)!);
  const effective = (exit: JobExit): JobExit[] => (kept(exit.job) ? [exit] : byName.get(exit.job)!.requires.flatMap(effective));
  return all.filter((w) => kept(w.name)).map((w) => ({ ...w, requires: uniqueExits(w.requires.flatMap(effective)) }));
}

/**
 * Shell lines setting what the gate's audit events read: the trigger word, mapped from the
 * pipeline's trigger source (a fixed vocabulary, substituted when the config is compiled) as the
 * workflows' conditions map it, the workflow id and the commit.
 */
export function runContextLines(): string[] {
  return [
    '# the run context the gate\'s audit events read',
    `case "${TRIGGER_SOURCE}" in scheduled_pipeline) ${TRIGGER_ENV_VAR}=schedule ;; api) ${TRIGGER_ENV_VAR}=manual ;; *) ${TRIGGER_ENV_VAR}=push ;; esac`,
    `${RUN_CONTEXT_VARIABLES.runId}="\${CIRCLE_WORKFLOW_ID-}"; ${RUN_CONTEXT_VARIABLES.commit}="\${CIRCLE_SHA1-}"`,
    `export ${TRIGGER_ENV_VAR} ${RUN_CONTEXT_VARIABLES.runId} ${RUN_CONTEXT_VARIABLES.commit}`,
  ];
}

/**
 * What the project settings must hold for the config's workflows to run (the header of
 * config.yml says it): the repository-event trigger for pushes, and a schedule trigger per
 * schedule, named as the config's condition expects, at the model's time.
 */
export function triggerSettingsLines(pipeline: Pipeline): string[] {
  const lines = ['Triggers are set in Project Settings > Triggers, not here; the workflows\' when: conditions pick the runs:'];
  for (const t of pipeline.triggers) {
    if (t.kind === TriggerKind.PUSH && t.branches) lines.push(`- push: a repository push trigger; this config runs for branches ${t.branches.join(', ')}${t.branchesExclude ? ` except ${t.branchesExclude.join(', ')}` : ''}`);
    if (t.kind === TriggerKind.SCHEDULE) lines.push(`- schedule: a schedule trigger named "${t.scheduleName}" at cron "${t.cron}" in time zone ${t.timeZone} (set its timetable to match)`);
  }
  lines.push('- manual: "Trigger Pipeline" in the web app, or the API');
  return lines;
}
