import { aws_codepipeline as cp } from 'aws-cdk-lib';
import { ApprovalStep, Stage } from '../../core';
import { approvalAction, grantApprovers } from '../approval';
import { actionName } from '../naming';
import { summaryReadStatements } from './gate';
import type { PipelineRenderer } from './renderer';

/** An approval step: a manual approval action, and the policy that lets its approvers (only) answer it. */
export function renderApproval(r: PipelineRenderer, cpStageName: string, stage: Stage, step: ApprovalStep, runOrder: number): cp.IAction {
  const { key, approvalTopic, codePipeline } = r.settings;
  const scope = r.stepScope(stage, step);
  const name = actionName(stage.name, step.name);
  const wiring = approvalAction(scope, stage, step, name, runOrder, key, approvalTopic);
  if (wiring.topic) r.topics.push(wiring.topic);
  r.approverPolicies.set(`${stage.name}/${step.name}`, grantApprovers(scope, step, codePipeline, cpStageName, name, summaryReadStatements(r)));
  r.actionNames.set(`${stage.name}/${step.name}`, name);
  return wiring.action;
}
