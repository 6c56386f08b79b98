import { Stack, aws_codepipeline as cp, aws_codepipeline_actions as actions, aws_iam as iam } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { DEFAULT_GATE_IMAGE, FailureStrategy, gateOutputDir, TRIGGER_ENV_VAR } from '../../core';
import { RUN_CONTEXT_VARIABLES } from '../../core/audit-events';
import { grantApproval } from '../approval';
import { MAX_CODEBUILD_MINUTES, MIN_CODEBUILD_MINUTES } from '../checks/context';
import { gateProject } from '../gate-project';
import { GATE_ENV } from '../gate-script';
import { interventionAction } from '../intervention';
import { PlacedGate } from '../layout';
import { acknowledge, NAG_REASONS, nagArnRef } from '../nag';
import {
  gateActionName,
  gateArtifactName,
  gateId,
  gateNamespace,
  INTERVENTION_ACTION_NAME,
  interventionStageName,
  storedBaselineKey,
  SUMMARY_PREFIX,
} from '../naming';
import { runTriggerValue } from '../run-trigger';
import type { PipelineRenderer } from './renderer';

/** Map key of a gate: `<stage>/<step>`, or `<stage>` for the stage gate. */
export function gateKey(stageName: string, stepName?: string): string {
  return stepName ? `${stageName}/${stepName}` : stageName;
}

/**
 * The gate after a scan step (or of a stage): a CodeBuild action in CodeBuild's managed image, or
 * in the pipeline's own gate image when `defaults.gateImage` names one.
 */
export function renderGate(r: PipelineRenderer, g: PlacedGate): cp.IAction {
  const shipped = r.shippedGate!;
  const { model, key: pipelineKey, artifactBucket, logRetention, removalPolicy, computeType } = r.settings;
  const stepName = g.step?.name;
  const key = gateKey(g.stage.name, stepName);
  const scope = g.step ? new Construct(r.stepScope(g.stage, g.step), 'Gate') : new Construct(r.stageScope(g.stage), 'StageGate');
  r.gateScopes.set(key, scope);
  const reportArtifacts = g.scans.map((s) => r.reportsArtifacts.get(`${g.stage.name}/${s.name}`)!);
  const output = r.registerArtifact(gateArtifactName(g.stage.name, stepName));
  const what = stepName ? `${g.stage.name}/${stepName}` : `stage ${g.stage.name}`;
  const { project, role } = gateProject(scope, {
    pipelineName: model.name,
    what,
    policy: g.policy,
    reports: g.reports,
    outputDir: gateOutputDir(g.stage.name, stepName),
    reportArtifacts: reportArtifacts.map((a) => a.artifactName!),
    // the gate reads the source and the scans' reports, which only the scans' roles write
    access: {
      readArtifacts: [r.sourceOutput, ...reportArtifacts].map((a) => r.keyPrefixOf(a)),
      writeArtifacts: [r.keyPrefixOf(output)],
    },
    stageName: g.stage.name,
    stepName,
    gateId: gateId(g.stage.name, stepName),
    modelName: model.name,
    reportFormats: g.reportFormats,
    // the default gate image has no AWS CLI: on CodeBuild the gate runs in its managed image
    image: model.gateImage === DEFAULT_GATE_IMAGE ? undefined : model.gateImage,
    timeoutMinutes: Math.min(Math.max(model.defaultTimeoutMinutes, MIN_CODEBUILD_MINUTES), MAX_CODEBUILD_MINUTES),
    gate: shipped,
    key: pipelineKey,
    bucket: artifactBucket,
    logRetention,
    removalPolicy,
    computeType,
    auditLogGroup: r.settings.auditLogGroup,
    interventionStage: g.policy.failureStrategy === FailureStrategy.MANUAL_INTERVENTION ? interventionStageName(g.stage.name, stepName) : undefined,
    grants: r.grants,
  });
  r.gateProjects.set(key, project);
  r.gateRoles.set(key, role);
  return new actions.CodeBuildAction({
    actionName: gateActionName(g.stage.name, stepName),
    runOrder: g.runOrder,
    project,
    input: r.sourceOutput,
    extraInputs: reportArtifacts,
    outputs: [output],
    variablesNamespace: gateNamespace(g.stage.name, stepName),
    environmentVariables: {
      [GATE_ENV.executionId]: { value: '#{codepipeline.PipelineExecutionId}' },
      [TRIGGER_ENV_VAR]: { value: runTriggerValue(r.settings.model) },
      // the run the gate's audit event belongs to
      [RUN_CONTEXT_VARIABLES.runId]: { value: '#{codepipeline.PipelineExecutionId}' },
    },
  });
}

/** The approval that lets a failed MANUAL_INTERVENTION gate through, in its own conditional stage. */
export function renderIntervention(r: PipelineRenderer, cpStageName: string, g: PlacedGate): cp.IAction {
  const stepName = g.step?.name;
  const key = gateKey(g.stage.name, stepName);
  const scope = new Construct(r.gateScopes.get(key)!, 'Intervention');
  const what = stepName ? `${g.stage.name}/${stepName}` : `stage ${g.stage.name}`;
  const topic = r.settings.approvalTopic;
  if (topic) r.topics.push(topic);
  const action = interventionAction(what, gateNamespace(g.stage.name, stepName), g.policy, topic);
  r.interventionPolicies.set(
    key,
    grantApproval(scope, g.policy.interventionApprovers, r.settings.codePipeline, cpStageName, INTERVENTION_ACTION_NAME, summaryReadStatements(r)),
  );
  return action;
}

/** What approvers need to read the gates' published summaries (nothing when nothing is gated). */
export function summaryReadStatements(r: PipelineRenderer): iam.PolicyStatement[] {
  if (!r.shippedGate) return [];
  const { artifactBucket, key } = r.settings;
  if (!r.summariesAcknowledged) {
    // approvers read the gates' summaries: objects under one prefix of the artifact bucket
    acknowledge(r.scope, `AwsSolutions-IAM5[Resource::${nagArnRef(artifactBucket)}/${SUMMARY_PREFIX}/*]`, NAG_REASONS.gateSummaries);
    r.summariesAcknowledged = true;
  }
  return [
    new iam.PolicyStatement({
      sid: 'ReadGateSummaries',
      actions: ['s3:GetObject'],
      resources: [artifactBucket.arnForObjects(`${SUMMARY_PREFIX}/*`)],
    }),
    new iam.PolicyStatement({
      sid: 'ListGateSummaries',
      actions: ['s3:ListBucket'],
      resources: [artifactBucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${SUMMARY_PREFIX}/*`] } },
    }),
    // the gates' stored baselines share the prefix; only each gate's own role reads its baseline
    new iam.PolicyStatement({
      sid: 'NotStoredBaselines',
      effect: iam.Effect.DENY,
      actions: ['s3:GetObject'],
      resources: [artifactBucket.arnForObjects(storedBaselineKey('*'))],
    }),
    new iam.PolicyStatement({
      sid: 'DecryptGateSummaries',
      actions: ['kms:Decrypt'],
      resources: [key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(r.scope).region}.amazonaws.com` } },
    }),
  ];
}
