import { CfnResource, RemovalPolicy, Stack, aws_codebuild as codebuild, aws_codepipeline as cp, aws_codepipeline_actions as actions, aws_iam as iam, aws_kms as kms, aws_s3 as s3, aws_sns as sns } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ApprovalStep, CommandStep, Pipeline, Stage, Step } from '../../core';
import type { AuditLogGroup } from '../audit';
import { CdkStageDeployment } from '../cdk-stage-deployment';
import { readGateBundle, shipGate, ShippedGate } from '../gate-bundle';
import { enterOnFailedGate } from '../intervention';
import { PlacedStep, PlannedStage } from '../layout';
import { ARTIFACT_KEY_CHARS, artifactKeyPrefix, gateActionName, gateNamespace, outputArtifactName, SOURCE_ARTIFACT_NAME, SOURCE_STAGE_NAME } from '../naming';
import { entryConditions, TRIGGER_ACTION_NAME, TRIGGER_NAMESPACE, TRIGGER_STAGE_NAME, TRIGGER_ENV, triggerProject } from '../run-trigger';
import { renderSchedules, schedulerRole } from '../schedules';
import { awsKmsKeyStatements } from '../security';
import { SharedBuildGrants } from '../shared-grants';
import { sourceAction } from '../source-action';
import { renderApproval } from './approval';
import { renderCdkDeployment, renderCommand } from './command';
import { renderGate, renderIntervention } from './gate';
import { renderStepIntervention } from './step-intervention';

/** Settings shared by everything the engine renders. */
export interface RenderSettings {
  readonly model: Pipeline;
  /** Name of the CodePipeline pipeline. */
  readonly pipelineName: string;
  readonly key: kms.IKey;
  readonly artifactBucket: s3.IBucket;
  readonly codePipeline: cp.Pipeline;
  /** The pipeline role's one inline policy: renderers add what their actions need. */
  readonly pipelinePolicy: iam.PolicyDocument;
  readonly removalPolicy: RemovalPolicy;
  readonly computeType: codebuild.ComputeType;
  readonly logRetention: logs.RetentionDays;
  readonly approvalTopic?: sns.ITopic;
  /** Where the gates deliver their audit events. */
  readonly auditLogGroup?: AuditLogGroup;
}

/**
 * What rendering one pipeline builds up: the constructs by model step (for the engine's lookups),
 * the artifacts, and the scopes. The renderers per step kind (command, approval, gate) write it.
 */
export class PipelineRenderer {
  public readonly projects = new Map<string, codebuild.IProject>();
  public readonly roles = new Map<string, iam.Role>();
  public readonly actionNames = new Map<string, string>();
  public readonly stageNames = new Map<string, string>();
  public readonly approverPolicies = new Map<string, iam.Policy>();
  public readonly reportsArtifacts = new Map<string, cp.Artifact>();
  public readonly gateProjects = new Map<string, codebuild.IProject>();
  public readonly gateRoles = new Map<string, iam.Role>();
  public readonly gateScopes = new Map<string, Construct>();
  public readonly interventionPolicies = new Map<string, iam.Policy>();
  /** The project of the action telling the run's trigger, when runs differ by trigger. */
  public triggerProject?: codebuild.IProject;
  /** The role the schedules start the pipeline with, when the pipeline has schedules. */
  public scheduleRole?: iam.IRole;
  /** Topics the pipeline role publishes to. */
  public readonly topics: sns.ITopic[] = [];
  public readonly sourceOutput: cp.Artifact;
  /** The bundled gate, shipped when the pipeline has a gate. */
  public readonly shippedGate?: ShippedGate;
  /** Whether the approvers' read of the gate summaries was acknowledged to cdk-nag. */
  public summariesAcknowledged = false;
  /** The grants every build role needs alike, one policy each for the roles that need it. */
  public readonly grants: SharedBuildGrants;

  private readonly artifacts = new Map<string, cp.Artifact>();
  private readonly stepScopes = new Map<string, Construct>();
  /** Artifact by the key prefix CodePipeline stores it under (each prefix one artifact). */
  private readonly artifactPrefixes = new Map<string, string>();

  constructor(public readonly scope: Construct, public readonly settings: RenderSettings) {
    this.sourceOutput = this.registerArtifact(SOURCE_ARTIFACT_NAME);
    if (settings.model.hasGates()) {
      // the gate this library bundles, shipped with the pipeline (never fetched from a registry)
      this.shippedGate = shipGate(scope, 'GateCli', readGateBundle());
    }
    this.grants = new SharedBuildGrants(new Construct(scope, 'BuildGrants'), {
      bucket: settings.artifactBucket,
      key: settings.key,
      pipeline: settings.codePipeline.node.defaultChild as CfnResource,
      gateObjectArn: this.shippedGate?.objectArn,
      auditStreamsArn: settings.auditLogGroup?.streamsArn,
    });
  }

  public renderSource(connectionArn: string | undefined): void {
    const source = sourceAction(this.scope, this.settings.model, this.sourceOutput, connectionArn);
    this.settings.pipelinePolicy.addStatements(...source.statements);
    this.settings.codePipeline.addStage({ stageName: SOURCE_STAGE_NAME, actions: [source.action] });
    if (source.trigger) {
      this.settings.codePipeline.addTrigger(source.trigger);
    }
  }

