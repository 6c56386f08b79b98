import { APPROVAL_API_VERSION, APPROVAL_KIND, approvalTaskApprover } from './approval-task';
import { goDuration } from './durations';
import { EXIT_CODE_RESULT, RUN_STEP } from './names';
import { CommandStep, FailureStrategy } from '../../core';
import * as tk from '../imports/tekton.dev';

/** Param of a finally task: the aggregate status of the pipeline's tasks (`$(tasks.status)`). */
export const TASKS_STATUS_PARAM = 'gatehouse-tasks-status';

/** Environment variable of a step that runs always: `succeeded` or `failed`. */
export const PIPELINE_STATUS_VARIABLE = 'GATEHOUSE_PIPELINE_STATUS';

/**
 * Whether a failed step's task still succeeds, with the real exit code in its `exit-code` result:
 * IGNORE (the run goes on) and MANUAL_INTERVENTION (an approval task decides).
 */
export function recordsFailure(step: CommandStep): boolean {
  return step.allowFailure || step.onFailure.strategy === FailureStrategy.MANUAL_INTERVENTION;
}

/**
 * The ApprovalTask that lets a failed command step through (`OnFailure.manualIntervention`): it
 * runs only when the step's exit code is not 0, the step's approvers decide, and a reject or the
 * timeout fails the run. Tasks after the step run after it instead.
 */
export function stepInterventionPipelineTask(name: string, stepTask: string, what: string, step: CommandStep): tk.PipelineSpecTasks {
  const timeout = goDuration(step.onFailure.timeoutMinutes);
  const description =
    `Step ${what} FAILED with exit code $(tasks.${stepTask}.results.${EXIT_CODE_RESULT}). ` +
    `Read the logs of TaskRun $(context.pipelineRun.name)-${stepTask}, then approve to let this run go on or reject to stop it.`;
  return {
    name,
    runAfter: [stepTask],
    timeout,
    when: [{ input: `$(tasks.${stepTask}.results.${EXIT_CODE_RESULT})`, operator: 'notin', values: ['0'] }],
    taskRef: { apiVersion: APPROVAL_API_VERSION, kind: APPROVAL_KIND },
    params: [
      { name: 'approvers', value: step.onFailure.approvers.map(approvalTaskApprover) },
      { name: 'numberOfApprovalsRequired', value: '1' },
      { name: 'description', value: description },
      { name: 'timeout', value: timeout },
    ],
  };
}

/**
 * A command step's task as a `finally` task of the pipeline: it runs when every other task is
 * done, whatever their result; it has no runAfter (Tekton refuses it in `finally`), and its `run`
 * step is told the run's status as `GATEHOUSE_PIPELINE_STATUS` (`failed` when `$(tasks.status)`
 * is `Failed`, else `succeeded`). A failing finally task fails the PipelineRun.
 */
export function asFinallyTask(task: tk.PipelineSpecTasks): tk.PipelineSpecFinally {
  const { runAfter: _ignored, taskSpec, ...rest } = task;
  const spec = taskSpec as tk.TaskSpec;
  const steps = (spec.steps ?? []).map((s: tk.TaskSpecSteps) => {
    if (s.name !== RUN_STEP) return s;
    const [shebang, ...body] = (s.script ?? '').split('\n');
    return {
      ...s,
      env: [...(s.env ?? []), { name: 'GATEHOUSE_TASKS_STATUS', value: `$(params.${TASKS_STATUS_PARAM})` }],
      script: [
        shebang,
        `case "$GATEHOUSE_TASKS_STATUS" in Failed) ${PIPELINE_STATUS_VARIABLE}=failed ;; *) ${PIPELINE_STATUS_VARIABLE}=succeeded ;; esac`,
        `export ${PIPELINE_STATUS_VARIABLE}`,
        ...body,
      ].join('\n'),
    };
  });
  return {
    ...rest,
    params: [...(rest.params ?? []), { name: TASKS_STATUS_PARAM, value: '$(tasks.status)' }],
    taskSpec: {
      ...spec,
      params: [...(spec.params ?? []), { name: TASKS_STATUS_PARAM, type: 'string', description: 'the aggregate status of the pipeline\'s tasks ($(tasks.status))' }],
      steps,
    },
  } as tk.PipelineSpecFinally;
}
