import { ApprovalOptions, ApprovalStep } from './approval-step';
import { CommandStep } from './command-step';
import { RunCondition } from './failure';
import { GatePolicy } from './gate-policy';
import { ScanCategory, ScanStep } from './scan-step';
import { Step } from './step';
import { TriggerKind } from './trigger';

/** What a stage is for. Engines and policies read it (e.g. "approval before prod"). */
export enum StageKind {
  /** Build the application. */
  BUILD = 'BUILD',
  /** Run tests. */
  TEST = 'TEST',
  /** Security scans (SAST, SCA, SBOM, secrets, image, IaC, DAST, compliance): OAST. */
  SECURITY = 'SECURITY',
  /** Integration tests against a running system. */
  INTEGRATION = 'INTEGRATION',
  /** Manual approval. */
  APPROVAL = 'APPROVAL',
  /** Deploy to an environment. */
  DEPLOY = 'DEPLOY',
}

/** Options common to every stage. */
export interface StageOptions {
  /**
   * Steps of the stage; more can be added with `addStep`.
   * @default - none (a stage must have at least one step before synth)
   */
  readonly steps?: Step[];
  /**
   * Names of the stages that must finish before this one (CircleCI's `requires`). When unset,
   * the stage follows the stage declared before it; an empty list makes it start with the
   * pipeline, in parallel with other such stages.
   * @default - the previous stage
   */
  readonly requires?: string[];
  /**
   * One gate over the reports of every scan step of the stage (one deduplicated verdict), run
   * after all of them. Scan steps keep their own gates unless they set `gated: false`.
   * @default - no stage gate
   */
  readonly gate?: GatePolicy;
  /**
   * When the stage runs: `RunCondition.ALWAYS` makes every step of it run always (at the end of
   * the run, after a failure too). Such a stage holds command steps only, no gate, and is declared
   * after every other stage; no stage may require it.
   * @default RunCondition.ON_SUCCESS
   */
  readonly runs?: RunCondition;
  /**
   * The triggers the stage runs on; on any other trigger it is skipped (and the stages after it
   * go on). An allow-list, so that a trigger added to the pipeline later does not reach the stage
   * unseen: e.g. `[TriggerKind.PUSH]` for a deploy stage (deploy and approval stages never run
   * for a pull request: `Pipeline.validate` refuses that).
   * @default - every trigger of the pipeline
   */
  readonly onlyOn?: TriggerKind[];
}

/** Options of a deploy stage. */
export interface DeployStageOptions extends StageOptions {
  /** Environment name, e.g. `staging` or `prod`. */
  readonly environment: string;
}

/** Properties of a stage. */
export interface StageProps extends StageOptions {
  /** Stage name: a DNS-1123 label of at most 30 characters, unique in the pipeline (checked by `Pipeline.validate`). */
  readonly name: string;
  /** What the stage is for. */
  readonly kind: StageKind;
  /**
   * Environment name (deploy stages).
   * @default - none
   */
  readonly environment?: string;
}

/** A named group of steps that run together. */
export class Stage {
  /** A build stage. */
  public static buildStage(name: string, options: StageOptions = {}): Stage {
    return new Stage({ ...options, name, kind: StageKind.BUILD });
  }

  /** A test stage. */
  public static testStage(name: string, options: StageOptions = {}): Stage {
    return new Stage({ ...options, name, kind: StageKind.TEST });
  }

  /** A security (OAST) stage. */
  public static securityStage(name: string, options: StageOptions = {}): Stage {
    return new Stage({ ...options, name, kind: StageKind.SECURITY });
  }

  /** An integration stage. */
  public static integrationStage(name: string, options: StageOptions = {}): Stage {
    return new Stage({ ...options, name, kind: StageKind.INTEGRATION });
  }

  /** A stage holding one manual approval step named `approve`. */
  public static approvalStage(name: string, approval: ApprovalStageOptions): Stage {
    const { requires, onlyOn, ...step } = approval;
    return new Stage({
      name,
      kind: StageKind.APPROVAL,
      requires,
      onlyOn,
      steps: [new ApprovalStep({ name: 'approve', ...step })],
    });
  }

  /** A deploy stage for an environment. */
  public static deployStage(name: string, options: DeployStageOptions): Stage {
    return new Stage({ ...options, name, kind: StageKind.DEPLOY });
  }

