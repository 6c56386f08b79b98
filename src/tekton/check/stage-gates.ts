import { collector, TektonModelRule } from './types';
import { ScanStep } from '../../core';
import { stageGateReports } from '../render/gate-task';

/** A stage gate has findings to read. */
export const stageGatesRule: TektonModelRule = (pipeline) => {
  const { issues, add } = collector();
  for (const stage of pipeline.stages) {
    if (!stage.gate) continue;
    if (stage.steps.some((s) => s instanceof ScanStep) && stageGateReports(stage).length === 0) {
      add(
        `stage "${stage.name}" > stage gate`,
        'has no findings report to read: its scan steps are ungated supply-chain steps, whose records hold no findings; remove the stage gate or add a scan',
      );
    }
  }
  return issues;
};
