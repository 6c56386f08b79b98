import type { IConstruct } from 'constructs';
import { IPolicyPack, Pipeline, PipelineDefaults, PolicyWaiver, Source, Stage, Step } from '../core';
import { SealedBlueprint } from './blueprint-seal';
import { PolicyPack, WaiverKey } from './pack';
// the seal's rules are internal: a blueprint builds them from its own stages
import { BlueprintOrderRule } from './rules/blueprint-order';
import { BlueprintPacksRule } from './rules/blueprint-packs';
import { BlueprintStagesRule } from './rules/blueprint-stages';
import { BlueprintStepsRule } from './rules/blueprint-steps';
import { PolicyScope } from './scope';

/** A stage of a blueprint. */
export interface BlueprintStage {
  /**
   * The stage as the platform defines it. Its kind, environment, stage gate, place in the order
   * and steps are sealed: a pipeline that drops or changes them breaks the blueprint's pack.
   */
  readonly stage: Stage;
  /**
   * Whether app teams may add their own steps to this stage (a slot, named after the stage).
   * @default false - the stage is sealed whole: no step may be added
   */
  readonly slot?: boolean;
}

/** Properties of a blueprint. */
export interface BlueprintProps {
  /** Blueprint name, also the name of the pack holding its sealing rules (e.g. `acme-service`). */
  readonly name: string;
  /** The stages every pipeline of the blueprint has, in order. */
  readonly stages: BlueprintStage[];
  /**
   * The org's policy packs, attached to every pipeline of the blueprint (sealed: a pipeline
   * without them breaks GH-BLUEPRINT-PACKS).
   * @default - none
   */
  readonly packs?: IPolicyPack[];
  /**
   * Pipeline defaults (images, timeout, gate image): the resolved images of the blueprint's
   * steps and the gate image are sealed.
   * @default - the library defaults
   */
  readonly defaults?: PipelineDefaults;
  /**
   * Who may approve waivers of the blueprint's own rules.
   * @default - nobody
   */
  readonly approvers?: string[];
  /**
   * The approvers' public keys.
   * @default - none
   */
  readonly trustedKeys?: WaiverKey[];
  /**
   * Longest waiver of the blueprint's rules, in days.
   * @default 30
   */
  readonly maxWaiverDays?: number;
}

/** Steps an app team adds to one slot of a blueprint. */
export interface SlotSteps {
  /** Name of the slot (the stage's name). */
  readonly slot: string;
  /** The steps. */
  readonly steps: Step[];
}

/** What an app team gives a blueprint for its pipeline. */
export interface BlueprintPipelineProps {
  /** Pipeline name. */
  readonly name: string;
  /** The app's repository. */
  readonly source: Source;
  /**
   * The app's own steps, per slot.
   * @default - none
   */
  readonly slots?: SlotSteps[];
  /**
   * Stages of the app's own, after the blueprint's.
   * @default - none
   */
  readonly extraStages?: Stage[];
  /**
   * Signed waivers of rules of the blueprint's packs.
   * @default - none
   */
  readonly waivers?: PolicyWaiver[];
}

/**
 * An org pipeline a platform team publishes: required stages and steps that app teams cannot
 * remove or weaken, slots where they add their own steps, the org's policy packs sealed in, and
 * pipeline defaults.
 *
 * The seal is a policy pack of its own (`blueprint.pack`, named after the blueprint) built from
 * the document of the blueprint's stages: GH-BLUEPRINT-STAGES, GH-BLUEPRINT-STEPS,
 * GH-BLUEPRINT-ORDER and GH-BLUEPRINT-PACKS. Every engine evaluates it with the org packs before
 * rendering, so a change the library cannot prevent (a copied pipeline, a replaced step, a
 * mutated object) is refused with the rule that names it. `blueprint.attachTo(app)` attaches the
 * packs to an App, Stage, Stack or Chart, so that an engine built there without the blueprint is
 * refused too.
 */
