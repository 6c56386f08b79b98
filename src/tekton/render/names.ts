import { Stage, Step } from '../../core';

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
