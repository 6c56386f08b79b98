import { aws_codepipeline as cp, aws_codepipeline_actions as actions, aws_iam as iam } from 'aws-cdk-lib';
import { CommandStep, ScanStep, Stage, StepPlatform, TRIGGER_ENV_VAR } from '../../core';
import { RUN_CONTEXT_VARIABLES } from '../../core/audit-events';
import { ArtifactSpec } from '../buildspec';
import { bootstrapRoleArns, CDK_DEPLOY_STEP_NAME, cdkDeployCommands, DEFAULT_CDK_IMAGE } from '../cdk-deployment';
import { CdkStageDeployment } from '../cdk-stage-deployment';
import { commandProject, TEST_REPORT_FORMATS } from '../command-project';
import { actionName, outputArtifactName, reportsArtifactName, statusFilePath, variablesNamespace } from '../naming';
import { runTriggerValue } from '../run-trigger';
import { recordsFailure } from '../step-strategies';
import type { PipelineRenderer } from './renderer';

/** A command (or scan) step: its CodeBuild project and role, and the action running it. */
export function renderCommand(
  r: PipelineRenderer,
  stage: Stage,
  step: CommandStep,
  runOrder: number,
  extraStatements: iam.PolicyStatement[],
): cp.IAction {
  const { model, key: pipelineKey, artifactBucket, logRetention, removalPolicy, computeType } = r.settings;
  const outputs: ArtifactSpec[] = step.outputs.map((o) => ({ name: outputArtifactName(o.name), paths: o.paths }));
  const outputArtifacts = step.outputs.map((o) => r.artifactOf(o.name));
  const statusFile = statusFilePath(stage.name, step.name);
  const kept = step.reports.filter((rep) => !TEST_REPORT_FORMATS[rep.format ?? 'OTHER']);
  if (kept.length > 0 || recordsFailure(step)) {
    const name = reportsArtifactName(stage.name, step.name);
    outputs.push({ name, paths: kept.flatMap((rep) => rep.paths), files: [statusFile] });
    const reports = r.registerArtifact(name);
    outputArtifacts.push(reports);
    r.reportsArtifacts.set(`${stage.name}/${step.name}`, reports);
  }
  const { project, role } = commandProject(r.stepScope(stage, step), {
    pipelineName: model.name,
    stageName: stage.name,
    step,
    image: model.imageOf(step, StepPlatform.CODEBUILD),
    env: model.envOf(step, StepPlatform.CODEBUILD),
    timeoutMinutes: model.timeoutOf(step) * (step.retries + 1),
    key: pipelineKey,
    bucket: artifactBucket,
    logRetention,
    removalPolicy,
    computeType,
    extraInputs: step.inputs.map((i) => outputArtifactName(i)),
    // the step reads the source and its inputs, and writes its own outputs: no other artifact
    access: {
      readArtifacts: [r.sourceOutput, ...step.inputs.map((i) => r.artifactOf(i))].map((a) => r.keyPrefixOf(a)),
      writeArtifacts: outputArtifacts.map((a) => r.keyPrefixOf(a)),
    },
    artifacts: outputs,
    statusFile,
    extraStatements,
    results: step instanceof ScanStep ? step.chainsResults : undefined,
    grants: r.grants,
  });
  const key = `${stage.name}/${step.name}`;
  const name = actionName(stage.name, step.name);
  r.projects.set(key, project);
  r.roles.set(key, role);
  r.actionNames.set(key, name);
  return new actions.CodeBuildAction({
    actionName: name,
    runOrder,
    project,
    input: r.sourceOutput,
    extraInputs: step.inputs.map((i) => r.artifactOf(i)),
    outputs: outputArtifacts,
    variablesNamespace: variablesNamespace(stage.name, step.name),
    // the run's trigger, set on the action: it wins over a project env of the same name
    environmentVariables: { [TRIGGER_ENV_VAR]: { value: runTriggerValue(model) }, [RUN_CONTEXT_VARIABLES.runId]: { value: '#{codepipeline.PipelineExecutionId}' } },
  });
}

/** A CDK deployment: a `cdk deploy` command step, first in its deploy stage, allowed to assume the bootstrap roles. */
export function renderCdkDeployment(r: PipelineRenderer, stage: Stage, d: CdkStageDeployment): cp.IAction {
  const step = new CommandStep({
    name: CDK_DEPLOY_STEP_NAME,
    commands: cdkDeployCommands(d),
    image: d.image ?? DEFAULT_CDK_IMAGE,
    privileged: d.privileged,
    timeoutMinutes: d.timeoutMinutes,
  });
  return renderCommand(r, stage, step, 1, [
    new iam.PolicyStatement({ sid: 'AssumeCdkBootstrapRoles', actions: ['sts:AssumeRole'], resources: bootstrapRoleArns(r.scope, d) }),
  ]);
}
