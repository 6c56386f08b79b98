import { collector, CircleCiModelRule } from './types';
import { gateReports, ScanStep } from '../../core';
import { trustIssues } from '../render/trust';

/** A gate's trust sources are ones a job can read (inline), no stored baseline (see render/trust). */
export const gateTrustRule: CircleCiModelRule = (pipeline) => trustIssues(pipeline);

/** A stage gate has findings to read. */
export const stageGatesRule: CircleCiModelRule = (pipeline) => {
  const { issues, add } = collector();
  for (const stage of pipeline.stages) {
    if (!stage.gate) continue;
    if (stage.steps.some((s) => s instanceof ScanStep) && gateReports(stage.gateScans()).length === 0) {
      add(
        `stage "${stage.name}" > stage gate`,
        'has no findings report to read: its scan steps are ungated supply-chain steps, whose records hold no findings; remove the stage gate or add a scan',
      );
    }
  }
  return issues;
};