  /** Stage name. */
  public readonly name: string;
  /** What the stage is for. */
  public readonly kind: StageKind;
  /** Environment (deploy stages). */
  public readonly environment?: string;
  /** Explicit `requires`, or undefined for "after the previous stage". */
  public readonly requires?: string[];
  /** Stage gate over all scan reports of the stage, if any. */
  public readonly gate?: GatePolicy;
  /** When the stage runs. */
  public readonly runs: RunCondition;
  /** The triggers the stage runs on, or undefined for every trigger. */
  public readonly onlyOn?: TriggerKind[];
  private readonly _steps: Step[] = [];
  private _renderedBy?: string;

  constructor(props: StageProps) {
    if (!Object.values(StageKind).includes(props.kind)) {
      throw new Error(`stage "${props.name}" has unknown kind "${props.kind}": use a StageKind value`);
    }
    if (props.kind === StageKind.DEPLOY) {
      if (!props.environment) {
        throw new Error(`deploy stage "${props.name}" has no environment: give one, e.g. "prod"`);
      }
    }
    this.name = props.name;
    this.kind = props.kind;
    this.environment = props.environment;
    this.requires = props.requires ? [...props.requires] : undefined;
    this.gate = props.gate;
    if (props.runs !== undefined && !Object.values(RunCondition).includes(props.runs)) {
      throw new Error(`stage "${props.name}" runs "${props.runs}" is not a RunCondition: use RunCondition.ON_SUCCESS or RunCondition.ALWAYS`);
    }
    this.runs = props.runs ?? RunCondition.ON_SUCCESS;
    for (const k of props.onlyOn ?? []) {
      if (!Object.values(TriggerKind).includes(k)) {
        throw new Error(`stage "${props.name}" onlyOn "${k}" is not a TriggerKind: use TriggerKind.PUSH, PULL_REQUEST, SCHEDULE or MANUAL`);
      }
    }
    this.onlyOn = props.onlyOn ? [...new Set(props.onlyOn)] : undefined;
    for (const s of props.steps ?? []) {
      this.addStep(s);
    }
  }

  /** Whether the stage runs on a trigger of this kind. */
  public runsOn(kind: TriggerKind): boolean {
    return this.onlyOn === undefined || this.onlyOn.includes(kind);
  }

  /** Steps in definition order. */
  public get steps(): Step[] {
    return [...this._steps];
  }

  /** Adds a step; returns this stage. */
  public addStep(step: Step): Stage {
    if (!(step instanceof Step)) {
      throw new Error(`stage "${this.name}": addStep takes a Step (e.g. new CommandStep({...}))`);
    }
    if (this._renderedBy) {
      throw new Error(
        `stage "${this.name}" was already rendered by ${this._renderedBy}, which would not see the change: add steps before creating the engine`,
      );
    }
    this._steps.push(step);
    return this;
  }

  /**
   * Freezes the stage (see `Pipeline._freeze`).
   * @internal
   */
  public _freeze(renderedBy: string): void {
    this._renderedBy ??= renderedBy;
  }

  /** Whether `step` (of this stage) runs always: it says so, or the stage does. */
  public runsAlways(step: Step): boolean {
    return this.runs === RunCondition.ALWAYS || (step instanceof CommandStep && step.runs === RunCondition.ALWAYS);
  }

  /**
   * Whether the whole stage runs always: it says so, or every one of its steps does. Such a stage
   * is not part of the ordered graph: its steps run at the end of the run.
   */
  public isAlways(): boolean {
    return this.runs === RunCondition.ALWAYS || (this._steps.length > 0 && this._steps.every((s) => this.runsAlways(s)));
  }

  /**
   * The scan steps whose reports the stage gate decides over: every scan step of the stage, gated
   * or not, except ungated supply-chain steps (a signature or attestation record holds no findings).
   * Every engine gates the same scans.
   */
  public gateScans(): ScanStep[] {
    return this._steps.filter((s): s is ScanStep => s instanceof ScanStep && (s.gate !== undefined || s.category !== ScanCategory.SUPPLY_CHAIN));
  }

  /** Whether a gate runs in this stage: the stage gate, or the gate of one of its scan steps. */
  public hasGates(): boolean {
    return this.gate !== undefined || this._steps.some((s) => s instanceof ScanStep && s.gate !== undefined);
  }
}

/** Options of an approval stage. */
export interface ApprovalStageOptions extends ApprovalOptions {
  /**
   * Names of the stages that must finish first.
   * @default - the previous stage
   */
  readonly requires?: string[];
  /**
   * The triggers the approval stage runs on (see `StageOptions.onlyOn`).
   * @default - every trigger of the pipeline
   */
  readonly onlyOn?: TriggerKind[];
}
