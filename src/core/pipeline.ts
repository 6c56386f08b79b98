import { CommandStep } from './command-step';
import { PipelineDocument, PipelineDocumentOptions } from './document';
import { pipelineValidationError, ValidationIssue } from './errors';
import { DEFAULT_GATE_IMAGE } from './gate-runner';
import { PipelineGraph } from './graph';
import { pipelineToDot, pipelineToMermaid } from './graph-render/text';
import { IPolicyPack, PolicyWaiver } from './policy-hook';
import { StepPlatform } from './security-context';
import { Source } from './source';
import { Stage } from './stage';
import { Trigger, TriggerKind } from './trigger';
import { modelIssues } from './validation/rules';

/** Defaults applied to every command step that does not set its own. */
export interface PipelineDefaults {
  /**
   * Container image of command steps.
   * @default DEFAULT_IMAGE (Python 3.12 on Debian 12, pinned by digest)
   */
  readonly image?: string;
  /**
   * Environment variables of every command step (a step's own env wins).
   * @default - none
   */
  readonly env?: { [name: string]: string };
  /**
   * Timeout of command steps, in minutes.
   * @default 60
   */
  readonly timeoutMinutes?: number;
  /**
   * Image that runs the bundled gatehouse gate after scan steps (Node.js 20 or later). On
   * CodePipeline the gate script also uses the AWS CLI v2 (`aws s3 cp`): an image set here must
   * have it too; left unset, CodePipeline gates run in CodeBuild's managed image, which has both.
   * @default DEFAULT_GATE_IMAGE (node 22 slim, pinned by digest); on CodePipeline, CodeBuild's
   * managed Amazon Linux 2023 image with Node.js 22
   */
  readonly gateImage?: string;
}

/** Properties of a pipeline. */
export interface PipelineProps {
  /** Pipeline name: a DNS-1123 label of at most 40 characters (checked by `validate`). */
  readonly name: string;
  /** Where the code comes from. */
  readonly source: Source;
  /**
   * Stages, in order; more can be added with `addStage`.
   * @default - none (at least one is required before synth)
   */
  readonly stages?: Stage[];
  /**
   * Defaults for command steps.
   * @default - see PipelineDefaults
   */
  readonly defaults?: PipelineDefaults;
  /**
   * Policy packs every engine evaluates over the pipeline's document before rendering it
   * (e.g. `policy.PolicyPack.fromFile(...)`); more can be attached with `addPolicyPack`. Packs
   * cannot be detached.
   * @default - none
   */
  readonly policyPacks?: IPolicyPack[];
  /**
   * Signed waivers of rules of the attached packs.
   * @default - none
   */
  readonly policyWaivers?: PolicyWaiver[];
  /**
   * What starts runs: pushes, pull requests, schedules, a person. A push without branches or
   * tags, and a pull request without target branches, take the source's branch.
   * @default [Trigger.push()] - pushes to the source's branch
   */
  readonly triggers?: Trigger[];
}

/**
 * The image command steps use when neither they nor the pipeline name one: Python 3.12.7 on
 * Debian 12 from the ECR Public mirror of the Docker official images (same digests as Docker Hub,
 * no Docker Hub pull limits), pinned by the digest the catalog's `ScannerImage.PYTHON` cites
 * (nalabelle/build: images/digests.Dockerfile, Renovate-pinned).
 */
export const DEFAULT_IMAGE = 'public.ecr.aws/docker/library/python:3.12.7-slim-bookworm@sha256:032c52613401895aa3d418a4c563d2d05f993bc3ecc065c8f4e2280978acd249';

/** Default command step timeout, in minutes. */
export const DEFAULT_TIMEOUT_MINUTES = 60;

/**
 * An engine-neutral DevSecOps pipeline: a source and a DAG of stages. Plain data: render it with
 * an engine (`codepipeline.CodePipelineEngine`, `tekton.TektonEngine`).
 */
