import { Duration, aws_codepipeline as cp, aws_codepipeline_actions as actions, aws_sns as sns } from 'aws-cdk-lib';
import { CommandStep, FailureStrategy } from '../core';
import { variableRef } from './intervention';
import { INTERVENTION_ACTION_NAME } from './naming';
import { EXIT_CODE_VARIABLE, STATUS_VARIABLE } from './step-script';

/** Longest `CustomData` of a manual approval. */
const MAX_CUSTOM_DATA = 500;

/**
 * Whether a failed command step's action still succeeds, with the real result in its action
 * variables (`GATEHOUSE_STEP_STATUS`, `GATEHOUSE_EXIT_CODE`) and status file: IGNORE (the pipeline
 * goes on) and MANUAL_INTERVENTION (an intervention stage after it decides).
 */
export function recordsFailure(step: CommandStep): boolean {
  return step.allowFailure || step.onFailure.strategy === FailureStrategy.MANUAL_INTERVENTION;
}

/** Whether a command step waits for a manual intervention when it fails. */
export function waitsForIntervention(step: CommandStep): boolean {
  return step.onFailure.strategy === FailureStrategy.MANUAL_INTERVENTION;
}

/**
 * The manual approval that lets a failed command step through: its text carries the step's exit
 * code (an action variable, resolved when the approval starts); reject or the timeout fails the
 * execution.
 */
export function stepInterventionAction(
  what: string,
  namespace: string,
  step: CommandStep,
  topic: sns.ITopic | undefined,
): actions.ManualApprovalAction {
  const info =
    `Step ${what} FAILED with exit code ${variableRef(namespace, EXIT_CODE_VARIABLE)}. ` +
    'Read its CodeBuild log, then approve to let this run go on or reject to stop it.';
  if (info.length > MAX_CUSTOM_DATA) {
    throw new Error(`the intervention text of step ${what} is ${info.length} characters, more than CodePipeline's ${MAX_CUSTOM_DATA}: use shorter stage and step names`);
  }
  return new actions.ManualApprovalAction({
    actionName: INTERVENTION_ACTION_NAME,
    runOrder: 1,
    notificationTopic: topic,
    additionalInformation: info,
    timeout: Duration.minutes(step.onFailure.timeoutMinutes),
  });
}

/**
 * The entry condition of a step's intervention stage: enter only when the step's status is FAILED,
 * otherwise skip the stage (CodePipeline V2 `VariableCheck` rule, result SKIP).
 */
export function enterOnFailedStep(ruleName: string, namespace: string): cp.Conditions {
  return {
    conditions: [
      {
        result: cp.Result.SKIP,
        rules: [
          new cp.Rule({
            name: ruleName,
            provider: 'VariableCheck',
            version: '1',
            configuration: { Variable: variableRef(namespace, STATUS_VARIABLE), Value: 'FAILED', Operator: 'EQ' },
          }),
        ],
      },
    ],
  };
}