export class Blueprint {
  /** Blueprint name. */
  public readonly name: string;
  /** The pack sealing the blueprint's stages and steps. */
  public readonly pack: PolicyPack;
  /** Names of the slots (stages app teams may add steps to). */
  public readonly slots: string[];
  private readonly stages: BlueprintStage[];
  private readonly orgPacks: IPolicyPack[];
  private readonly defaults?: PipelineDefaults;

  constructor(props: BlueprintProps) {
    const problems: string[] = [];
    if (!Array.isArray(props.stages) || props.stages.length === 0) problems.push('it has no stages: give the stages every pipeline must have');
    const names = new Set<string>();
    for (const s of props.stages ?? []) {
      if (!(s?.stage instanceof Stage)) problems.push('a stage is not a Stage: give { stage: Stage.securityStage(...) }');
      else if (names.has(s.stage.name)) problems.push(`stage "${s.stage.name}" is declared twice`);
      else names.add(s.stage.name);
    }
    const orgPacks = [...(props.packs ?? [])];
    if (orgPacks.some((p) => p.packName === props.name)) problems.push(`an org pack is named "${props.name}" like the blueprint: rename one`);
    if (problems.length > 0) throw new Error(`blueprint "${props.name}" is invalid: ${problems.join('; ')}`);
    this.name = props.name;
    this.stages = [...props.stages];
    this.orgPacks = orgPacks;
    this.defaults = props.defaults ? { ...props.defaults, env: props.defaults.env ? { ...props.defaults.env } : undefined } : undefined;
    this.slots = this.stages.filter((s) => s.slot).map((s) => s.stage.name);
    // what is sealed: the document of the blueprint's own stages, taken now
    const probe = new Pipeline({ name: 'blueprint', source: Source.git({ url: 'https://example.invalid/blueprint.git' }), defaults: this.defaults, stages: this.copyStages() });
    const sealed: SealedBlueprint = {
      name: props.name,
      document: probe.toDocument().toJson(),
      slotStages: [...this.slots],
      packs: [...orgPacks.map((p) => p.packName), props.name],
    };
    this.pack = new PolicyPack({
      name: props.name,
      rules: [new BlueprintStagesRule(sealed), new BlueprintStepsRule(sealed), new BlueprintOrderRule(sealed), new BlueprintPacksRule(sealed)],
      approvers: props.approvers,
      trustedKeys: props.trustedKeys,
      maxWaiverDays: props.maxWaiverDays ?? 30,
    });
  }

  /** Every pack of the blueprint: the org's, then its own seal. */
  public get packs(): IPolicyPack[] {
    return [...this.orgPacks, this.pack];
  }

  /** A pipeline of the blueprint with the app team's steps in its slots; the packs are attached. */
  public pipeline(props: BlueprintPipelineProps): Pipeline {
    const stages = this.copyStages();
    const problems: string[] = [];
    for (const s of props.slots ?? []) {
      const stage = stages.find((x) => x.name === s.slot);
      if (!stage || !this.slots.includes(s.slot)) {
        problems.push(`"${s.slot}" is not a slot of blueprint ${this.name}: add steps to ${this.slots.map((n) => `"${n}"`).join(', ') || 'no slot (it has none)'}`);
        continue;
      }
      for (const step of s.steps) stage.addStep(step);
    }
    if (problems.length > 0) throw new Error(`pipeline "${props.name}" of blueprint ${this.name}: ${problems.join('; ')}`);
    return new Pipeline({
      name: props.name,
      source: props.source,
      defaults: this.defaults,
      stages: [...stages, ...(props.extraStages ?? [])],
      policyPacks: this.packs,
      policyWaivers: props.waivers,
    });
  }

  /**
   * Attaches the blueprint's packs to a construct (the App, a Stage, Stack or Chart): every
   * engine under it evaluates them, so a pipeline built without the blueprint is refused.
   */
  public attachTo(scope: IConstruct): void {
    const policy = PolicyScope.of(scope);
    for (const p of this.packs) policy.addPack(p);
  }

  private copyStages(): Stage[] {
    return this.stages.map(({ stage }) => new Stage({
      name: stage.name,
      kind: stage.kind,
      environment: stage.environment,
      requires: stage.requires,
      gate: stage.gate,
      steps: stage.steps,
    }));
  }
}
