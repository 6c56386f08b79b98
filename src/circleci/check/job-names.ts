import { collector, CircleCiModelRule, JOB_NAME, stepPath } from './types';
import { ApprovalStep, CommandStep, FailureStrategy, ScanStep } from '../../core';
import { derivedJobName, GATE_SUFFIX, INTERVENTION_SUFFIX, jobNameOf, stageGateJobName, VERDICT_SUFFIX } from '../render/names';

/**
 * Every job the engine writes has a name CircleCI accepts (a letter first) and its own name: a
 * step's job, a gate's, a verdict's or a hold's never takes another's.
 */
export const jobNamesRule: CircleCiModelRule = (pipeline) => {
  const { issues, add } = collector();
  const owners = new Map<string, string>();
  const claim = (name: string, where: string, what: string) => {
    if (!JOB_NAME.test(name)) {
      add(where, `${what} "${name}" is not a CircleCI job name (a letter first, then letters, digits, "_" or "-"): rename the stage or step to start with a letter`);
    }
    const other = owners.get(name);
    if (other !== undefined && other !== where) {
      add(where, `${what} "${name}" is also the job of ${other}: rename one of the stages or steps`);
    } else {
      owners.set(name, where);
    }
  };
  const gateNames = (job: string, where: string, manual: boolean) => {
    claim(job, where, 'its gate runs as job');
    if (manual) {
      claim(derivedJobName(job, VERDICT_SUFFIX), where, 'its verdict runs as job');
      claim(derivedJobName(derivedJobName(job, VERDICT_SUFFIX), INTERVENTION_SUFFIX), where, 'its intervention waits in approval job');
    }
  };
  for (const stage of pipeline.stages) {
    for (const step of stage.steps) {
      const where = stepPath(stage.name, step.name);
      const job = jobNameOf(stage, step);
      claim(job, where, step instanceof ApprovalStep ? 'its approval waits in job' : 'it runs as job');
      if (step instanceof CommandStep && step.onFailure.strategy === FailureStrategy.MANUAL_INTERVENTION) {
        claim(derivedJobName(job, INTERVENTION_SUFFIX), where, 'its intervention waits in approval job');
      }
      if (step instanceof ScanStep && step.gate) {
        gateNames(derivedJobName(job, GATE_SUFFIX), `${where} > gate`, step.gate.failureStrategy === FailureStrategy.MANUAL_INTERVENTION);
      }
    }
    if (stage.gate) gateNames(stageGateJobName(stage), `stage "${stage.name}" > stage gate`, stage.gate.failureStrategy === FailureStrategy.MANUAL_INTERVENTION);
  }
  return issues;
};
