import { FINDINGS_VOLUME, GATE_INPUTS_DIR, SCAN_REPORTS_ROOT, SOURCE_MOUNT_PATH } from './names';
import { Pipeline, ScanStep, Stage } from '../../core';
import * as tk from '../imports/tekton.dev';

/**
 * Where a gate's inputs live on Tekton. Every task shares the `source` workspace, and the app team
 * writes the commands of the build and test tasks, so nothing a gate reads may pass through it:
 * - a scan writes its findings reports into `.gatehouse/reports/<step>/`, which in the scan's pod
 *   is an emptyDir mounted over that folder of the source (only the scanner's steps mount it);
 * - the scan's gate step mounts that emptyDir read-only at `/gatehouse/inputs/<step>` and runs in
 *   its own working folder, never resolving a path through the shared source;
 * - a stage gate reads each scan's copy of that folder from the scan task's own subPath of the
 *   reports workspace (`<pipelineRun>/<task>/gate-input`), bound read-only.
 */

/** The findings folder of a scan, relative to the source root: `.gatehouse/reports/<step>`. */
export function findingsFolderOf(step: ScanStep): string {
  return `${SCAN_REPORTS_ROOT}/${step.name}`;
}

/** Where a gate step mounts the findings folder of a scan, read-only. */
export function gateInputPath(step: ScanStep): string {
  return `${GATE_INPUTS_DIR}/${step.name}`;
}

/** Whether every findings report of a scan lies in its findings folder. */
export function hasIsolatedFindings(step: ScanStep): boolean {
  const folder = `${findingsFolderOf(step)}/`;
  return step.findingsReports.every((r) => r.startsWith(folder) && r.length > folder.length);
}

/** Whether a gate reads the reports of a scan: its own gate, or its stage's gate. */
export function isGateInput(stage: Stage, step: ScanStep): boolean {
  return step.gate !== undefined || (stage.gate !== undefined && stage.gateScans().includes(step));
}

/**
 * The emptyDir of a scan's findings folder (a scan whose findings reports all lie in it gets one,
 * gated or not: the folder is never a folder of the shared source).
 */
export function findingsVolume(): Record<string, unknown> {
  return { name: FINDINGS_VOLUME, emptyDir: {} };
}

/** The findings emptyDir over the scan's folder of the source: read-write for the scanner, read-only after it. */
export function sourceFindingsMount(step: ScanStep, readOnly: boolean): tk.TaskSpecStepsVolumeMounts {
  return { name: FINDINGS_VOLUME, mountPath: `${SOURCE_MOUNT_PATH}/${findingsFolderOf(step)}`, ...(readOnly ? { readOnly: true } : {}) };
}

/** The findings emptyDir where a gate (or the step copying the gate's inputs) reads it: read-only, outside the source. */
export function readFindingsMount(step: ScanStep): tk.TaskSpecStepsVolumeMounts {
  return { name: FINDINGS_VOLUME, mountPath: gateInputPath(step), readOnly: true };
}

/** What the model asks that would let another task write a gate's inputs on Tekton: one message per scan. */
export function isolationIssues(pipeline: Pipeline): Array<{ path: string; message: string }> {
  const issues: Array<{ path: string; message: string }> = [];
  for (const stage of pipeline.stages) {
    for (const step of stage.steps) {
      if (!(step instanceof ScanStep) || !isGateInput(stage, step) || hasIsolatedFindings(step)) continue;
      const folder = findingsFolderOf(step);
      const outside = step.findingsReports.filter((r) => !r.startsWith(`${folder}/`));
      issues.push({
        path: `stage "${stage.name}" > step "${step.name}"`,
        message:
          `findings report(s) ${outside.map((r) => `"${r}"`).join(', ')} lie outside "${folder}/", the folder only this scan can write on Tekton ` +
          `(every other place of the source workspace is writable by the pipeline's other tasks): write the report(s) under "${folder}/"`,
      });
    }
  }
  return issues;
}
