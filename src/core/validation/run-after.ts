import { findCycle } from './cycles';
import { collector, ModelRule, stagePath, stepPath } from './types';

/** A step runs after known steps of its own stage, never itself, and without a cycle. */
export const runAfterRule: ModelRule = (pipeline) => {
  const { issues, add } = collector();
  for (const stage of pipeline.stages) {
    const stepNames = new Set(stage.steps.map((s) => s.name));
    for (const step of stage.steps) {
      for (const dep of step.runAfter) {
        if (!stepNames.has(dep)) {
          add(stepPath(stage.name, step.name), `runs after unknown step "${dep}": name a step of the same stage (${[...stepNames].join(', ')})`);
        } else if (dep === step.name) {
          add(stepPath(stage.name, step.name), 'runs after itself: remove it from its runAfter');
        }
      }
    }
    const deps = (n: string) => stage.steps.find((s) => s.name === n)?.runAfter.filter((d) => stepNames.has(d) && d !== n) ?? [];
    const cycle = findCycle(stage.steps.map((s) => s.name), deps);
    if (cycle) add(stagePath(stage.name), `steps form a cycle (${cycle.join(' -> ')}): break it by removing one runAfter`);
  }
  return issues;
};
