import { Stage, Step } from '../../core';

/** Path of the rendered config in the repository. */
export const CONFIG_PATH = '.circleci/config.yml';
/** Path of the bundled gate shipped with the config (committed beside it). */
export const GATE_BUNDLE_PATH = '.circleci/gatehouse/gatehouse.js';
/** The one workflow's name is the pipeline's. */

/** Everything gatehouse keeps in a job's container, outside the checkout (`~/project`). */
export const WORK_DIR = '/tmp/gatehouse';
/** Where a job attaches the workflow's workspace (outside the checkout: nothing the repository holds is there). */
export const WORKSPACE_DIR = `${WORK_DIR}/workspace`;
/** Stored with `store_artifacts`: reports and gate outputs. */
export const KEEP_DIR = `${WORK_DIR}/keep`;
/** Stored with `store_test_results`: JUnit reports, gate verdicts and recorded failures. */
export const TEST_RESULTS_DIR = `${WORK_DIR}/test-results`;
/** Exit codes recorded by one step of a job and read by its last step. */
export const STATUS_DIR = `${WORK_DIR}/status`;
/** Trust files of a gate, written from the definition by the gate job. */
export const TRUST_DIR = `${WORK_DIR}/trust`;

/** Workspace folder of an output artifact: `artifacts/<name>` (only the job producing it persists it). */
export function artifactPath(name: string): string {
  return `artifacts/${name}`;
}

/** Workspace folder of a scan's findings reports and their manifest: `findings/<scan job>`. */
export function findingsPath(job: string): string {
  return `findings/${job}`;
}

/** Workspace folder of a gate's verdict: `verdicts/<gate job>`. */
export function verdictPath(job: string): string {
  return `verdicts/${job}`;
}

/** Workspace folder of a final job's success marker: `status/<job>`. */
export function statusPath(job: string): string {
  return `status/${job}`;
}

/** The manifest a scan job writes beside its findings: `sha256sum` lines. */
export const FINDINGS_MANIFEST = 'SHA256SUMS';

/** Suffix of the job running a scan's own gate. */
export const GATE_SUFFIX = 'gate';
/** Suffix of a stage gate's job: `<stage>-stage-gate` (as its output folder). */
export const STAGE_GATE_SUFFIX = 'stage-gate';
/** Suffix of the job that fails when a MANUAL_INTERVENTION gate's verdict is FAILED. */
export const VERDICT_SUFFIX = 'verdict';
/** Suffix of the approval job of a manual intervention. */
export const INTERVENTION_SUFFIX = 'intervention';

/**
 * The job name of a step: the stage's name when the stage holds this one step and no stage gate
 * (the seed's `build`, `test`, `integration`), else `<stage>-<step>`.
 */
export function jobNameOf(stage: Stage, step: Step): string {
  return stage.steps.length === 1 && !stage.gate ? stage.name : `${stage.name}-${step.name}`;
}

/** The job name of a stage gate. */
export function stageGateJobName(stage: Stage): string {
  return `${stage.name}-${STAGE_GATE_SUFFIX}`;
}

/** `<job>-<suffix>`. */
export function derivedJobName(job: string, suffix: string): string {
  return `${job}-${suffix}`;
}
