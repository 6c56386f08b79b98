import { collector, TektonModelRule } from './types';
import { CommandStep, FailureStrategy, ScanStep } from '../../core';
import { derivedTaskName, INTERVENTION_SUFFIX, STAGE_GATE_SUFFIX, stageGateTaskName, taskNameOf } from '../render/names';

/**
 * The task names gatehouse adds (a stage gate `<stage>-stage-gate`, an intervention
 * `<task>-intervention`) are not the task name of a step.
 */
export const taskNamesRule: TektonModelRule = (pipeline) => {
  const { issues, add } = collector();
  const stepTasks = new Set<string>();
  for (const stage of pipeline.stages) for (const step of stage.steps) stepTasks.add(taskNameOf(stage, step));
  for (const stage of pipeline.stages) {
    for (const step of stage.steps) {
      if (step instanceof ScanStep && step.gate?.failureStrategy === FailureStrategy.MANUAL_INTERVENTION) {
        const name = derivedTaskName(taskNameOf(stage, step), INTERVENTION_SUFFIX);
        if (stepTasks.has(name)) {
          add(`stage "${stage.name}" > step "${step.name}" > gate`, `its intervention runs as task "${name}", the task name of a step: rename that step`);
        }
      }
      if (step instanceof CommandStep && step.onFailure.strategy === FailureStrategy.MANUAL_INTERVENTION) {
        const name = derivedTaskName(taskNameOf(stage, step), INTERVENTION_SUFFIX);
        if (stepTasks.has(name)) {
          add(`stage "${stage.name}" > step "${step.name}"`, `its onFailure intervention runs as task "${name}", the task name of a step: rename that step`);
        }
      }
    }
    if (!stage.gate) continue;
    const where = `stage "${stage.name}" > stage gate`;
    const gateTask = stageGateTaskName(stage);
    if (stepTasks.has(gateTask)) {
      add(where, `runs as task "${gateTask}", the name of the ${stage.steps.some((s) => s.name === STAGE_GATE_SUFFIX) ? `stage's step "${STAGE_GATE_SUFFIX}"` : 'task of a step'}: rename that step`);
    }
    if (stage.gate.failureStrategy === FailureStrategy.MANUAL_INTERVENTION) {
      const name = derivedTaskName(gateTask, INTERVENTION_SUFFIX);
      if (stepTasks.has(name)) add(where, `its intervention runs as task "${name}", the task name of a step: rename that step`);
    }
  }
  return issues;
};
