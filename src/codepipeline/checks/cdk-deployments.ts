import { Stack, Stage as CdkStage } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { StageKind } from '../../core';
import { CDK_DEPLOY_STEP_NAME } from '../cdk-deployment';
import { CodePipelineRule, collector, MAX_CODEBUILD_MINUTES, MIN_CODEBUILD_MINUTES } from './context';

/** Each CDK deployment targets its own deploy stage, with a CDK stage of the app that is not the pipeline's. */
export const cdkDeploymentsRule: CodePipelineRule = ({ model, scope, cdkDeployments }) => {
  const { issues, add } = collector();
  const seen = new Set<string>();
  cdkDeployments.forEach((d, i) => {
    const where = `cdkDeployments[${i}]`;
    const stage = model.stage(d.deployStage);
    if (!stage) {
      const deploys = model.stages.filter((s) => s.kind === StageKind.DEPLOY).map((s) => `"${s.name}"`).join(', ');
      add(where, `deployStage "${d.deployStage}" is not a stage of the pipeline: name a deploy stage (${deploys || 'none yet: add Stage.deployStage(...)'})`);
    } else if (stage.kind !== StageKind.DEPLOY) {
      add(where, `stage "${d.deployStage}" is a ${stage.kind.toLowerCase()} stage: deploy CDK stages from a deploy stage (Stage.deployStage)`);
    } else if (stage.steps.some((s) => s.name === CDK_DEPLOY_STEP_NAME)) {
      add(where, `stage "${d.deployStage}" already has a step named "${CDK_DEPLOY_STEP_NAME}": rename that step`);
    }
    if (seen.has(d.deployStage)) {
      add(where, `stage "${d.deployStage}" already deploys a CDK stage: deploy one CDK stage per deploy stage`);
    }
    seen.add(d.deployStage);
    if (!CdkStage.isStage(d.stage) || d.stage.node.scope === undefined) {
      add(where, 'stage must be a cdk Stage inside the app (new Stage(app, \'Prod\', ...)), not the app itself');
    } else if (isWithin(Stack.of(scope), d.stage)) {
      add(where, `CDK stage "${d.stage.node.path}" contains the pipeline's own stack: deploy the pipeline stack with cdk deploy, and application stages from the pipeline`);
    }
    const t = d.timeoutMinutes ?? 60;
    if (!Number.isInteger(t) || t < MIN_CODEBUILD_MINUTES || t > MAX_CODEBUILD_MINUTES) {
      add(where, `timeoutMinutes ${t} is out of range: use a whole number from ${MIN_CODEBUILD_MINUTES} to ${MAX_CODEBUILD_MINUTES}`);
    }
  });
  return issues;
};

function isWithin(child: Construct, ancestor: Construct): boolean {
  for (let c: Construct | undefined = child; c; c = c.node.scope as Construct | undefined) {
    if (c === ancestor) return true;
  }
  return false;
}
