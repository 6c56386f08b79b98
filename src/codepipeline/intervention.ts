import { Duration } from 'aws-cdk-lib';
import * as cp from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Approver, GatePolicy } from '../core';
import { GATE_SEVERITIES, GATE_SUMMARY_VARIABLE, GATE_VERDICT_VARIABLE, gateCountVariable } from './gate-script';
import { INTERVENTION_ACTION_NAME } from './naming';

/** Longest `CustomData` of a manual approval. */
const MAX_CUSTOM_DATA = 500;

/**
 * The IAM principals an intervention approver id names: `group:<name>` an IAM group,
 * `role:<name>` an IAM role, `user:<name>` or a plain `<name>` an IAM user, all in the pipeline's
 * account. (The model's approver ids cannot hold "/", so ARNs cannot be given here.)
 */
export function interventionApprover(id: string): Approver {
  const m = /^(user|group|role):(.*)$/.exec(id);
  const [kind, name] = m ? [m[1], m[2]] : ['user', id];
  if (!/^[\w+=,.@-]{1,64}$/.test(name)) {
    throw new Error(
      `intervention approver "${id}" is not an IAM ${kind} name: use "user:<name>", "group:<name>" or "role:<name>" with letters, digits and +=,.@_- (at most 64)`,
    );
  }
  return kind === 'group' ? Approver.group(name) : kind === 'role' ? Approver.role(name) : Approver.user(name);
}

/** Why a gate's MANUAL_INTERVENTION cannot be rendered on CodePipeline, if it cannot. */
export function interventionProblems(policy: GatePolicy, minMinutes: number): string[] {
  const out: string[] = [];
  for (const id of policy.interventionApprovers) {
    try {
      interventionApprover(id);
    } catch (e) {
      out.push((e as Error).message);
    }
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
