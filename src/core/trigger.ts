import { Approver } from './approval-step';

/** What starts a run. Every step sees it as `GATEHOUSE_TRIGGER` (`push`, `pull_request`, `schedule` or `manual`). */
export enum TriggerKind {
  /** A push of commits (or tags) to the repository. */
  PUSH = 'PUSH',
  /** A pull (merge) request event: the pre-merge pipeline. */
  PULL_REQUEST = 'PULL_REQUEST',
  /** A time schedule (cron): e.g. a nightly re-scan of what is deployed. */
  SCHEDULE = 'SCHEDULE',
  /** A person starts the run (console, CLI, `gatehouse run`). */
  MANUAL = 'MANUAL',
}

/** Pull request events a pull-request trigger starts on. */
export enum PullRequestEvent {
  /** The pull request is opened (or reopened). */
  OPENED = 'OPENED',
  /** New commits are pushed to the pull request's source branch. */
  UPDATED = 'UPDATED',
  /** The pull request is closed, merged or not. */
  CLOSED = 'CLOSED',
}

/** Name of the environment variable every step sees its run's trigger in. */
export const TRIGGER_ENV_VAR = 'GATEHOUSE_TRIGGER';

/** Filters of a push trigger. Patterns are globs (`*`, `**`, `?`); excludes win over includes. */
export interface PushTriggerProps {
  /**
   * Branches whose pushes start a run.
   * @default - the source's branch (unless `tags` are given)
   */
  readonly branches?: string[];
  /**
   * Branches whose pushes never start a run.
   * @default - none
   */
  readonly branchesExclude?: string[];
  /**
   * Tags whose push starts a run.
   * @default - none
   */
  readonly tags?: string[];
  /**
   * Tags whose push never starts a run.
   * @default - none
   */
  readonly tagsExclude?: string[];
  /**
   * A push starts a run only when it changes a file matching one of these.
   * @default - any file
   */
  readonly filePaths?: string[];
  /**
   * A push that changes only files matching these starts no run.
   * @default - none
   */
  readonly filePathsExclude?: string[];
}

/** Filters of a pull-request trigger. Patterns are globs; excludes win over includes. */
export interface PullRequestTriggerProps {
  /**
   * Events that start a run.
   * @default [OPENED, UPDATED]
   */
  readonly events?: PullRequestEvent[];
  /**
   * Branches the pull request targets (merges into).
   * @default - the source's branch
   */
  readonly targetBranches?: string[];
  /**
   * Target branches that never start a run.
   * @default - none
   */
  readonly targetBranchesExclude?: string[];
  /**
   * Branches the pull request comes from.
   * @default - any
   */
  readonly sourceBranches?: string[];
  /**
   * Source branches that never start a run.
   * @default - none
   */
  readonly sourceBranchesExclude?: string[];
  /**
   * A pull request starts a run only when it changes a file matching one of these.
   * @default - any file
   */
  readonly filePaths?: string[];
  /**
   * A pull request that changes only files matching these starts no run.
   * @default - none
   */
  readonly filePathsExclude?: string[];
}

/** A time schedule. */
export interface ScheduleTriggerProps {
  /**
   * Name of the schedule: a DNS-1123 label, unique among the pipeline's schedules (engines name
   * their scheduler objects after it).
   * @default 'schedule'
   */
  readonly name?: string;
  /**
   * Standard five-field cron expression: minute hour day-of-month month day-of-week, with
   * numbers, `*`, ranges (`1-5`), lists (`1,3`) and steps (`*\/15`), e.g. `0 3 * * *` (03:00 daily).
   */
  readonly cron: string;
  /**
   * IANA time zone the cron expression is read in, e.g. `Europe/Berlin`.
   * @default 'UTC'
   */
  readonly timeZone?: string;
}

/** Who may start runs by hand. */
export interface ManualTriggerProps {
  /**
   * The principals allowed to start a run by hand (IAM users and roles on CodePipeline, which
   * raises an alert when anyone else starts one; Kubernetes RBAC decides on Tekton). Engines
   * that cannot check callers say so in their docs.
   * @default - whoever the engine's access control lets start a run (no alert on CodePipeline)
   */
  readonly startedBy?: Approver[];
}

/**
 * What starts a pipeline's runs: a push, a pull request, a schedule or a person. Declare them
 * in `PipelineProps.triggers`; a stage may be limited to some kinds (`StageOptions.onlyOn`).
 * Filters are checked when the pipeline is validated (every problem at once).
 */
export class Trigger {
  /** Pushes to branches or tags (default: the source's branch). */
  public static push(props: PushTriggerProps = {}): Trigger {
    return new Trigger(TriggerKind.PUSH, {
      branches: copy(props.branches),
      branchesExclude: copy(props.branchesExclude),
      tags: copy(props.tags),
      tagsExclude: copy(props.tagsExclude),
      filePaths: copy(props.filePaths),
      filePathsExclude: copy(props.filePathsExclude),
    });
  }

  /** Pull request events (default: opened or updated, targeting the source's branch). */
  public static pullRequest(props: PullRequestTriggerProps = {}): Trigger {
    return new Trigger(TriggerKind.PULL_REQUEST, {
      events: props.events ? [...props.events] : [PullRequestEvent.OPENED, PullRequestEvent.UPDATED],
      branches: copy(props.targetBranches),
      branchesExclude: copy(props.targetBranchesExclude),
      sourceBranches: copy(props.sourceBranches),
      sourceBranchesExclude: copy(props.sourceBranchesExclude),
      filePaths: copy(props.filePaths),
      filePathsExclude: copy(props.filePathsExclude),
    });
  }

