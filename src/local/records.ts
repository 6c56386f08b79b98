/** Which runner a run asks for. */
export enum LocalRunnerKind {
  /** Each step's commands in a shell on this machine; the step's image is not used. */
  HOST = 'host',
  /** Each step in its image (by digest) with docker or podman, the workspace mounted. */
  CONTAINER = 'container',
  /** The container runner when docker or podman answers and can run the steps' images, else host. */
  AUTO = 'auto',
}

/** How a local run ended. */
export enum LocalRunStatus {
  /** Every selected step and gate passed (allowed failures and ignored gates are recorded). */
  SUCCEEDED = 'SUCCEEDED',
  /** A step or a gate failed, or an approval was rejected. */
  FAILED = 'FAILED',
  /** Nothing failed, but an approval (or a manual intervention) has no decision yet. */
  WAITING_FOR_APPROVAL = 'WAITING_FOR_APPROVAL',
  /** The run was cancelled (Ctrl-C). */
  CANCELLED = 'CANCELLED',
}

/** What became of one step, gate or approval. */
export enum LocalStepStatus {
  /** It ran and passed (an approval: approved). */
  SUCCEEDED = 'SUCCEEDED',
  /** It failed (an approval: rejected). */
  FAILED = 'FAILED',
  /** It failed with `allowFailure`: recorded, and the pipeline went on. */
  ALLOWED_FAILURE = 'ALLOWED_FAILURE',
  /** It did not run: something it depends on failed, waits or was not selected to run. */
  SKIPPED = 'SKIPPED',
  /** It waits for an approval decision (`--approve STAGE` / `--reject STAGE`). */
  WAITING_FOR_APPROVAL = 'WAITING_FOR_APPROVAL',
  /** Its stage was not selected (`--stage`). */
  NOT_SELECTED = 'NOT_SELECTED',
  /** Its stage does not run on the run's trigger (`onlyOn`); what follows goes on. */
  SKIPPED_BY_TRIGGER = 'SKIPPED_BY_TRIGGER',
  /** The run was cancelled before or while it ran. */
  CANCELLED = 'CANCELLED',
}

/** One gate run: after a scan step, or the stage gate. */
export interface LocalGateRecord {
  /** `PASSED`, `FAILED`, or `ERROR` (the gate could not decide: bad input). */
  readonly verdict: string;
  /** The gate's failure strategy (`FAIL`, `IGNORE`, `MANUAL_INTERVENTION`). */
  readonly failureStrategy: string;
  /** Open findings per severity, as the gate emitted them. */
  readonly counts: { [severity: string]: number };
  /** The gate's exit code. */
  readonly exitCode: number;
  /** The gate's outputs (SARIF, JSON, JUnit, Markdown), relative to the run folder. */
  readonly outputs: string;
  /** For a failed MANUAL_INTERVENTION gate: `approved`, `rejected` or `waiting`. @default - none */
  readonly intervention?: string;
}

/** One step of the run (a command, scan or approval step, or a stage gate, named `stage-gate`). */
export interface LocalStepRecord {
  /** Stage name. */
  readonly stage: string;
  /** Step name (`stage-gate` for the stage gate). */
  readonly step: string;
  /** `command`, `scan`, `approval` or `stage-gate`. */
  readonly kind: string;
  readonly status: LocalStepStatus;
  /** ISO time it started. @default - it did not start */
  readonly startedAt?: string;
  /** ISO time it ended. @default - it did not start */
  readonly endedAt?: string;
  /** Milliseconds it took (every attempt). @default - it did not start */
  readonly durationMs?: number;
  /** The image it names, when it ran in a container. @default - none (host runner) */
  readonly image?: string;
  /** The id (`sha256:...`) of the image it ran in, resolved once before the run. @default - none (host runner) */
  readonly imageId?: string;
  /** Exit code of the last attempt. @default - none */
  readonly exitCode?: number;
  /** Attempts made (1 + retries used). */
  readonly attempts: number;
  /** Whether its timeout ended it. */
  readonly timedOut: boolean;
  /** Its log, relative to the run folder. @default - none */
  readonly log?: string;
  /** Report files kept (relative to the run folder), even when it failed. */
  readonly reports: string[];
  /** The gate that followed it (or the stage gate). @default - none */
  readonly gate?: LocalGateRecord;
  /**
   * For an approval, or a failed step whose failure strategy is MANUAL_INTERVENTION: `approved`,
   * `rejected`, `waiting` (or `timed-out` for a step).
   * @default - none
   */
  readonly decision?: string;
  /** For a step that runs always: how the run stood when it started (`succeeded` or `failed`). @default - none */
  readonly pipelineStatus?: string;
  /** Why it was skipped, failed or waits. @default - none */
  readonly message?: string;
}

/** One stage of the run. */
export interface LocalStageRecord {
  readonly name: string;
  readonly status: LocalStepStatus;
}

/** What a local run did: `run.json` in its run folder holds the same. */
export interface LocalRunResult {
  /** Run id (the run folder's name). */
  readonly runId: string;
  /** Absolute path of the run folder. */
  readonly runDir: string;
  /** Absolute path of the folder the steps ran in. */
  readonly workspace: string;
  readonly pipeline: string;
  /** The runner that ran the command steps: `host` or `container`. */
  readonly runner: string;
  readonly status: LocalRunStatus;
  /** The exit code of `gatehouse run`: 0 succeeded, 1 otherwise. */
  readonly exitCode: number;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly durationMs: number;
  readonly stages: LocalStageRecord[];
  readonly steps: LocalStepRecord[];
}
