import { Stack } from 'aws-cdk-lib';
import { FailureStrategy } from '../../core';
import { MIN_APPROVAL_MINUTES } from '../approval';
import { interventionAction, interventionProblems } from '../intervention';
import { gateNamespace } from '../naming';
import { CodePipelineRule, collector } from './context';
import { modelGates } from './gates';

/**
 * A MANUAL_INTERVENTION gate becomes a CodePipeline manual approval: IAM approvers, a wait
 * CodePipeline accepts, and a text (the gate's counts as action variables, longer with longer
 * names) within CodePipeline's 500 characters.
 */
export const gateInterventionsRule: CodePipelineRule = ({ model, scope }) => {
  const { issues, add } = collector();
  for (const g of modelGates(model)) {
    if (g.policy.failureStrategy !== FailureStrategy.MANUAL_INTERVENTION) continue;
    const problems = interventionProblems(g.policy, MIN_APPROVAL_MINUTES, Stack.of(scope).account);
    for (const p of problems) add(g.path, p);
    if (problems.length > 0) continue;
    try {
      // the action as the engine builds it: its own checks (the text's length) speak here, not at render
      interventionAction(g.what, gateNamespace(g.stage.name, g.step?.name), g.policy, undefined);
    } catch (e) {
      add(g.path, (e as Error).message);
    }
  }
  return issues;
};
