import { CommandStep } from '../command-step';
import { PipelineGraph } from '../graph';
import { TRIGGER_KINDS, triggerWord } from '../trigger';
import { collector, ModelRule, stagePath, stepPath } from './types';

/**
 * On every trigger, what a stage relies on still runs before it: it reads no artifact of a stage
 * skipped on that trigger, and it never runs after a gated stage that is skipped on that
 * trigger (the gate's verdict would not protect it: a schedule or a pull request would walk past
 * the gate). Needs a sound graph: a flow rule.
 */
export const triggerFlowRule: ModelRule = (pipeline) => {
  const { issues, add } = collector();
  const graph = new PipelineGraph(pipeline);
  const byName = new Map(pipeline.stages.map((s) => [s.name, s] as const));
  const producer = new Map<string, string>();
  for (const stage of pipeline.stages) {
    for (const step of stage.steps) {
      if (step instanceof CommandStep) for (const o of step.outputs) if (!producer.has(o.name)) producer.set(o.name, stage.name);
    }
  }
  const kinds = TRIGGER_KINDS.filter((k) => pipeline.triggerKinds().includes(k) || pipeline.stages.some((s) => s.onlyOn?.includes(k)));
  for (const stage of pipeline.stages) {
    for (const kind of kinds.filter((k) => stage.runsOn(k))) {
      const word = triggerWord(kind);
      for (const a of graph.stageAncestors(stage.name).map((n) => byName.get(n)!)) {
        if (a.hasGates() && !a.runsOn(kind)) {
          add(
            stagePath(stage.name),
            `runs on ${word} after stage "${a.name}", whose gate is skipped on ${word}: the gate would not protect it; ` +
              `run "${a.name}" on ${word} too (its onlyOn) or limit "${stage.name}" so that it skips ${word}`,
          );
        }
      }
      for (const step of stage.steps) {
        if (!(step instanceof CommandStep)) continue;
        for (const input of step.inputs) {
          const from = producer.get(input);
          if (from !== undefined && from !== stage.name && !byName.get(from)!.runsOn(kind)) {
            add(stepPath(stage.name, step.name), `reads artifact "${input}" of stage "${from}", which is skipped on ${word}: run "${from}" on ${word} too or limit "${stage.name}" likewise`);
          }
        }
      }
    }
  }
  return issues;
};
