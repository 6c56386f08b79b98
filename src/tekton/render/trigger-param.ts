import { TRIGGER_PARAM } from './names';
import { Stage, TRIGGER_ENV_VAR, triggerWord } from '../../core';
import { RUN_CONTEXT_VARIABLES } from '../../core/audit-events';
import * as tk from '../imports/tekton.dev';

/** The pipeline param carrying the run's trigger; a run created by hand is `manual`. */
export const TRIGGER_PARAM_SPEC: tk.PipelineSpecParams = {
  name: TRIGGER_PARAM,
  type: 'string',
  description: 'what started the run: push, pull_request, schedule or manual',
  default: 'manual',
};

/** The task param carrying the run's name (the PipelineRun's), for the audit events. */
export const RUN_ID_PARAM = 'gatehouse-run-id';

/**
 * Tells every step of an embedded task its run's trigger and the run's name: the task declares
 * the params, the pipeline task passes the pipeline's trigger and `$(context.pipelineRun.name)`,
 * and every step sees them as GATEHOUSE_TRIGGER and GATEHOUSE_RUN_ID (set last, so that a step
 * env of those names cannot stand in for them). Tasks by reference (approvals) are left.
 */
export function passTrigger(task: tk.PipelineSpecTasks): tk.PipelineSpecTasks {
  const spec = task.taskSpec as (tk.TaskSpec & { params?: tk.TaskSpecParams[] }) | undefined;
  if (!spec) return task;
  const owned = [TRIGGER_ENV_VAR, RUN_CONTEXT_VARIABLES.runId];
  const env = [
    { name: TRIGGER_ENV_VAR, value: `$(params.${TRIGGER_PARAM})` },
    { name: RUN_CONTEXT_VARIABLES.runId, value: `$(params.${RUN_ID_PARAM})` },
  ];
  return {
    ...task,
    params: [...(task.params ?? []), { name: TRIGGER_PARAM, value: `$(params.${TRIGGER_PARAM})` }, { name: RUN_ID_PARAM, value: '$(context.pipelineRun.name)' }],
    taskSpec: {
      ...spec,
      params: [...(spec.params ?? []), { name: TRIGGER_PARAM, type: 'string' }, { name: RUN_ID_PARAM, type: 'string' }],
      steps: (spec.steps ?? []).map((s) => ({ ...s, env: [...(s.env ?? []).filter((e) => !owned.includes(e.name)), ...env] })),
    } as any,
  };
}

/** A stage limited to some triggers: its tasks run only when the run's trigger is one of them. */
export function whenTrigger(task: tk.PipelineSpecTasks, stage: Stage): tk.PipelineSpecTasks {
  if (stage.onlyOn === undefined) return task;
  return {
    ...task,
    when: [...(task.when ?? []), { input: `$(params.${TRIGGER_PARAM})`, operator: 'in', values: stage.onlyOn.map(triggerWord) }],
  };
}
