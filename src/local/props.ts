import { Pipeline, TriggerKind } from '../core';
import { LocalRunnerKind } from './runners';

/** Properties of a local engine. */
export interface LocalEngineProps {
  /** The pipeline to run. */
  readonly pipeline: Pipeline;
  /**
   * The source folder the pipeline builds (the repository).
   * @default - the current folder
   */
  readonly sourceDir?: string;
  /**
   * Run the steps in the source folder itself instead of a fresh copy of it.
   * @default false
   */
  readonly inPlace?: boolean;
  /**
   * Folder that holds the run folders.
   * @default - `.gatehouse/runs` in the source folder
   */
  readonly runsDir?: string;
  /**
   * How many steps run at the same time.
   * @default - the number of CPUs
   */
  readonly jobs?: number;
  /**
   * Env file (`NAME=value` lines) secrets are read from before the environment.
   * @default - the environment only
   */
  readonly envFile?: string;
  /**
   * The environment steps inherit and secrets are read from.
   * @default - this process's environment
   */
  readonly env?: { [name: string]: string };
  /**
   * What the run is started as: stages limited to other triggers (`onlyOn`) are skipped, and
   * every step sees it as `GATEHOUSE_TRIGGER`. A trigger the pipeline does not declare is
   * refused, except MANUAL (a person may always start a run).
   * @default TriggerKind.MANUAL - a person runs it here
   */
  readonly trigger?: TriggerKind;
  /**
   * Run only these stages (the stages they require are not run: use it to run one stage again).
   * @default - every stage
   */
  readonly stages?: string[];
  /**
   * Run only these steps (`stage/step`), of the selected stages; the others are not run and
   * count as done for what depends on them. Stage gates run only with every step of their stage.
   * @default - every step of the selected stages
   */
  readonly steps?: string[];
  /**
   * Stages whose approvals and manual interventions are approved in advance.
   * @default - none
   */
  readonly approve?: string[];
  /**
   * Approve every approval and manual intervention in advance.
   * @default false
   */
  readonly approveAll?: boolean;
  /**
   * Stages whose approvals and manual interventions are rejected in advance.
   * @default - none
   */
  readonly reject?: string[];
  /**
   * Ask on the terminal when an approval has no decision. Without it, such a run stops as
   * WAITING_FOR_APPROVAL.
   * @default - when standard input and standard error are terminals
   */
  readonly interactive?: boolean;
  /**
   * Timeout of every command step, in seconds, in place of the pipeline's (minutes).
   * @default - each step's own timeout
   */
  readonly stepTimeoutSeconds?: number;
  /**
   * Print nothing (the run folder's `run.log` still holds every line).
   * @default false
   */
  readonly silent?: boolean;
  /**
   * Where command steps run: `host` (a shell on this machine), `container` (each step in its
   * image with podman or docker) or `auto` (container when a runtime answers and can run the
   * steps' images, else host; the run says which).
   * @default LocalRunnerKind.AUTO
   */
  readonly runner?: LocalRunnerKind;
  /**
   * The container runtime program (`podman`, `docker` or a path).
   * @default - podman, then docker: the first that answers
   */
  readonly containerRuntime?: string;
  /**
   * The bundled gatehouse gate to run after scan steps.
   * @default - `gatehouse.js` of this package
   */
  readonly gateCli?: string;
}
