import { ScanStep } from '../scan-step';
import { collector, ModelRule, stagePath } from './types';

/** A pipeline has stages; each stage a unique name and at least one step; a stage gate has scans to read. */
export const stagesRule: ModelRule = (pipeline) => {
  const { issues, add } = collector();
  if (pipeline.stages.length === 0) {
    add(`pipeline "${pipeline.name}"`, 'has no stages: add at least one stage');
  }
  const seen = new Set<string>();
  for (const stage of pipeline.stages) {
    const sp = stagePath(stage.name);
    if (seen.has(stage.name)) add(sp, 'is declared twice: give every stage a unique name');
    seen.add(stage.name);
    if (stage.steps.length === 0) add(sp, 'has no steps: add a step or remove the stage');
    if (stage.gate && !stage.steps.some((st) => st instanceof ScanStep)) {
      add(sp, 'has a stage gate but no scan steps: add a ScanStep (e.g. a security catalog entry) or remove the gate');
    }
  }
  return issues;
};
