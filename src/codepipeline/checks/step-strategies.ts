import { Stack } from 'aws-cdk-lib';
import { CommandStep, FailureStrategy } from '../../core';
import { approverProblem, MIN_APPROVAL_MINUTES } from '../approval';
import { TEST_REPORT_FORMATS } from '../command-project';
import { variablesNamespace } from '../naming';
import { stepInterventionAction } from '../step-strategies';
import { CodePipelineRule, collector, stepPath } from './context';

/**
 * A command step's manual intervention becomes a CodePipeline manual approval: IAM approvers, a
 * wait CodePipeline accepts, a text within 500 characters. A step that runs always runs after the
 * execution ended, in its own build: it has no source and no artifacts to read or write.
 */
export const stepStrategiesRule: CodePipelineRule = ({ model, scope }) => {
  const { issues, add } = collector();
  const account = Stack.of(scope).account;
  for (const stage of model.stages) {
    for (const step of stage.steps) {
      if (!(step instanceof CommandStep)) continue;
      const where = stepPath(stage.name, step.name);
      if (step.onFailure.strategy === FailureStrategy.MANUAL_INTERVENTION) {
        const problems = step.onFailure.approvers.flatMap((a) => {
          const problem = approverProblem(a, account);
          return problem ? [`onFailure intervention ${problem}`] : [];
        });
        if (step.onFailure.timeoutMinutes < MIN_APPROVAL_MINUTES) {
          problems.push(`onFailure intervention timeoutMinutes ${step.onFailure.timeoutMinutes} is below CodePipeline's minimum approval wait of ${MIN_APPROVAL_MINUTES} minutes: use at least ${MIN_APPROVAL_MINUTES}`);
        }
        problems.forEach((p) => add(where, p));
        if (problems.length === 0) {
          try {
            // the action as the engine builds it: its own checks (the text's length) speak here, not at render
            stepInterventionAction(`${stage.name}/${step.name}`, variablesNamespace(stage.name, step.name), step, undefined);
          } catch (e) {
            add(where, (e as Error).message);
          }
        }
      }
      if (stage.runsAlways(step)) {
        const fix = 'on CodePipeline a step that runs always starts when the execution has ended, without its source or artifacts';
        if (step.inputs.length > 0) add(where, `runs always and reads artifacts (${step.inputs.join(', ')}): ${fix}; drop inputs`);
        if (step.outputs.length > 0) add(where, `runs always and writes artifacts (${step.outputs.map((o) => o.name).join(', ')}): ${fix}; drop outputs`);
        const kept = step.reports.filter((rep) => !TEST_REPORT_FORMATS[rep.format ?? 'OTHER']);
        if (kept.length > 0) {
          add(where, `runs always and keeps reports (${kept.map((rep) => rep.name).join(', ')}) as artifacts: ${fix}; keep test reports only (JUnit, Cucumber) or upload the files yourself`);
        }
      }
    }
  }
  return issues;
};
