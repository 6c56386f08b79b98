import { ShellResult } from '../process';
import { LocalRunnerKind } from '../records';

export { LocalRunnerKind };

/** What a runner needs to know of a command step before the run (to prepare its image). */
export interface StepPlan {
  /** `stage/step`. */
  readonly id: string;
  /** The image the step names (`pipeline.imageOf(step)`). */
  readonly image: string;
  /** The shell the step's commands run with. */
  readonly shell: string;
  /** Names of the step's secret variables (never their values). */
  readonly secretNames: string[];
}

/** One attempt of a command step. */
export interface StepRun {
  /** `stage/step`. */
  readonly id: string;
  /** The commands, one a line, run with `<shell> -e -c`. */
  readonly script: string;
  readonly shell: string;
  /** The image the step names. */
  readonly image: string;
  /** Whether the step asks for privileged mode. */
  readonly privileged: boolean;
  /** The environment of this process (the host runner's base; the container runtime's own). */
  readonly baseEnv: { [name: string]: string | undefined };
  /** The step's plain variables: the pipeline's default env, then the step's. */
  readonly env: { [name: string]: string };
  /** The step's secret variables and their values. */
  readonly secrets: ReadonlyMap<string, string>;
  /** The folder the step runs in. */
  readonly workspace: string;
  readonly timeoutMs: number;
  /** Receives the step's output (and the runner's own notes). */
  readonly output: (text: string) => void;
  readonly cancel: AbortSignal;
}

/** Runs command steps: on this machine, or in containers. */
export interface Runner {
  /** `host` or `container`. */
  readonly name: string;
  /** Lines the run says once, before the first step. */
  readonly notes: string[];
  /** Runs one attempt of a step. */
  run(step: StepRun): Promise<ShellResult>;
  /** The image a step runs in as recorded in run.json (by digest), if the runner uses images. */
  imageOf(image: string): string | undefined;
}
