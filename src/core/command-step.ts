import { OutputArtifact, Report, ReportFormat, SecretEnv } from './artifacts';
import { OnFailure, RunCondition } from './failure';
import { FailureStrategy } from './gate-policy';
import { PlatformForm, StepPlatform } from './security-context';
import { Step, StepProps } from './step';

/** Properties of a command step. */
export interface CommandStepProps extends StepProps {
  /** Shell commands, run in order with `set -e` semantics: the first failure fails the step. */
  readonly commands: string[];
  /**
   * Container image that runs the commands.
   * @default - the pipeline's default image
   */
  readonly image?: string;
  /**
   * Plain environment variables (never secrets: use `secrets`).
   * @default - the pipeline's default env only
   */
  readonly env?: { [name: string]: string };
  /**
   * Environment variables filled from secrets at run time.
   * @default - none
   */
  readonly secrets?: SecretEnv[];
  /**
   * Artifacts from earlier steps this step reads (by name).
   * @default - only the source
   */
  readonly inputs?: string[];
  /**
   * Artifacts this step produces.
   * @default - none
   */
  readonly outputs?: OutputArtifact[];
  /**
   * Report files, kept even when the step fails (CircleCI `store_artifacts` with `when: always`).
   * @default - none
   */
  readonly reports?: Report[];
  /**
   * Timeout of the step in minutes.
   * @default - the pipeline default (60)
   */
  readonly timeoutMinutes?: number;
  /**
   * How many times a failed step is retried.
   * @default 0
   */
  readonly retries?: number;
  /**
   * Record the failure and go on (the seed's `|| true`, but honest: the failure stays visible).
   * The same as `onFailure: OnFailure.ignore()`.
   * @default false
   */
  readonly allowFailure?: boolean;
  /**
   * What happens when the step fails after its retries: `OnFailure.fail()`, `OnFailure.ignore()`
   * (the real status is recorded, the run goes on) or `OnFailure.manualIntervention({...})`
   * (approvers let the run go on; reject or timeout abort it).
   * @default - OnFailure.ignore() with allowFailure, else OnFailure.fail()
   */
  readonly onFailure?: OnFailure;
  /**
   * When the step runs: `RunCondition.ALWAYS` runs it at the end of the run, after every other
   * step, whether the run failed or not (notify, clean up). Its environment has
   * `GATEHOUSE_PIPELINE_STATUS` (`succeeded` or `failed`).
   * @default RunCondition.ON_SUCCESS
   */
  readonly runs?: RunCondition;
  /**
   * Run with elevated privileges (CodeBuild privileged mode). Off unless a step asks.
   * @default false
   */
  readonly privileged?: boolean;
  /**
   * Shell that runs the commands inside the image (e.g. `/busybox/sh` in distroless debug images).
   * @default '/bin/sh'
   */
  readonly shell?: string;
  /**
   * Folders engines may cache between runs (dependency and vulnerability-database caches).
   * @default - none
   */
  readonly cacheDirs?: string[];
  /**
   * Other forms of the step on one platform (image, commands, env, a typed security-context
   * exception), for work no single form runs with the least privilege on every engine.
   * @default - none: the step runs as written everywhere
   */
  readonly platformForms?: PlatformForm[];
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A step that runs shell commands in a container image. */
export class CommandStep extends Step {
  /** Shell commands. */
  public readonly commands: string[];
  /** Image, if set on the step. */
  public readonly image?: string;
  /** Plain environment variables. */
  public readonly env: { [name: string]: string };
  /** Secret environment variables. */
  public readonly secrets: SecretEnv[];
  /** Input artifact names. */
  public readonly inputs: string[];
  /** Output artifacts. */
  public readonly outputs: OutputArtifact[];
  /** Reports kept even on failure. */
  public readonly reports: Report[];
  /** Timeout in minutes, if set on the step. */
  public readonly timeoutMinutes?: number;
  /** Retries after a failure. */
  public readonly retries: number;
  /** Whether a failure lets the pipeline go on (`onFailure` is IGNORE). */
  public readonly allowFailure: boolean;
  /** What happens when the step fails. */
  public readonly onFailure: OnFailure;
  /** When the step runs (its stage's `runs` may make it ALWAYS too: see `Stage.runsAlways`). */
  public readonly runs: RunCondition;
  /** Whether the step runs privileged. */
  public readonly privileged: boolean;
  /** Shell that runs the commands. */
  public readonly shell: string;
  /** Folders engines may cache between runs. */
  public readonly cacheDirs: string[];
  /** Forms of the step on given platforms. */
  public readonly platformForms: PlatformForm[];

