import { createHash } from 'crypto';
import { Stage, Step } from '../../core';
import { GATE_VERDICT_VARIABLE, gateCountVariable } from '../../core/gate-values';

/** The pipeline task that clones the source; it has no "-" so no `<stage>-<step>` name can clash. */
export const CLONE_TASK = 'clone';
/** Workspace holding the cloned source, shared by every task. */
export const SOURCE_WORKSPACE = 'source';
/** Workspace the reports are copied to, kept after the run. */
export const REPORTS_WORKSPACE = 'reports';
/** Pipeline param: clone URL. */
export const URL_PARAM = 'repo-url';
/** Pipeline param: branch, tag or commit to build. */
export const REVISION_PARAM = 'revision';
/** Task result holding the exit code of a command that may fail. */
export const EXIT_CODE_RESULT = 'exit-code';
/** Clone task result: the commit built. */
export const COMMIT_RESULT = 'commit';
/** Step running the commands. */
export const RUN_STEP = 'run';
/** Step that records the exit code and keeps the reports. */
export const FINISH_STEP = 'finish';
/** Home directory of every step (an emptyDir: steps run as a non-root user). */
export const HOME_DIR = '/home/gatehouse';
/** Prefix of the labels and annotations gatehouse sets. */
export const LABEL_PREFIX = 'gatehouse.dev';

/**
 * subPath of a task's folder in the reports workspace: `<pipelineRun>/<task>`. Each task mounts only
 * its own folder, so no task can read or write another's reports.
 */
export function reportsSubPath(taskName: string): string {
  return `$(context.pipelineRun.name)/${taskName}`;
}

/** The Tekton pipeline task name of a step: `<stage>-<step>` (at most 61 characters). */
export function taskNameOf(stage: Stage, step: Step): string {
  return `${stage.name}-${step.name}`;
}

/** Name of the runner ServiceAccount of a pipeline. */
export function runnerNameOf(pipelineName: string): string {
  return `${pipelineName}-runner`;
}

/** Name of the Role and RoleBinding that let the approvers answer the approvals. */
export function approverRoleNameOf(pipelineName: string): string {
  return `${pipelineName}-approver`;
}

/** Step that runs the bundled gatehouse gate after a scan. */
export const GATE_STEP = 'gate';
/** Suffix of a stage gate's pipeline task: `<stage>-stage-gate` (as its output folder). */
export const STAGE_GATE_SUFFIX = 'stage-gate';
/** Suffix of the ApprovalTask that lets a failed gate through (`FailureStrategy.MANUAL_INTERVENTION`). */
export const INTERVENTION_SUFFIX = 'intervention';
/** Task result holding the gate's verdict: PASSED, FAILED, or ERROR (bad input); the gate writes it (`--emit-results`). */
export const GATE_VERDICT_RESULT = GATE_VERDICT_VARIABLE;
/** Volume (a ConfigMap) holding the bundled gate, and where the gate step mounts it read-only. */
export const GATE_VOLUME = 'gatehouse';
export const GATE_MOUNT_PATH = '/gatehouse/bundle';
/** Where every task mounts the source workspace (Tekton's default, written out: mounts nest under it). */
export const SOURCE_MOUNT_PATH = `/workspace/${SOURCE_WORKSPACE}`;
/**
 * Folder (relative to the source root) of a scan's findings reports: `<root>/<step>/`. On Tekton it
 * is a volume of the scan's pod (an emptyDir), not a folder of the shared source workspace.
 */
export const SCAN_REPORTS_ROOT = '.gatehouse/reports';
/** The emptyDir of a scan's pod holding its findings folder (only the scanner's steps write it). */
export const FINDINGS_VOLUME = 'gatehouse-findings';
/** Where a gate step finds each scan's findings folder (read-only): `<dir>/<step>`. */
export const GATE_INPUTS_DIR = '/gatehouse/inputs';
/** The gate step's own working folder (an emptyDir only it mounts): the gate never runs in the source. */
export const GATE_WORK_VOLUME = 'gatehouse-work';
export const GATE_WORK_DIR = '/gatehouse/work';
/** The projected volume of a gate's trust files (trusted keys, trusted VEX), mounted read-only there. */
export const TRUST_VOLUME = 'gatehouse-trust';
export const TRUST_DIR = '/gatehouse/trust';
/** Mode of the trust files: owner root, readable by the pod's fsGroup (the gate's non-root group). */
export const TRUST_FILE_MODE = 0o440;
/** Folder of a scan's reports folder holding the exact findings its gate read, for a stage gate. */
export const GATE_INPUT_FOLDER = 'gate-input';
/** Key of the gzip-compressed bundled gate in its ConfigMap. */
export const GATE_BUNDLE_KEY = 'gatehouse.js.gz';
/** Longest Kubernetes label (pipeline task names are DNS-1123 labels). */
export const MAX_TASK_NAME_LENGTH = 63;

/** `GATE_CRITICAL`, `GATE_HIGH`, … : the task result counting one severity (the gate writes it, `--emit-results`). */
export const gateCountResult = gateCountVariable;

/** Pipeline task name of a stage gate. */
export function stageGateTaskName(stage: Stage): string {
  return `${stage.name}-${STAGE_GATE_SUFFIX}`;
}

/**
 * A task name derived from another (`<task>-<suffix>`), kept a DNS-1123 label: when too long, the
 * task name is shortened and a hash of it keeps the result unique.
 */
export function derivedTaskName(task: string, suffix: string): string {
  const full = `${task}-${suffix}`;
  if (full.length <= MAX_TASK_NAME_LENGTH) return full;
  const hash = createHash('sha256').update(task).digest('hex').slice(0, 6);
  const keep = MAX_TASK_NAME_LENGTH - suffix.length - hash.length - 2;
  return `${task.slice(0, keep).replace(/-+$/, '')}-${hash}-${suffix}`;
}

/** Suffix of the Pipeline result holding a gate's verdict: `<task>-verdict`. */
export const VERDICT_RESULT_SUFFIX = 'verdict';

/** Pipeline param: what started the run (`push`, `pull_request`, `schedule`, `manual`). */
export const TRIGGER_PARAM = 'gatehouse-trigger';

/** Name of the EventListener (and its ServiceAccount and Roles) of a pipeline. */
export function listenerNameOf(pipelineName: string): string {
  return `${pipelineName}-listener`;
}

/** Name of the ServiceAccount (and Role) the schedules' CronJobs create PipelineRuns with. */
export function schedulerNameOf(pipelineName: string): string {
  return `${pipelineName}-scheduler`;
}
