import { Stage, Step } from '../../core';

/** Suffix of the job running a scan's own gate: `<stage>-<step>-gate`. */
export const GATE_SUFFIX = 'gate';
/** Suffix of a stage gate's job: `<stage>-stage-gate`. */
export const STAGE_GATE_SUFFIX = 'stage-gate';
/** Suffix of the job that lets a failed gate or step through: `<job>-intervention`. */
export const INTERVENTION_SUFFIX = 'intervention';

/** Folder of the workflow files in the repository. */
export const WORKFLOWS_DIR = '.github/workflows';
/** Folder of what gatehouse commits beside the workflow (the bundled gate, the policy report). */
export const GATEHOUSE_DIR = '.github/gatehouse';
/** Where the bundled gate is committed, beside the workflow. */
export const GATE_BUNDLE_PATH = `${GATEHOUSE_DIR}/gatehouse.js`;

/** The job of a step: `<stage>-<step>`. */
export function jobIdOf(stage: Stage, step: Step): string {
  return `${stage.name}-${step.name}`;
}

/** The job of a scan's own gate. */
export function gateJobIdOf(stage: Stage, step: Step): string {
  return `${jobIdOf(stage, step)}-${GATE_SUFFIX}`;
}

/** The job of a stage gate. */
export function stageGateJobIdOf(stage: Stage): string {
  return `${stage.name}-${STAGE_GATE_SUFFIX}`;
}

/** The job that lets a failed job through. */
export function interventionJobIdOf(jobId: string): string {
  return `${jobId}-${INTERVENTION_SUFFIX}`;
}

/** Artifact holding a scan's findings reports, which only its gate jobs download. */
export function findingsArtifactOf(scanJobId: string): string {
  return `gatehouse-findings-${scanJobId}`;
}

/** Artifact holding a job's reports (kept when the job fails). */
export function reportsArtifactOf(jobId: string): string {
  return `reports-${jobId}`;
}

/** Artifact holding a gate's outputs (SARIF, JSON, JUnit, Markdown, HTML). */
export function gateOutputsArtifactOf(gateJobId: string): string {
  return `gatehouse-gate-${gateJobId}`;
}

/** Prefixes of the artifact names the engine gives: a model artifact may not start with them. */
export const RESERVED_ARTIFACT_PREFIXES = ['gatehouse-', 'reports-'];

/** Where a job stages files before uploading them: `$RUNNER_TEMP/gatehouse/<kind>/<name>` (shell) and its `with:` form. */
export function stagingDir(kind: string, name: string): { shell: string; expression: string } {
  return { shell: `"$RUNNER_TEMP/gatehouse/${kind}/${name}"`, expression: `\${{ runner.temp }}/gatehouse/${kind}/${name}` };
}
