import { TRIGGER_PARAM } from './names';
import { Stage, TRIGGER_ENV_VAR, triggerWord } from '../../core';
import * as tk from '../imports/tekton.dev';

/** The pipeline param carrying the run's trigger; a run created by hand is `manual`. */
export const TRIGGER_PARAM_SPEC: tk.PipelineSpecParams = {
  name: TRIGGER_PARAM,
  type: 'string',
  description: 'what started the run: push, pull_request, schedule or manual',
  default: 'manual',
};

/**
 * Tells every step of an embedded task its run's trigger: the task declares the param, the
 * pipeline task passes the pipeline's, and every step sees it as GATEHOUSE_TRIGGER (set last, so
 * that a step env of that name cannot stand in for it). Tasks by reference (approvals) are left.
 */
export function passTrigger(task: tk.PipelineSpecTasks): tk.PipelineSpecTasks {
  const spec = task.taskSpec as (tk.TaskSpec & { params?: tk.TaskSpecParams[] }) | undefined;
  if (!spec) return task;
  const env = { name: TRIGGER_ENV_VAR, value: `$(params.${TRIGGER_PARAM})` };
  return {
    ...task,
    params: [...(task.params ?? []), { name: TRIGGER_PARAM, value: `$(params.${TRIGGER_PARAM})` }],
    taskSpec: {
      ...spec,
      params: [...(spec.params ?? []), { name: TRIGGER_PARAM, type: 'string' }],
      steps: (spec.steps ?? []).map((s) => ({ ...s, env: [...(s.env ?? []).filter((e) => e.name !== TRIGGER_ENV_VAR), env] })),
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