export class Pipeline {
  /** Pipeline name. */
  public readonly name: string;
  /** Source repository. */
  public readonly source: Source;
  /** Default image of command steps. */
  public readonly defaultImage: string;
  /** Default env of command steps. */
  public readonly defaultEnv: { [name: string]: string };
  /** Default timeout of command steps, in minutes. */
  public readonly defaultTimeoutMinutes: number;
  /** Image that runs the gatehouse gate. */
  public readonly gateImage: string;
  /** What starts runs (branch filters resolved against the source's branch). */
  public readonly triggers: Trigger[];
  private readonly _stages: Stage[] = [];
  private readonly _packs: IPolicyPack[] = [];
  private readonly _waivers: PolicyWaiver[] = [];
  private _renderedBy?: string;

  constructor(props: PipelineProps) {
    if (!(props.source instanceof Source)) {
      throw new Error(`pipeline "${props.name}" has no source: use Source.gitHub({...}) or another Source factory`);
    }
    const t = props.defaults?.timeoutMinutes ?? DEFAULT_TIMEOUT_MINUTES;
    if (!Number.isInteger(t) || t < 1 || t > 2160) {
      throw new Error(`pipeline "${props.name}" default timeoutMinutes ${t} is out of range: use a whole number from 1 to 2160`);
    }
    this.name = props.name;
    this.source = props.source;
    this.defaultImage = props.defaults?.image ?? DEFAULT_IMAGE;
    this.defaultEnv = { ...(props.defaults?.env ?? {}) };
    this.defaultTimeoutMinutes = t;
    this.gateImage = props.defaults?.gateImage ?? DEFAULT_GATE_IMAGE;
    if (this.gateImage.trim().length === 0 || /\s/.test(this.gateImage)) {
      throw new Error(`pipeline "${props.name}" gateImage "${this.gateImage}" is not an image reference`);
    }
    for (const trigger of props.triggers ?? []) {
      if (!(trigger instanceof Trigger)) {
        throw new Error(`pipeline "${props.name}": triggers take Trigger values (e.g. Trigger.push(), Trigger.pullRequest())`);
      }
    }
    this.triggers = (props.triggers ?? [Trigger.push()]).map((trigger) => trigger.withDefaultBranch(props.source.branch));
    for (const s of props.stages ?? []) {
      this.addStage(s);
    }
    for (const p of props.policyPacks ?? []) this.addPolicyPack(p);
    for (const w of props.policyWaivers ?? []) this.addPolicyWaiver(w);
  }

  /** Policy packs attached to the pipeline, in the order attached. */
  public get policyPacks(): IPolicyPack[] {
    return [...this._packs];
  }

  /** Waivers attached to the pipeline. */
  public get policyWaivers(): PolicyWaiver[] {
    return [...this._waivers];
  }

  /** Attaches a policy pack (once per name); returns this pipeline. Packs cannot be detached. */
  public addPolicyPack(pack: IPolicyPack): Pipeline {
    this.assertOpen('attach policy packs');
    if (!pack || typeof pack.evaluateDocument !== 'function' || typeof pack.packName !== 'string') {
      throw new Error(`pipeline "${this.name}": addPolicyPack takes a policy pack (e.g. policy.PolicyPack.fromFile("acme.yaml"))`);
    }
    if (!this._packs.some((p) => p === pack)) {
      if (this._packs.some((p) => p.packName === pack.packName)) {
        throw new Error(`pipeline "${this.name}" already has a policy pack named "${pack.packName}": give every pack a unique metadata.name`);
      }
      this._packs.push(pack);
    }
    return this;
  }

  /** Attaches a waiver of a rule of an attached pack; returns this pipeline. */
  public addPolicyWaiver(waiver: PolicyWaiver): Pipeline {
    this.assertOpen('attach waivers');
    this._waivers.push({ ...waiver });
    return this;
  }

  /** The pipeline document policies read (`apiVersion: gatehouse.dev/v1`, `kind: PipelineDocument`). */
  public toDocument(options: PipelineDocumentOptions = {}): PipelineDocument {
    return PipelineDocument.of(this, options);
  }

  /** Stages in definition order. */
  public get stages(): Stage[] {
    return [...this._stages];
  }

  /** Adds a stage; returns this pipeline. */
  public addStage(stage: Stage): Pipeline {
    if (!(stage instanceof Stage)) {
      throw new Error(`pipeline "${this.name}": addStage takes a Stage (e.g. Stage.build("build", {...}))`);
    }
    this.assertOpen('add stages');
    this._stages.push(stage);
    return this;
  }