  /**
   * The schedules (EventBridge Scheduler, with their own role) and, when the pipeline's runs
   * differ by trigger, the `Trigger` stage right after the source: one CodeBuild action that tells
   * the run's trigger and exports it for the stages' entry conditions and every action's env.
   */
  public renderTriggers(): void {
    const { model, pipelineName, codePipeline } = this.settings;
    const scope = new Construct(this.scope, 'Triggers');
    // the ARN from the name, not the pipeline's Ref: the pipeline depends on these roles (through the trigger project)
    const pipelineArn = Stack.of(this.scope).formatArn({ service: 'codepipeline', resource: pipelineName });
    this.scheduleRole = schedulerRole(scope, model, pipelineName, pipelineArn);
    if (this.scheduleRole) {
      for (const s of renderSchedules(scope, model, pipelineName, pipelineArn, this.scheduleRole)) s.node.addDependency(codePipeline);
    }
    if (!model.dependsOnTrigger()) return;
    const { project } = triggerProject(scope, {
      model,
      pipelineName,
      pipelineArn,
      schedulerRole: this.scheduleRole,
      sourcePrefix: this.keyPrefixOf(this.sourceOutput),
      key: this.settings.key,
      bucket: this.settings.artifactBucket,
      logRetention: this.settings.logRetention,
      removalPolicy: this.settings.removalPolicy,
      grants: this.grants,
    });
    this.triggerProject = project;
    codePipeline.addStage({
      stageName: TRIGGER_STAGE_NAME,
      actions: [
        new actions.CodeBuildAction({
          actionName: TRIGGER_ACTION_NAME,
          project,
          input: this.sourceOutput,
          variablesNamespace: TRIGGER_NAMESPACE,
          environmentVariables: { [TRIGGER_ENV.executionId]: { value: '#{codepipeline.PipelineExecutionId}' } },
        }),
      ],
    });
  }

  public renderWave(planned: PlannedStage, deploymentOf: Map<string, CdkStageDeployment>): void {
    if (planned.stepIntervention) {
      renderStepIntervention(this, planned.name, planned.stepIntervention, planned.onlyOn);
      return;
    }
    const gate = planned.intervention;
    const cpStage = this.settings.codePipeline.addStage({
      stageName: planned.name,
      beforeEntry: entryConditions(
        planned.onlyOn,
        gate ? enterOnFailedGate(`${gateActionName(gate.stage.name, gate.step?.name)}-failed`, gateNamespace(gate.stage.name, gate.step?.name)) : undefined,
      ),
    });
    if (gate) {
      cpStage.addAction(renderIntervention(this, planned.name, gate));
      return;
    }
    for (const stage of planned.modelStages) {
      this.stageNames.set(stage.name, planned.name);
      // a CDK deployment runs first in its deploy stage; the stage's own steps follow it
      const d = deploymentOf.get(stage.name);
      if (d) {
        cpStage.addAction(renderCdkDeployment(this, stage, d));
      }
    }
    // each model stage's actions in runOrder, its gates after the steps they follow
    const stages = [...new Set([...planned.steps, ...planned.gates].map((a) => a.stage))];
    for (const stage of stages) {
      const placed = [
        ...planned.steps.filter((p) => p.stage === stage).map((p) => ({ runOrder: p.runOrder, render: () => this.renderStep(planned.name, p) })),
        ...planned.gates.filter((g) => g.stage === stage).map((g) => ({ runOrder: g.runOrder, render: () => renderGate(this, g) })),
      ].sort((a, b) => a.runOrder - b.runOrder);
      for (const p of placed) cpStage.addAction(p.render());
    }
  }

  /** The CodePipeline artifact of a model output artifact (one object per name). */
  public artifactOf(name: string): cp.Artifact {
    let a = this.artifacts.get(name);
    if (!a) {
      a = this.registerArtifact(outputArtifactName(name));
      this.artifacts.set(name, a);
    }
    return a;
  }

  /**
   * A new CodePipeline artifact, whose key prefix (`<pipeline>/<first 10 characters>`) no other
   * artifact of the pipeline has: the roles are granted artifacts by that prefix.
   */
  public registerArtifact(name: string): cp.Artifact {
    const prefix = artifactKeyPrefix(this.settings.pipelineName, name);
    const other = this.artifactPrefixes.get(prefix);
    if (other !== undefined) {
      throw new Error(
        `artifacts "${other}" and "${name}" share the S3 key prefix ${prefix}/ (CodePipeline keeps the first ${ARTIFACT_KEY_CHARS} characters of an artifact name), ` +
          'so their roles could not be kept apart: rename one of the steps or outputs behind them',
      );
    }
    this.artifactPrefixes.set(prefix, name);
    return new cp.Artifact(name);
  }

  /** The key prefix of an artifact of this pipeline. */
  public keyPrefixOf(artifact: cp.Artifact): string {
    return artifactKeyPrefix(this.settings.pipelineName, artifact.artifactName!);
  }

  public stageScope(stage: Stage): Construct {
    return (this.scope.node.tryFindChild(`stage-${stage.name}`) as Construct | undefined) ?? new Construct(this.scope, `stage-${stage.name}`);
  }

  /** The scope of a step's constructs (one per step; its gate lives inside it). */
  public stepScope(stage: Stage, step: Step): Construct {
    const key = `${stage.name}/${step.name}`;
    let scope = this.stepScopes.get(key);
    if (!scope) {
      scope = new Construct(this.stageScope(stage), step.name);
      this.stepScopes.set(key, scope);
    }
    return scope;
  }

  private renderStep(cpStageName: string, { stage, step, runOrder }: PlacedStep): cp.IAction {
    if (step instanceof CommandStep) {
      return renderCommand(this, stage, step, runOrder, awsKmsKeyStatements(this.stepScope(stage, step), step));
    }
    if (step instanceof ApprovalStep) {
      return renderApproval(this, cpStageName, stage, step, runOrder);
    }
    // the check (stepKindsRule) refuses such a pipeline before anything renders
    throw new Error(`stage "${stage.name}" > step "${step.name}" is a ${step.kind} step, which the CodePipeline engine cannot render: use a CommandStep or an ApprovalStep`);
  }
}
