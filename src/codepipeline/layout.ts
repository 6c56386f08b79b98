import { PipelineGraph, Stage, Step } from '../core';
import { waveStageName } from './naming';

/** One model step placed in a CodePipeline stage. */
export interface PlacedStep {
  readonly stage: Stage;
  readonly step: Step;
  /** CodePipeline runOrder (1-based) inside the CodePipeline stage. */
  readonly runOrder: number;
}

/** One CodePipeline stage: a wave of model stages that may run in parallel. */
export interface PlannedStage {
  readonly name: string;
  readonly modelStages: Stage[];
  readonly steps: PlacedStep[];
}

/**
 * Maps the model DAG onto CodePipeline's sequential stages.
 *
 * - `stageWaves()` groups model stages so that every stage of wave N depends only on stages of
 *   earlier waves; each wave becomes one CodePipeline stage, in wave order.
 * - Inside a wave, each model stage's steps keep their own order: step wave k gets runOrder k
 *   (+ `offset(stage)`), so parallel steps share a runOrder and model stages of the same wave
 *   start together.
 *
 * The mapping never starts a step before anything it depends on. It can only add waiting: a stage
 * of wave N+1 waits for the whole of wave N, including stages it does not require.
 */
export function planLayout(graph: PipelineGraph, offset: (stage: Stage) => number): PlannedStage[] {
  return graph.stageWaves().map((wave, i) => {
    const steps: PlacedStep[] = [];
    for (const stage of wave) {
      const first = 1 + offset(stage);
      graph.stepWaves(stage.name).forEach((stepWave, k) => {
        for (const step of stepWave) {
          steps.push({ stage, step, runOrder: first + k });
        }
      });
    }
    return { name: waveStageName(wave.map((s) => s.name), i), modelStages: wave, steps };
  });
}
