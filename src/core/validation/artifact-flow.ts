import { CommandStep } from '../command-step';
import { PipelineGraph } from '../graph';
import type { Stage } from '../stage';
import { collector, ModelRule, stepPath } from './types';

/**
 * Every artifact a step reads is produced by a step that runs before it. Needs a sound graph:
 * run only when the other rules pass.
 */
export const artifactFlowRule: ModelRule = (pipeline) => {
  const { issues, add } = collector();
  const graph = new PipelineGraph(pipeline);
  const producerOf = new Map<string, { stage: Stage; step: CommandStep }>();
  for (const stage of pipeline.stages) {
    for (const step of stage.steps) {
      if (!(step instanceof CommandStep)) continue;
      for (const o of step.outputs) if (!producerOf.has(o.name)) producerOf.set(o.name, { stage, step });
    }
  }
  for (const stage of pipeline.stages) {
    const before = new Set(graph.stageAncestors(stage.name));
    for (const step of stage.steps) {
      if (!(step instanceof CommandStep)) continue;
      for (const input of step.inputs) {
        const producer = producerOf.get(input);
        const p = stepPath(stage.name, step.name);
        if (!producer) {
          add(p, `reads unknown artifact "${input}": name an output artifact of an earlier step`);
        } else if (producer.stage.runsAlways(producer.step)) {
          add(p, `reads artifact "${input}" of step "${producer.stage.name}/${producer.step.name}", which runs always, at the end of the run: nothing can read its outputs`);
        } else if (stage.runsAlways(step)) {
          // a step that runs always starts after every other step
        } else if (producer.stage.name === stage.name) {
          if (!stepAncestors(stage, step.name).has(producer.step.name)) {
            add(p, `reads artifact "${input}" of step "${producer.step.name}", which does not run before it: add "${producer.step.name}" to runAfter`);
          }
        } else if (!before.has(producer.stage.name)) {
          add(p, `reads artifact "${input}" of stage "${producer.stage.name}", which does not run before it: add it to the stage's requires`);
        }
      }
    }
  }
  return issues;
};

/** A step's name and the steps it runs after. */
interface StepOrder {
  readonly name: string;
  readonly runAfter?: readonly string[];
}

/** Names of the steps of `stage` that `stepName` runs after, directly or not (the model's or the document's stage). */
export function stepAncestors(stage: { readonly steps: ReadonlyArray<StepOrder> }, stepName: string): Set<string> {
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
  return seen;
}