  /** The kinds of the declared triggers, each once, in the order PUSH, PULL_REQUEST, SCHEDULE, MANUAL. */
  public triggerKinds(): TriggerKind[] {
    return Object.values(TriggerKind).filter((k) => this.triggers.some((t) => t.kind === k));
  }

  /**
   * Whether the stages a run executes depend on its trigger: the pipeline declares more than one
   * kind of trigger, or a stage is limited to some (`onlyOn`). Engines then tell the kinds apart
   * at run time; otherwise every run is the one declared kind.
   */
  public dependsOnTrigger(): boolean {
    return this.triggerKinds().length > 1 || this._stages.some((s) => s.onlyOn !== undefined);
  }

  /** Looks a stage up by name. */
  public stage(name: string): Stage | undefined {
    return this._stages.find((s) => s.name === name);
  }

  /** The image a command step runs in (on `platform`: its form's image, if it has one). */
  public imageOf(step: CommandStep, platform?: StepPlatform): string {
    return (platform !== undefined ? step.formFor(platform)?.image : undefined) ?? step.image ?? this.defaultImage;
  }

  /** The env a command step sees (pipeline defaults, then the step's own, then its form's on `platform`). */
  public envOf(step: CommandStep, platform?: StepPlatform): { [name: string]: string } {
    return { ...this.defaultEnv, ...step.env, ...(platform !== undefined ? step.formFor(platform)?.env : undefined) };
  }

  /** The timeout of a command step, in minutes. */
  public timeoutOf(step: CommandStep): number {
    return step.timeoutMinutes ?? this.defaultTimeoutMinutes;
  }

  /**
   * Every problem of the definition, for every engine, at once (names included); empty when
   * valid. Engines add their own limits: `CodePipelineEngine.check`, `TektonEngine.check`.
   */
  public validate(): ValidationIssue[] {
    return modelIssues(this);
  }

  /**
   * Names of the stages a stage follows: its `requires` when it sets them, else the stage declared
   * before it (none for the first). The one place the implicit "previous stage" is decided.
   */
  public requiresOf(stage: Stage): string[] {
    if (stage.requires) return [...stage.requires];
    const i = this._stages.indexOf(stage);
    if (i < 0) throw new Error(`stage "${stage.name}" is not a stage of pipeline "${this.name}": add it with addStage`);
    return i > 0 ? [this._stages[i - 1].name] : [];
  }

  /** Whether any gate runs in the pipeline (a gated scan step or a stage gate). */
  public hasGates(): boolean {
    return this._stages.some((s) => s.hasGates());
  }

  /** Throws an error listing every problem, if any. */
  public assertValid(): void {
    const issues = this.validate();
    if (issues.length > 0) {
      throw pipelineValidationError(this.name, issues);
    }
  }

  /**
   * The engine that rendered this pipeline, if one did: from then on the pipeline and its stages
   * refuse changes (an engine reads the pipeline once, when it is created).
   */
  public get renderedBy(): string | undefined {
    return this._renderedBy;
  }

  /**
   * Freezes the pipeline and its stages: called by an engine as it reads them, so that a stage,
   * step, policy pack or waiver added later fails loudly instead of missing from the output.
   * @internal
   */
  public _freeze(engine: string): void {
    this._renderedBy ??= engine;
    for (const stage of this._stages) stage._freeze(`${engine} (pipeline "${this.name}")`);
  }

  /** The dependency graph of the (validated) pipeline. */
  public graph(): PipelineGraph {
    this.assertValid();
    return new PipelineGraph(this);
  }

  /**
   * The picture of the (validated) pipeline as Graphviz DOT: stages as clusters coloured by kind,
   * steps inside, scans with their gate, approvals, stage gates and manual interventions as their
   * own shapes, and the stage and step dependencies. `graph.renderSvg` draws it.
   */
  public toDot(): string {
    return pipelineToDot(this);
  }

  /** The same picture as a Mermaid flowchart, for documents that render Mermaid. */
  public toMermaid(): string {
    return pipelineToMermaid(this);
  }

  private assertOpen(what: string): void {
    if (this._renderedBy) {
      throw new Error(
        `pipeline "${this.name}" was already rendered by ${this._renderedBy}, which would not see the change: ` +
          `${what} before creating the engine`,
      );
    }
  }
}
