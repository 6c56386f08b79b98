import { Pipeline } from './pipeline';
import { Stage } from './stage';
import { Step } from './step';

/**
 * The resolved dependency graph of a valid pipeline, shared by every engine so that all of them
 * render the same order. Built by `Pipeline.graph()`.
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
    const byName = new Map(this.pipeline.stages.map((s) => [s.name, s] as const));
    const level = levels([...this.stageDeps.keys()], (n) => this.stageDeps.get(n)!);
    return groupByLevel(this.pipeline.stages, (s) => level.get(s.name)!).map((names) =>
      names.map((s) => byName.get(s.name)!),
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
    return groupByLevel(stage.steps, (s) => level.get(s.name)!);
  }

  /** Stages nothing else depends on: the pipeline is done when all of them are. */
  public finalStages(): Stage[] {
    const needed = new Set([...this.stageDeps.values()].flat());
    return this.pipeline.stages.filter((s) => !needed.has(s.name));
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
