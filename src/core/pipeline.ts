import { ApprovalStep } from './approval-step';
import { CommandStep } from './command-step';
import { PipelineDocument, PipelineDocumentOptions } from './document';
import { pipelineValidationError, ValidationIssue } from './errors';
import { DEFAULT_GATE_IMAGE } from './gate-runner';
import { PipelineGraph } from './graph';
import { assertName, MAX_PIPELINE_NAME_LENGTH } from './names';
import { IPolicyPack, PolicyWaiver } from './policy-hook';
import { ScanStep } from './scan-step';
import { Source } from './source';
import { Stage } from './stage';

/** Defaults applied to every command step that does not set its own. */
export interface PipelineDefaults {
  /**
   * Container image of command steps.
   * @default 'public.ecr.aws/docker/library/python:3.12-slim'
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
   * Image that runs the bundled gatehouse gate after scan steps (Node.js 20 or later).
   * @default DEFAULT_GATE_IMAGE (node 22 slim, pinned by digest)
   */
  readonly gateImage?: string;
}

/** Properties of a pipeline. */
export interface PipelineProps {
  /** Pipeline name: a DNS-1123 label of at most 40 characters. */
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
}

/** The image command steps use when neither they nor the pipeline name one. */
export const DEFAULT_IMAGE = 'public.ecr.aws/docker/library/python:3.12-slim';

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
  private readonly _stages: Stage[] = [];
  private readonly _packs: IPolicyPack[] = [];
  private readonly _waivers: PolicyWaiver[] = [];

  constructor(props: PipelineProps) {
    assertName('pipeline', props.name, MAX_PIPELINE_NAME_LENGTH);
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
    this._stages.push(stage);
    return this;
  }

  /** Looks a stage up by name. */
  public stage(name: string): Stage | undefined {
    return this._stages.find((s) => s.name === name);
  }

  /** The image a command step runs in. */
  public imageOf(step: CommandStep): string {
    return step.image ?? this.defaultImage;
  }

  /** The env a command step sees (pipeline defaults, then the step's own). */
  public envOf(step: CommandStep): { [name: string]: string } {
    return { ...this.defaultEnv, ...step.env };
  }

  /** The timeout of a command step, in minutes. */
  public timeoutOf(step: CommandStep): number {
    return step.timeoutMinutes ?? this.defaultTimeoutMinutes;
  }

  /** Every problem of the definition, for every engine; empty when valid. */
  public validate(): ValidationIssue[] {
    const issues: ValidationIssue[] = [];
    const add = (path: string, message: string) => issues.push({ path, message });

    if (this._stages.length === 0) {
      add(`pipeline "${this.name}"`, 'has no stages: add at least one stage');
    }
    const stageNames = new Set<string>();
    const taskNames = new Map<string, string>();
    const artifactProducers = new Map<string, string>();
    for (const stage of this._stages) {
      const sp = `stage "${stage.name}"`;
      if (stageNames.has(stage.name)) {
        add(sp, 'is declared twice: give every stage a unique name');
      }
      stageNames.add(stage.name);
      if (stage.steps.length === 0) {
        add(sp, 'has no steps: add a step or remove the stage');
      }
      if (stage.gate && !stage.steps.some((st) => st instanceof ScanStep)) {
        add(sp, 'has a stage gate but no scan steps: add a ScanStep (e.g. a security catalog entry) or remove the gate');
      }
      const stepNames = new Set<string>();
      for (const step of stage.steps) {
        const p = `${sp} > step "${step.name}"`;
        if (stepNames.has(step.name)) {
          add(p, 'is declared twice in the stage: give every step of a stage a unique name');
        }
        stepNames.add(step.name);
        const taskName = `${stage.name}-${step.name}`;
        const clash = taskNames.get(taskName);
        if (clash && clash !== `${stage.name}/${step.name}`) {
          add(p, `makes the engine name "${taskName}", as ${clash} does: rename one of them`);
        }
        taskNames.set(taskName, `${stage.name}/${step.name}`);
        if (step instanceof ApprovalStep && step.approvers.length === 0) {
          add(p, 'has nobody allowed to approve: add an approver (Approver.user, Approver.group or Approver.role)');
        }
        if (step instanceof CommandStep) {
          for (const o of step.outputs) {
            const other = artifactProducers.get(o.name);
            if (other) {
              add(p, `output artifact "${o.name}" is also produced by ${other}: give each artifact a unique name`);
            }
            artifactProducers.set(o.name, `stage "${stage.name}" > step "${step.name}"`);
          }
        }
      }
      for (const step of stage.steps) {
        for (const dep of step.runAfter) {
          if (!stepNames.has(dep)) {
            add(`${sp} > step "${step.name}"`, `runs after unknown step "${dep}": name a step of the same stage (${[...stepNames].join(', ')})`);
          } else if (dep === step.name) {
            add(`${sp} > step "${step.name}"`, 'runs after itself: remove it from its runAfter');
          }
        }
      }
      const stepDeps = (n: string) => stage.steps.find((s) => s.name === n)?.runAfter.filter((d) => stepNames.has(d) && d !== n) ?? [];
      const stepCycle = findCycle(stage.steps.map((s) => s.name), stepDeps);
      if (stepCycle) {
        add(sp, `steps form a cycle (${stepCycle.join(' -> ')}): break it by removing one runAfter`);
      }
    }
    this._stages.forEach((stage) => {
      for (const req of stage.requires ?? []) {
        if (!stageNames.has(req)) {
          add(`stage "${stage.name}"`, `requires unknown stage "${req}": name one of ${[...stageNames].map((n) => `"${n}"`).join(', ')}`);
        } else if (req === stage.name) {
          add(`stage "${stage.name}"`, 'requires itself: remove it from its requires');
        }
      }
    });
    const deps = (name: string): string[] => {
      const d = this.requiresOf(this._stages.find((s) => s.name === name)!);
      return d.filter((x) => stageNames.has(x) && x !== name);
    };
    const stageCycle = findCycle([...stageNames], deps);
    if (stageCycle) {
      add(`pipeline "${this.name}"`, `stages form a cycle (${stageCycle.join(' -> ')}): break it by changing one stage's requires`);
    }
    // artifacts must be produced by a stage that runs before the consumer
    if (!stageCycle && issues.length === 0) {
      const graph = new PipelineGraph(this);
      for (const stage of this._stages) {
        const before = new Set(graph.stageAncestors(stage.name));
        for (const step of stage.steps) {
          if (!(step instanceof CommandStep)) continue;
          for (const input of step.inputs) {
            const producer = this.findProducer(input);
            if (!producer) {
              add(`stage "${stage.name}" > step "${step.name}"`, `reads unknown artifact "${input}": name an output artifact of an earlier step`);
            } else if (producer.stage.name === stage.name) {
              const stepBefore = new Set(stepAncestors(stage, step.name));
              if (!stepBefore.has(producer.step.name)) {
                add(`stage "${stage.name}" > step "${step.name}"`, `reads artifact "${input}" of step "${producer.step.name}", which does not run before it: add "${producer.step.name}" to runAfter`);
              }
            } else if (!before.has(producer.stage.name)) {
              add(`stage "${stage.name}" > step "${step.name}"`, `reads artifact "${input}" of stage "${producer.stage.name}", which does not run before it: add it to the stage's requires`);
            }
          }
        }
      }
    }
    return issues;
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

  /** The dependency graph of the (validated) pipeline. */
  public graph(): PipelineGraph {
    this.assertValid();
    return new PipelineGraph(this);
  }

  private findProducer(artifact: string): { stage: Stage; step: CommandStep } | undefined {
    for (const stage of this._stages) {
      for (const step of stage.steps) {
        if (step instanceof CommandStep && step.outputs.some((o) => o.name === artifact)) {
          return { stage, step };
        }
      }
    }
    return undefined;
  }
}

function stepAncestors(stage: Stage, stepName: string): string[] {
  const seen = new Set<string>();
  const visit = (n: string) => {
    for (const d of stage.steps.find((s) => s.name === n)?.runAfter ?? []) {
      if (!seen.has(d)) {
        seen.add(d);
        visit(d);
      }
    }
  };
  visit(stepName);
  return [...seen];
}

function findCycle(nodes: string[], depsOf: (n: string) => string[]): string[] | undefined {
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  let found: string[] | undefined;
  const visit = (n: string): void => {
    if (found) return;
    state.set(n, 1);
    stack.push(n);
    for (const d of depsOf(n)) {
      if (found) return;
      const st = state.get(d);
      if (st === 1) {
        found = [...stack.slice(stack.indexOf(d)), d];
        return;
      }
      if (st === undefined) visit(d);
    }
    stack.pop();
    state.set(n, 2);
  };
  for (const n of nodes) {
    if (!state.has(n)) visit(n);
    if (found) break;
  }
  return found;
}