  /** A cron schedule in a time zone. */
  public static schedule(props: ScheduleTriggerProps): Trigger {
    return new Trigger(TriggerKind.SCHEDULE, {
      scheduleName: props.name ?? 'schedule',
      cron: typeof props.cron === 'string' ? props.cron.trim() : props.cron,
      timeZone: props.timeZone ?? 'UTC',
    });
  }

  /**
   * Started by a person; a run started by hand reports `manual`. `startedBy` names who may start
   * one (e.g. `Trigger.manual({ startedBy: [Approver.role('release-managers')] })`).
   */
  public static manual(props: ManualTriggerProps = {}): Trigger {
    const startedBy = props.startedBy;
    if (startedBy !== undefined) {
      if (!Array.isArray(startedBy) || startedBy.length === 0) {
        throw new Error('manual trigger startedBy is empty: name who may start runs (Approver.user, Approver.role), or leave it out');
      }
      const bad = startedBy.filter((a) => !(a instanceof Approver));
      if (bad.length > 0) {
        throw new Error(`manual trigger startedBy takes Approver values (Approver.user('alice'), Approver.role('release')), not ${bad.map((b) => JSON.stringify(b)).join(', ')}`);
      }
    }
    return new Trigger(TriggerKind.MANUAL, { startedBy: startedBy ? [...startedBy] : undefined });
  }

  /** What kind of trigger. */
  public readonly kind: TriggerKind;
  /** Branches (push) or target branches (pull request); undefined when the trigger sets none. */
  public readonly branches?: string[];
  /** Excluded branches (push) or target branches (pull request). */
  public readonly branchesExclude?: string[];
  /** Source branches of a pull request. */
  public readonly sourceBranches?: string[];
  /** Excluded source branches of a pull request. */
  public readonly sourceBranchesExclude?: string[];
  /** Tags (push). */
  public readonly tags?: string[];
  /** Excluded tags (push). */
  public readonly tagsExclude?: string[];
  /** File path filter. */
  public readonly filePaths?: string[];
  /** Excluded file paths. */
  public readonly filePathsExclude?: string[];
  /** Pull request events. */
  public readonly events?: PullRequestEvent[];
  /** Schedule name. */
  public readonly scheduleName?: string;
  /** Cron expression (schedule). */
  public readonly cron?: string;
  /** IANA time zone (schedule). */
  public readonly timeZone?: string;
  /** Who may start runs by hand (manual); undefined when the trigger does not say. */
  public readonly startedBy?: Approver[];

  private constructor(kind: TriggerKind, fields: TriggerFields) {
    this.kind = kind;
    this.branches = fields.branches;
    this.branchesExclude = fields.branchesExclude;
    this.sourceBranches = fields.sourceBranches;
    this.sourceBranchesExclude = fields.sourceBranchesExclude;
    this.tags = fields.tags;
    this.tagsExclude = fields.tagsExclude;
    this.filePaths = fields.filePaths;
    this.filePathsExclude = fields.filePathsExclude;
    this.events = fields.events;
    this.scheduleName = fields.scheduleName;
    this.cron = fields.cron;
    this.timeZone = fields.timeZone;
    this.startedBy = fields.startedBy;
  }

  /** The word steps see in `GATEHOUSE_TRIGGER`: `push`, `pull_request`, `schedule` or `manual`. */
  public get word(): string {
    return triggerWord(this.kind);
  }

  /**
   * This trigger with `branch` as its branch filter when it has none (a push without branches or
   * tags, a pull request without target branches); itself otherwise.
   */
  public withDefaultBranch(branch: string | undefined): Trigger {
    if (branch === undefined) return this;
    if (this.kind === TriggerKind.PUSH && !this.branches && !this.tags) {
      return new Trigger(this.kind, { ...this.fields(), branches: [branch] });
    }
    if (this.kind === TriggerKind.PULL_REQUEST && !this.branches) {
      return new Trigger(this.kind, { ...this.fields(), branches: [branch] });
    }
    return this;
  }

  private fields(): TriggerFields {
    const { kind: _kind, ...rest } = this;
    return rest;
  }
}

/** `push`, `pull_request`, `schedule` or `manual`: the value of `GATEHOUSE_TRIGGER`. */
export function triggerWord(kind: TriggerKind): string {
  return kind.toLowerCase();
}

/** Every trigger kind, in a fixed order. */
export const TRIGGER_KINDS: TriggerKind[] = [TriggerKind.PUSH, TriggerKind.PULL_REQUEST, TriggerKind.SCHEDULE, TriggerKind.MANUAL];

/** The fields of a trigger besides its kind. */
interface TriggerFields {
  readonly branches?: string[];
  readonly branchesExclude?: string[];
  readonly sourceBranches?: string[];
  readonly sourceBranchesExclude?: string[];
  readonly tags?: string[];
  readonly tagsExclude?: string[];
  readonly filePaths?: string[];
  readonly filePathsExclude?: string[];
  readonly events?: PullRequestEvent[];
  readonly scheduleName?: string;
  readonly cron?: string;
  readonly timeZone?: string;
  readonly startedBy?: Approver[];
}

function copy(list: string[] | undefined): string[] | undefined {
  return list === undefined ? undefined : [...list];
}

/**
 * Who may start runs by hand, from the manual triggers that say (`startedBy`), each principal
 * once; undefined when none says (whoever the engine's access control allows).
 */
export function manualStartersOf(triggers: Trigger[]): Approver[] | undefined {
  const named = triggers.filter((t) => t.kind === TriggerKind.MANUAL && t.startedBy !== undefined);
  if (named.length === 0) return undefined;
  const seen = new Map<string, Approver>();
  for (const a of named.flatMap((t) => t.startedBy!)) seen.set(`${a.kind}:${a.name}`, a);
  return [...seen.values()];
}
