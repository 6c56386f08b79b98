import { CLONE_TASK, stageGateTaskName, taskNameOf } from './names';
import { Pipeline, PipelineGraph, Stage, Step } from '../../core';

/** One model step placed in the Tekton DAG. */
export interface PlannedTask {
  /** Pipeline task name, `<stage>-<step>`. */
  readonly name: string;
  readonly stage: Stage;
  readonly step: Step;
  /** Pipeline tasks it runs after: exactly the model's edges. */
  readonly runAfter: string[];
}

/**
 * Places every step of the model in the Tekton DAG:
 * - a step with `runAfter` runs after those steps of its stage;
 * - any other step runs after the final tasks (see stageFinalTasks) of every stage its stage
 *   depends on, or after the clone when its stage depends on none.
 * Steps with the same dependencies stay parallel; nothing else is added.
 */
export function planTasks(pipeline: Pipeline, graph: PipelineGraph): PlannedTask[] {
  const planned: PlannedTask[] = [];
  for (const stage of graph.stageOrder()) {
    const after = unique(
      graph.stageDependencies(stage.name).flatMap((dep) => stageFinalTasks(pipeline.stage(dep)!)),
    );
    for (const step of graph.stepWaves(stage.name).flat()) {
      const runAfter =
        step.runAfter.length > 0
          ? unique(step.runAfter).map((d) => `${stage.name}-${d}`)
          : after.length > 0
            ? after
            : [CLONE_TASK];
      planned.push({ name: taskNameOf(stage, step), stage, step, runAfter: [...runAfter] });
    }
  }
  return planned;
}

/**
 * The tasks of a stage that later stages wait for: its final steps, and its stage gate instead of
 * the scans that gate waits for.
 */
export function stageFinalTasks(stage: Stage): string[] {
  const finals = finalSteps(stage).map((s) => taskNameOf(stage, s));
  if (!stage.gate) return finals;
  const gated = new Set(stage.gateScans().map((s) => taskNameOf(stage, s)));
  return [...finals.filter((n) => !gated.has(n)), stageGateTaskName(stage)];
}

/**
 * Steps of a stage no other step of the stage runs after: when they are done, the stage is. Steps
 * that run always are not among them: they are finally tasks, which no task may wait for.
 */
export function finalSteps(stage: Stage): Step[] {
  const waitedFor = new Set(stage.steps.flatMap((s) => s.runAfter));
  return stage.steps.filter((s) => !waitedFor.has(s.name) && !stage.runsAlways(s));
}

function unique(names: string[]): string[] {
  return [...new Set(names)];
}
