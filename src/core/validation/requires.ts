import { findCycle } from './cycles';
import { collector, ModelRule, stagePath } from './types';

/** A stage requires known stages, never itself, and the stages form no cycle. */
export const requiresRule: ModelRule = (pipeline) => {
  const { issues, add } = collector();
  const stages = pipeline.stages;
  const names = new Set(stages.map((s) => s.name));
  for (const stage of stages) {
    for (const req of stage.requires ?? []) {
      if (!names.has(req)) {
        add(stagePath(stage.name), `requires unknown stage "${req}": name one of ${[...names].map((n) => `"${n}"`).join(', ')}`);
      } else if (req === stage.name) {
        add(stagePath(stage.name), 'requires itself: remove it from its requires');
      }
    }
  }
  const deps = (name: string): string[] =>
    pipeline.requiresOf(stages.find((s) => s.name === name)!).filter((x) => names.has(x) && x !== name);
  const cycle = findCycle([...names], deps);
  if (cycle) {
    add(`pipeline "${pipeline.name}"`, `stages form a cycle (${cycle.join(' -> ')}): break it by changing one stage's requires`);
  }
  return issues;
};
