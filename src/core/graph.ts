import { CommandStep } from './command-step';
import { Pipeline } from './pipeline';
import { Stage } from './stage';
import { Step } from './step';

/** A step that runs always, with its stage. */
export interface AlwaysStep {
  /** The stage it is declared in. */
  readonly stage: Stage;
  /** The step (always a command step: the model refuses other kinds). */
  readonly step: CommandStep;
}

/**
 * The resolved dependency graph of a valid pipeline, shared by every engine so that all of them
 * render the same order. Built by `Pipeline.graph()`.
 *
 * Steps that run always (`RunCondition.ALWAYS`, on the step or its stage) are not in the ordered
 * graph: nothing depends on them, and they run at the end of the run (`alwaysSteps()`). Stages
 * whose every step runs always are left out of `stageWaves()` too.
 */
export class PipelineGraph {
  private readonly stageDeps = new Map<string, string[]>();
  private readonly stepDeps = new Map<string, Map<string, string[]>>();
  private readonly pipeline: Pipeline;

  /** Prefer `pipeline.graph()`, which validates the pipeline first. */
  constructor(pipeline: Pipeline) {
    this.pipeline = pipeline;
    const stages = pipeline.stages;
    stages.forEach((stage) => {
      this.stageDeps.set(stage.name, pipeline.requiresOf(stage));
      const steps = new Map<string, string[]>();
      for (const step of stage.steps) {
        steps.set(step.name, [...step.runAfter]);
      }
      this.stepDeps.set(stage.name, steps);
    });
  }

  /** Names of the stages `stageName` directly depends on. */
  public stageDependencies(stageName: string): string[] {
    const deps = this.stageDeps.get(stageName);
    if (!deps) {
      throw new Error(`unknown stage "${stageName}"`);
    }
    return [...deps];
  }

  /** Names of every stage `stageName` depends on, directly or not. */
  public stageAncestors(stageName: string): string[] {
    const seen = new Set<string>();
    const visit = (n: string) => {
      for (const d of this.stageDependencies(n)) {
        if (!seen.has(d)) {
          seen.add(d);
          visit(d);
        }
      }
    };
    visit(stageName);
    return this.pipeline.stages.map((s) => s.name).filter((n) => seen.has(n));
  }

  /**
   * Stages grouped in waves: every stage of a wave depends only on stages of earlier waves, and
   * each stage sits in the earliest wave it can. Stages of one wave may run in parallel.
   */
  public stageWaves(): Stage[][] {
    const level = levels([...this.stageDeps.keys()], (n) => this.stageDeps.get(n)!);
    return groupByLevel(this.pipeline.stages.filter((s) => !s.isAlways()), (s) => level.get(s.name)!);
  }

  /** The steps that run always, in definition order: after every other step, in parallel. */
  public alwaysSteps(): AlwaysStep[] {
    return this.pipeline.stages.flatMap((stage) =>
      stage.steps.filter((s): s is CommandStep => s instanceof CommandStep && stage.runsAlways(s)).map((step) => ({ stage, step })),
    );
  }

  /** Stages in a dependency-respecting order (definition order among equals). */
  public stageOrder(): Stage[] {
    return this.stageWaves().flat();
  }

  /** Names of the steps of the same stage that `stepName` directly runs after. */
  public stepDependencies(stageName: string, stepName: string): string[] {
    const deps = this.stepDeps.get(stageName)?.get(stepName);
    if (!deps) {
      throw new Error(`unknown step "${stageName}/${stepName}"`);
    }
    return [...deps];
  }

  /** Steps of a stage grouped in waves (parallel within a wave). */
  public stepWaves(stageName: string): Step[][] {
    const stage = this.pipeline.stages.find((s) => s.name === stageName);
    if (!stage) {
      throw new Error(`unknown stage "${stageName}"`);
    }
    const deps = this.stepDeps.get(stageName)!;
    const level = levels([...deps.keys()], (n) => deps.get(n)!);
    return groupByLevel(stage.steps.filter((s) => !stage.runsAlways(s)), (s) => level.get(s.name)!);
  }

  /** Stages nothing else depends on: the pipeline is done when all of them are. */
  public finalStages(): Stage[] {
    const needed = new Set(this.pipeline.stages.filter((s) => !s.isAlways()).flatMap((s) => this.stageDeps.get(s.name)!));
    return this.pipeline.stages.filter((s) => !needed.has(s.name) && !s.isAlways());
  }
}

function levels(nodes: string[], depsOf: (n: string) => string[]): Map<string, number> {
  const out = new Map<string, number>();
  const visiting = new Set<string>();
  const visit = (n: string): number => {
    const known = out.get(n);
    if (known !== undefined) return known;
    if (visiting.has(n)) throw new Error(`cycle through "${n}"`);
    visiting.add(n);
    let l = 0;
    for (const d of depsOf(n)) l = Math.max(l, visit(d) + 1);
    visiting.delete(n);
    out.set(n, l);
    return l;
  };
  nodes.forEach(visit);
  return out;
}

function groupByLevel<T>(items: T[], levelOf: (t: T) => number): T[][] {
  const groups: T[][] = [];
  for (const item of items) {
    const l = levelOf(item);
    (groups[l] ??= []).push(item);
  }
  return groups.filter((g) => g !== undefined);
}
