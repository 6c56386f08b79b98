import { Construct } from 'constructs';
import { CommandStep, TriggerKind } from '../../core';
import { grantApproval } from '../approval';
import { PlacedStep } from '../layout';
import { actionName, INTERVENTION_ACTION_NAME, variablesNamespace } from '../naming';
import { entryConditions } from '../run-trigger';
import { enterOnFailedStep, stepInterventionAction } from '../step-strategies';
import type { PipelineRenderer } from './renderer';

/**
 * The CodePipeline stage that waits for a failed command step's manual intervention: entered only
 * when the step's exported status is FAILED (skipped otherwise), one approval action that the
 * step's approvers (only) may answer; reject or timeout fail the execution.
 */
export function renderStepIntervention(r: PipelineRenderer, cpStageName: string, placed: PlacedStep, onlyOn?: TriggerKind[]): void {
  const step = placed.step as CommandStep;
  const stage = placed.stage;
  const namespace = variablesNamespace(stage.name, step.name);
  const cpStage = r.settings.codePipeline.addStage({
    stageName: cpStageName,
    beforeEntry: entryConditions(onlyOn, enterOnFailedStep(`${actionName(stage.name, step.name)}-failed`, namespace)),
  });
  const topic = r.settings.approvalTopic;
  if (topic) r.topics.push(topic);
  cpStage.addAction(stepInterventionAction(`${stage.name}/${step.name}`, namespace, step, topic));
  const scope = new Construct(r.stepScope(stage, step), 'Intervention');
  // keyed like a scan's gate: a scan step never waits for its own intervention
  r.interventionPolicies.set(
    `${stage.name}/${step.name}`,
    grantApproval(scope, step.onFailure.approvers, r.settings.codePipeline, cpStageName, INTERVENTION_ACTION_NAME, []),
  );
}
