import { aws_iam as iam } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { AlwaysStep } from '../../core';
import { commandProject } from '../command-project';
import { eventRule } from '../event-rule';
import { statusFilePath } from '../naming';
import { awsKmsKeyStatements } from '../security';
import type { PipelineRenderer } from './renderer';

/** Execution states after which steps that run always start: every way an execution ends. */
export const ENDED_STATES = ['SUCCEEDED', 'FAILED', 'STOPPED', 'SUPERSEDED'];

/** Variable the EventBridge rule sets: the ended execution's state. */
export const EXECUTION_STATE_VARIABLE = 'GATEHOUSE_EXECUTION_STATE';
/** Variable the EventBridge rule sets: the ended execution's id. */
export const EXECUTION_ID_VARIABLE = 'GATEHOUSE_EXECUTION_ID';
/** Variable a step that runs always reads: `succeeded` or `failed`. */
export const PIPELINE_STATUS_VARIABLE = 'GATEHOUSE_PIPELINE_STATUS';

/**
 * Steps that run always, on CodePipeline: a failed action stops its execution, and no stage
 * condition runs another stage after a failure, so such a step runs outside the execution, when
 * it ends. An EventBridge rule on the pipeline's execution state change (every end state) starts
 * the step's own CodeBuild project (no source, no artifacts), telling it the state; its role may
 * start that project and nothing else. The execution's status stays what it was: failed when a
 * step failed. The step's own result is its build's.
 */
export function renderAlwaysSteps(r: PipelineRenderer, steps: AlwaysStep[]): void {
  if (steps.length === 0) return;
  const { model, key, artifactBucket, logRetention, removalPolicy, computeType, codePipeline } = r.settings;
  const scope = new Construct(r.scope, 'Always');
  const projects = steps.map(({ stage, step }) => {
    const { project, role } = commandProject(r.stepScope(stage, step), {
      pipelineName: model.name,
      stageName: stage.name,
      step,
      image: model.imageOf(step),
      env: model.envOf(step),
      timeoutMinutes: model.timeoutOf(step) * (step.retries + 1),
      key,
      bucket: artifactBucket,
      logRetention,
      removalPolicy,
      computeType,
      extraInputs: [],
      // no source and no artifact: the execution has ended
      access: { readArtifacts: [], writeArtifacts: [] },
      artifacts: [],
      statusFile: statusFilePath(stage.name, step.name),
      extraStatements: awsKmsKeyStatements(r.stepScope(stage, step), step),
      standalone: true,
      grants: r.grants,
      prelude: [
        `case "$${EXECUTION_STATE_VARIABLE}" in SUCCEEDED) ${PIPELINE_STATUS_VARIABLE}=succeeded ;; *) ${PIPELINE_STATUS_VARIABLE}=failed ;; esac`,
        `export ${PIPELINE_STATUS_VARIABLE}`,
      ],
    });
    r.projects.set(`${stage.name}/${step.name}`, project);
    r.roles.set(`${stage.name}/${step.name}`, role);
    return { stage, step, project };
  });
  const role = new iam.Role(scope, 'StartRole', {
    assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
    description: `gatehouse ${model.name}: starts the steps that run always when an execution ends`,
    inlinePolicies: {
      start: new iam.PolicyDocument({
        statements: [new iam.PolicyStatement({ sid: 'StartAlwaysSteps', actions: ['codebuild:StartBuild'], resources: projects.map((p) => p.project.projectArn) })],
      }),
    },
  });
  // EventBridge takes at most 5 targets per rule
  for (let i = 0; i < projects.length; i += MAX_RULE_TARGETS) {
    const id = i === 0 ? 'ExecutionEnded' : `ExecutionEnded${i / MAX_RULE_TARGETS + 1}`;
    const arns = projects.slice(i, i + MAX_RULE_TARGETS).map((p) => p.project.projectArn);
    endedRule(scope, id, model.name, codePipeline.pipelineArn, role.roleArn, arns, i);
  }
}

/** Most targets of one EventBridge rule. */
const MAX_RULE_TARGETS = 5;

/** One rule starting up to five projects (targets `always-<first + 1>`, …) when an execution ends. */
function endedRule(
  scope: Construct,
  id: string,
  modelName: string,
  pipelineArn: string,
  roleArn: string,
  projectArns: string[],
  first: number,
): void {
  eventRule(scope, id, {
    description: `gatehouse ${modelName}: runs the steps that run always when an execution ends`,
    eventPattern: {
      'source': ['aws.codepipeline'],
      'detail-type': ['CodePipeline Pipeline Execution State Change'],
      'resources': [pipelineArn],
      'detail': { state: ENDED_STATES },
    },
    targets: projectArns.map((arn, i) => ({
      id: `always-${first + i + 1}`,
      arn,
      roleArn,
      inputTransformer: {
        inputPathsMap: { state: '$.detail.state', execution: '$.detail.execution-id' },
        inputTemplate:
          '{"environmentVariablesOverride":[' +
          `{"name":"${EXECUTION_STATE_VARIABLE}","value":<state>,"type":"PLAINTEXT"},` +
          `{"name":"${EXECUTION_ID_VARIABLE}","value":<execution>,"type":"PLAINTEXT"}]}`,
      },
    })),
  });
}
