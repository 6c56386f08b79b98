import { Duration, aws_codepipeline as cp, aws_codepipeline_actions as actions, aws_sns as sns } from 'aws-cdk-lib';
import { GatePolicy } from '../core';
import { approverProblem } from './approval';
import { GATE_SEVERITIES, GATE_SUMMARY_VARIABLE, GATE_VERDICT_VARIABLE, gateCountVariable } from './gate-script';
import { INTERVENTION_ACTION_NAME } from './naming';

/** Longest `CustomData` of a manual approval. */
const MAX_CUSTOM_DATA = 500;

/**
 * Why a gate's MANUAL_INTERVENTION cannot be rendered on CodePipeline, if it cannot: the
 * approvers are checked as an approval step's are (IAM names or ARNs, in the pipeline's account
 * when `stackAccount` is known).
 */
export function interventionProblems(policy: GatePolicy, minMinutes: number, stackAccount?: string): string[] {
  const out: string[] = [];
  for (const a of policy.interventionApprovers) {
    const problem = approverProblem(a, stackAccount);
    if (problem) out.push(`intervention ${problem}`);
  }
  if (policy.interventionTimeoutMinutes < minMinutes) {
    out.push(`interventionTimeoutMinutes ${policy.interventionTimeoutMinutes} is below CodePipeline's minimum approval wait of ${minMinutes} minutes: use at least ${minMinutes}`);
  }
  return out;
}

/** A gate variable as CodePipeline writes it: `#{<namespace>.<variable>}`. */
export function variableRef(namespace: string, variable: string): string {
  return `#{${namespace}.${variable}}`;
}

/**
 * The manual approval that lets a failed gate through: its text carries the counts and the
 * summary link (action variables of the gate, resolved by CodePipeline when the approval starts).
 */
export function interventionAction(what: string, namespace: string, policy: GatePolicy, topic: sns.ITopic | undefined): actions.ManualApprovalAction {
  const counts = GATE_SEVERITIES.map((s) => `${variableRef(namespace, gateCountVariable(s))} ${s}`).join(', ');
  const info = `The gatehouse gate of ${what} FAILED (${counts}). Read the findings (link), then approve to let this run go on or reject to stop it.`;
  if (info.length > MAX_CUSTOM_DATA) {
    throw new Error(`the intervention text of the gate of ${what} is ${info.length} characters, more than CodePipeline's ${MAX_CUSTOM_DATA}: use shorter stage and step names`);
  }
  return new actions.ManualApprovalAction({
    actionName: INTERVENTION_ACTION_NAME,
    runOrder: 1,
    notificationTopic: topic,
    additionalInformation: info,
    externalEntityLink: variableRef(namespace, GATE_SUMMARY_VARIABLE),
    timeout: Duration.minutes(policy.interventionTimeoutMinutes),
  });
}

/**
 * The entry condition of an intervention stage: enter only when the gate's verdict is FAILED,
 * otherwise skip the stage (CodePipeline V2 `VariableCheck` rule, result SKIP; a skip result
 * cannot be overridden when an execution starts).
 */
export function enterOnFailedGate(ruleName: string, namespace: string): cp.Conditions {
  return {
    conditions: [
      {
        result: cp.Result.SKIP,
        rules: [
          new cp.Rule({
            name: ruleName,
            provider: 'VariableCheck',
            version: '1',
            configuration: { Variable: variableRef(namespace, GATE_VERDICT_VARIABLE), Value: 'FAILED', Operator: 'EQ' },
          }),
        ],
      },
    ],
  };
}
