import { collector, GitHubModelRule } from './types';
import { trustIssues } from '../render/trust';

/** A gate's trust sources come from the definition, and no stored baseline (see render/trust). */
export const gateTrustRule: GitHubModelRule = (pipeline) => trustIssues(pipeline);

/**
 * The scans a stage gate reads write different findings files: the gate job copies every scan's
 * artifact into one folder, where a second scan writing the same path would replace the first's.
 */
export const stageGateInputsRule: GitHubModelRule = (pipeline) => {
  const { issues, add } = collector();
  for (const stage of pipeline.stages) {
    if (!stage.gate) continue;
    const writers = new Map<string, string>();
    for (const scan of stage.gateScans()) {
      for (const f of scan.findingsReports) {
        const other = writers.get(f);
        if (other) add(`stage "${stage.name}" > stage gate`, `scans "${other}" and "${scan.name}" both write findings report "${f}": give each scan its own report path`);
        else writers.set(f, scan.name);
      }
    }
  }
  return issues;
};