  constructor(props: CommandStepProps) {
    super(props);
    const where = `step "${props.name}"`;
    if (!Array.isArray(props.commands) || props.commands.length === 0) {
      throw new Error(`${where} has no commands: give at least one shell command`);
    }
    props.commands.forEach((c, i) => {
      if (typeof c !== 'string' || c.trim().length === 0) {
        throw new Error(`${where} command ${i + 1} is empty: remove it or give a shell command`);
      }
    });
    if (props.image !== undefined && props.image.trim().length === 0) {
      throw new Error(`${where} image is empty: give an image reference or leave it out`);
    }
    for (const [k, v] of Object.entries(props.env ?? {})) {
      if (!ENV_NAME.test(k)) {
        throw new Error(`${where} env name "${k}" is not a valid variable name: use letters, digits and "_"`);
      }
      if (typeof v !== 'string') {
        throw new Error(`${where} env "${k}" must be a string`);
      }
    }
    const secretVars = new Set<string>();
    for (const s of props.secrets ?? []) {
      if (!ENV_NAME.test(s.variable)) {
        throw new Error(`${where} secret variable "${s.variable}" is not a valid variable name: use letters, digits and "_"`);
      }
      if (!s.secretName || s.secretName.trim().length === 0) {
        throw new Error(`${where} secret "${s.variable}" has no secretName: name the secret that holds the value`);
      }
      if (props.env && s.variable in props.env) {
        throw new Error(`${where} variable "${s.variable}" is both in env and in secrets: keep it in secrets only`);
      }
      if (secretVars.has(s.variable)) {
        throw new Error(`${where} secret variable "${s.variable}" is declared twice: keep one`);
      }
      secretVars.add(s.variable);
    }
    const t = props.timeoutMinutes;
    if (t !== undefined && !(Number.isInteger(t) && t >= 1 && t <= 2160)) {
      throw new Error(`${where} timeoutMinutes ${props.timeoutMinutes} is out of range: use a whole number from 1 to 2160`);
    }
    if (props.retries !== undefined && !(Number.isInteger(props.retries) && props.retries >= 0 && props.retries <= 10)) {
      throw new Error(`${where} retries ${props.retries} is out of range: use a whole number from 0 to 10`);
    }
    const reportNames = new Set<string>();
    for (const r of props.reports ?? []) {
      if (reportNames.has(r.name)) {
        throw new Error(`${where} has two reports named "${r.name}": give each report its own name`);
      }
      reportNames.add(r.name);
      if (!r.paths || r.paths.length === 0) {
        throw new Error(`${where} report "${r.name}" has no paths: list the files the step writes`);
      }
    }
    for (const o of props.outputs ?? []) {
      if (!o.paths || o.paths.length === 0) {
        throw new Error(`${where} output artifact "${o.name}" has no paths: list the files it holds`);
      }
    }
    this.commands = [...props.commands];
    this.image = props.image;
    this.env = { ...(props.env ?? {}) };
    this.secrets = [...(props.secrets ?? [])];
    this.inputs = [...(props.inputs ?? [])];
    this.outputs = [...(props.outputs ?? [])];
    this.reports = (props.reports ?? []).map((r) => ({ ...r, format: r.format ?? ReportFormat.OTHER }));
    this.timeoutMinutes = props.timeoutMinutes;
    this.retries = props.retries ?? 0;
    if (props.onFailure !== undefined && !(props.onFailure instanceof OnFailure)) {
      throw new Error(`${where} onFailure is not an OnFailure: use OnFailure.fail(), OnFailure.ignore() or OnFailure.manualIntervention({...})`);
    }
    if (props.allowFailure && props.onFailure && props.onFailure.strategy !== FailureStrategy.IGNORE) {
      throw new Error(`${where} sets allowFailure and onFailure ${props.onFailure.strategy}: keep onFailure and drop allowFailure`);
    }
    if (props.runs !== undefined && !Object.values(RunCondition).includes(props.runs)) {
      throw new Error(`${where} runs "${props.runs}" is not a RunCondition: use RunCondition.ON_SUCCESS or RunCondition.ALWAYS`);
    }
    this.onFailure = props.onFailure ?? (props.allowFailure ? OnFailure.ignore() : OnFailure.fail());
    this.allowFailure = this.onFailure.strategy === FailureStrategy.IGNORE;
    this.runs = props.runs ?? RunCondition.ON_SUCCESS;
    this.privileged = props.privileged ?? false;
    if (props.shell !== undefined && !/^\/[A-Za-z0-9._/-]+$/.test(props.shell)) {
      throw new Error(`${where} shell "${props.shell}" is not an absolute path like /bin/sh`);
    }
    this.shell = props.shell ?? '/bin/sh';
    for (const d of props.cacheDirs ?? []) {
      if (!/^[A-Za-z0-9._/${}-]+$/.test(d)) {
        throw new Error(`${where} cache dir "${d}" has spaces or shell characters: use a plain path`);
      }
    }
    this.cacheDirs = [...(props.cacheDirs ?? [])];
    const platforms = new Set<string>();
    for (const f of props.platformForms ?? []) {
      if (!(f instanceof PlatformForm)) throw new Error(`${where} platform form is not a PlatformForm: use new PlatformForm({ platform, ... })`);
      if (platforms.has(f.platform)) throw new Error(`${where} has two forms for ${f.platform}: keep one`);
      platforms.add(f.platform);
    }
    this.platformForms = [...(props.platformForms ?? [])];
  }

  /** The step's form on `platform`, if it has one. */
  public formFor(platform: StepPlatform): PlatformForm | undefined {
    return this.platformForms.find((f) => f.platform === platform);
  }

  /** The commands on `platform` (the form's, else the step's). */
  public commandsFor(platform?: StepPlatform): string[] {
    return (platform !== undefined ? this.formFor(platform)?.commands : undefined) ?? this.commands;
  }

  public get kind(): string {
    return 'command';
  }
}
