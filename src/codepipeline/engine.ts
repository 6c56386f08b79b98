import { FileAssetLocation, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as cp from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ApprovalStep, CommandStep, FailureStrategy, gateOutputDir, Pipeline, ScanStep, Stage, Step } from '../core';
import { approvalAction, grantApproval, grantApprovers } from './approval';
import { ArtifactSpec } from './buildspec';
import { bootstrapRoleArns, CDK_DEPLOY_STEP_NAME, cdkDeployCommands, DEFAULT_CDK_IMAGE } from './cdk-deployment';
import { CdkStageDeployment } from './cdk-stage-deployment';
import { assertRenderable, assertReviewLinks, MAX_CODEBUILD_MINUTES, MIN_CODEBUILD_MINUTES } from './checks';
import { commandProject, TEST_REPORT_FORMATS } from './command-project';
import { readGateBundle, shipGate, ShippedGate } from './gate-bundle';
import { gateProject } from './gate-project';
import { GATE_ENV } from './gate-script';
import { enterOnFailedGate, interventionAction } from './intervention';
import { PlacedGate, PlacedStep, planLayout, PlannedStage } from './layout';
import { acknowledge, acknowledgeObjectKeys, NAG_REASONS, nagArnRef } from './nag';
import {
  actionName,
  ARTIFACT_KEY_CHARS,
  artifactKeyPrefix,
  gateActionName,
  gateArtifactName,
  gateId,
  gateNamespace,
  INTERVENTION_ACTION_NAME,
  interventionStageName,
  outputArtifactName,
  pipelineKeyPrefix,
  reportsArtifactName,
  SOURCE_ARTIFACT_NAME,
  SOURCE_STAGE_NAME,
  statusFilePath,
  storedBaselineKey,
  SUMMARY_PREFIX,
  variablesNamespace,
} from './naming';
import { enforceCodePipelinePolicy } from './policy';
import { awsKmsKeyStatements, createAccessLogBucket, createArtifactBucket, createPipelineKey } from './security';
import { sourceAction } from './source-action';
import { STATUS_VARIABLE } from './step-script';

/** Properties of a CodePipelineEngine. */
export interface CodePipelineEngineProps {
  /** The gatehouse pipeline to render. */
  readonly pipeline: Pipeline;
  /**
   * ARN of the CodeStar (CodeConnections) connection to GitHub, GitLab or Bitbucket.
   * @default - none; required when the source is hosted on one of them
   */
  readonly connectionArn?: string;
  /**
   * Name of the CodePipeline pipeline.
   * @default - the gatehouse pipeline's name
   */
  readonly pipelineName?: string;
  /**
   * Compute type of every CodeBuild project.
   * @default codebuild.ComputeType.SMALL
   */
  readonly computeType?: codebuild.ComputeType;
  /**
   * CDK stages of the app deployed by deploy stages with `cdk deploy`.
   * @default - none
   */
  readonly cdkDeployments?: CdkStageDeployment[];
  /**
   * How long build logs are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Topic notified by approvals that name neither emails nor a topic of their own.
   * @default - such approvals notify nobody
   */
  readonly approvalTopic?: sns.ITopic;
  /**
   * How executions follow one another.
   * @default - CodePipeline's default (SUPERSEDED)
   */
  readonly executionMode?: cp.ExecutionMode;
  /**
   * What happens to the key, buckets, log groups and report groups when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Renders a gatehouse pipeline as an AWS CodePipeline (V2) with one CodeBuild project per command
 * step, manual approvals granted only to the named approvers, and secure defaults (customer KMS key
 * with rotation, SSL-only private buckets with access logging, least-privilege roles).
 *
 * Stages: each wave of `pipeline.graph().stageWaves()` becomes one CodePipeline stage, after a
 * `Source` stage; inside it, each model stage's step waves get runOrder 1, 2, … so parallel steps
 * and parallel stages share a runOrder.
 *
 * Whatever CodePipeline cannot express is an error when the construct is created, listing every
 * problem with its fix.
 */
export class CodePipelineEngine extends Construct {
  /**
   * The CodePipeline variable holding a command step's real result (`SUCCEEDED` or `FAILED`),
   * e.g. `#{oast-safety.GATEHOUSE_STEP_STATUS}`: usable in later actions' configuration.
   */
  public static stepStatusVariable(stageName: string, stepName: string): string {
    return `#{${variablesNamespace(stageName, stepName)}.${STATUS_VARIABLE}}`;
  }

  /**
   * A variable of the gate that follows a scan step, e.g. `#{oast-bandit@gate.GATE_VERDICT}`:
   * `GATE_CRITICAL`, `GATE_HIGH`, `GATE_MEDIUM`, `GATE_LOW`, `GATE_INFO`, `GATE_UNKNOWN`,
   * `GATE_VERDICT`, `GATE_SUMMARY_URL` (the console link of its findings summary) or
   * `GATE_SUMMARIES_URL` (the console link of the folder holding every gate summary of the
   * execution). Usable in later actions' configuration, e.g. an approval step's `reviewUrl`.
   */
  public static gateVariable(stageName: string, stepName: string, variable: string): string {
    return `#{${gateNamespace(stageName, stepName)}.${variable}}`;
  }

  /** A variable of a stage gate, e.g. `#{oast@stage-gate.GATE_SUMMARY_URL}` (see `gateVariable`). */
  public static stageGateVariable(stageName: string, variable: string): string {
    return `#{${gateNamespace(stageName)}.${variable}}`;
  }

  /** The CodePipeline pipeline. */
  public readonly codePipeline: cp.Pipeline;
  /** The artifact bucket. */
  public readonly artifactBucket: s3.IBucket;
  /** The bucket receiving the artifact bucket's server access logs. */
  public readonly accessLogBucket: s3.IBucket;
  /** The customer-managed key of the pipeline. */
  public readonly encryptionKey: kms.IKey;
  /** The role of the pipeline (and of its actions). */
  public readonly pipelineRole: iam.IRole;
  /**
   * Where the bundled gatehouse gate (`gatehouse.js`) is published, when a scan step or a stage
   * is gated: a file asset `cdk deploy` uploads to the bootstrap asset bucket under a
   * content-addressed key; only the gate projects may read that object.
   */
  public readonly gateAsset?: FileAssetLocation;

  private readonly projects = new Map<string, codebuild.PipelineProject>();
  private readonly roles = new Map<string, iam.Role>();
  private readonly actionNames = new Map<string, string>();
  private readonly stageNames = new Map<string, string>();
  private readonly approverPolicies = new Map<string, iam.Policy>();
  private readonly artifacts = new Map<string, cp.Artifact>();
  private readonly reportsArtifacts = new Map<string, cp.Artifact>();
  private readonly gateProjects = new Map<string, codebuild.PipelineProject>();
  private readonly gateRoles = new Map<string, iam.Role>();
  private readonly gateScopes = new Map<string, Construct>();
  private readonly interventionPolicies = new Map<string, iam.Policy>();
  private readonly stepScopes = new Map<string, Construct>();
  private readonly pipelineName: string;
  /** Artifact by the key prefix CodePipeline stores it under (each prefix one artifact). */
  private readonly artifactPrefixes = new Map<string, string>();
  private readonly shippedGate?: ShippedGate;
  private summariesAcknowledged = false;
  private readonly topics: sns.ITopic[] = [];
  private readonly pipelinePolicy: iam.PolicyDocument;
  private readonly ctx: RenderContext;

  constructor(scope: Construct, id: string, props: CodePipelineEngineProps) {
    super(scope, id);
    // server access logs are delivered under a bucket policy, not the legacy log-delivery ACL
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    const model = props.pipeline;
    if (!(model instanceof Pipeline)) {
      throw new Error('CodePipelineEngine needs a gatehouse Pipeline in props.pipeline');
    }
    const graph = model.graph(); // throws every model problem at once
    // the packs of the pipeline and of the App/Stack, over the document, before anything renders
    enforceCodePipelinePolicy(this, model);
    const deployments = props.cdkDeployments ?? [];
    const pipelineName = props.pipelineName ?? model.name;
    assertRenderable(this, model, { connectionArn: props.connectionArn, cdkDeployments: deployments, pipelineName });

    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    // secure storage: one key, an access-logged artifact bucket (the log bucket is a log
    // destination, which cdk-nag's S1 accepts)
    const key = createPipelineKey(this, pipelineName, removalPolicy);
    this.encryptionKey = key;
    this.accessLogBucket = createAccessLogBucket(this, removalPolicy);
    this.artifactBucket = createArtifactBucket(this, key, this.accessLogBucket, removalPolicy);
    this.pipelineName = pipelineName;

    // the pipeline role: one inline policy listing exactly what the actions need, locked for grants;
    // of the artifact bucket, it touches the pipeline's own artifacts only (`<pipeline>/…`)
    const ownArtifacts = `${pipelineKeyPrefix(pipelineName)}/*`;
    this.pipelinePolicy = new iam.PolicyDocument({ statements: pipelineBaseStatements(this.artifactBucket, key, ownArtifacts) });
    const role = new iam.Role(this, 'PipelineRole', {
      assumedBy: new iam.ServicePrincipal('codepipeline.amazonaws.com'),
      description: `gatehouse ${pipelineName}: CodePipeline role`,
      inlinePolicies: { pipeline: this.pipelinePolicy },
    });
    acknowledgeObjectKeys(role, this.artifactBucket, [ownArtifacts], NAG_REASONS.pipelineArtifacts);
    this.pipelineRole = role;
    this.codePipeline = new cp.Pipeline(this, 'Pipeline', {
      pipelineName,
      pipelineType: cp.PipelineType.V2,
      artifactBucket: this.artifactBucket,
      role: role.withoutPolicyUpdates(),
      usePipelineRoleForActions: true,
      restartExecutionOnUpdate: false,
      executionMode: props.executionMode,
    });

    this.ctx = {
      model,
      key,
      sourceOutput: this.registerArtifact(SOURCE_ARTIFACT_NAME),
      removalPolicy,
      computeType: props.computeType ?? codebuild.ComputeType.SMALL,
      logRetention: props.logRetention ?? (365 as logs.RetentionDays), // RetentionDays.ONE_YEAR
      approvalTopic: props.approvalTopic,
    };
    if (model.hasGates()) {
      // the gate this library bundles, shipped with the pipeline (never fetched from a registry)
      this.shippedGate = shipGate(this, 'GateCli', readGateBundle());
      this.gateAsset = this.shippedGate.location;
    }
    this.renderSource(props.connectionArn);
    const deploymentOf = new Map(deployments.map((d) => [d.deployStage, d] as const));
    const plan = planLayout(graph, (stage) => (deploymentOf.has(stage.name) ? 1 : 0));
    assertReviewLinks(model, plan, new Set(deploymentOf.keys()));
    for (const planned of plan) {
      this.renderWave(planned, deploymentOf);
    }
    this.pipelinePolicy.addStatements(
      new iam.PolicyStatement({
        sid: 'RunStepBuilds',
        actions: ['codebuild:BatchGetBuilds', 'codebuild:StartBuild', 'codebuild:StopBuild'],
        resources: [...this.projects.values(), ...this.gateProjects.values()].map((p) => p.projectArn),
      }),
    );
    if (this.topics.length > 0) {
      this.pipelinePolicy.addStatements(
        new iam.PolicyStatement({ sid: 'NotifyApprovers', actions: ['sns:Publish'], resources: [...new Set(this.topics.map((t) => t.topicArn))] }),
      );
    }
  }

  /** The CodeBuild project of a command step (`cdk-deploy` for a CDK deployment). */
  public projectOf(stageName: string, stepName: string): codebuild.IProject {
    const p = this.projects.get(`${stageName}/${stepName}`);
    if (!p) {
      throw new Error(`no CodeBuild project for step "${stageName}/${stepName}": name a command step of the pipeline`);
    }
    return p;
  }

  /**
   * The role a command step runs with, to grant it what its commands need (a deploy step's
   * permissions, for instance): `engine.roleOf('prod', 'deploy').addToPolicy(...)`.
   *
   * The project itself holds this role locked (`withoutPolicyUpdates`), so that grants made
   * through the project (`bucket.grantRead(project)`) are dropped rather than widening it:
   * grant on this role instead.
   */
  public roleOf(stageName: string, stepName: string): iam.Role {
    const r = this.roles.get(`${stageName}/${stepName}`);
    if (!r) {
      throw new Error(`no CodeBuild role for step "${stageName}/${stepName}": name a command step of the pipeline`);
    }
    return r;
  }

  /** Name of the CodePipeline stage that runs a model stage. */
  public codePipelineStageOf(stageName: string): string {
    const name = this.stageNames.get(stageName);
    if (name) return name;
    throw new Error(`no CodePipeline stage for stage "${stageName}": name a stage of the pipeline`);
  }

  /** Name of the CodePipeline action that runs a model step. */
  public actionNameOf(stageName: string, stepName: string): string {
    const v = this.actionNames.get(`${stageName}/${stepName}`);
    if (!v) {
      throw new Error(`no action for step "${stageName}/${stepName}": name a step of the pipeline`);
    }
    return v;
  }

  /** The IAM policy that lets an approval's approvers approve it (and nothing else). */
  public approverPolicyOf(stageName: string, stepName: string): iam.Policy {
    const p = this.approverPolicies.get(`${stageName}/${stepName}`);
    if (!p) {
      throw new Error(`no approval "${stageName}/${stepName}": name an approval step of the pipeline`);
    }
    return p;
  }

  /** The CodeBuild project of the gate after a scan step, or of a stage gate (`stepName` left out). */
  public gateProjectOf(stageName: string, stepName?: string): codebuild.IProject {
    const p = this.gateProjects.get(gateKey(stageName, stepName));
    if (!p) {
      throw new Error(`no gate for ${stepName ? `step "${stageName}/${stepName}"` : `stage "${stageName}"`}: name a gated scan step or a stage with a gate`);
    }
    return p;
  }

  /**
   * The role of a gate project, to grant what a particular setup needs, e.g. `kms:Decrypt` on a
   * bootstrap asset key whose policy does not admit S3 use by the account's principals.
   */
  public gateRoleOf(stageName: string, stepName?: string): iam.Role {
    const r = this.gateRoles.get(gateKey(stageName, stepName));
    if (!r) {
      throw new Error(`no gate for ${stepName ? `step "${stageName}/${stepName}"` : `stage "${stageName}"`}: name a gated scan step or a stage with a gate`);
    }
    return r;
  }

  /** The IAM policy that lets a MANUAL_INTERVENTION gate's approvers answer its intervention (and nothing else). */
  public interventionPolicyOf(stageName: string, stepName?: string): iam.Policy {
    const p = this.interventionPolicies.get(gateKey(stageName, stepName));
    if (!p) {
      throw new Error(`no intervention for ${stepName ? `step "${stageName}/${stepName}"` : `stage "${stageName}"`}: name a gate with failureStrategy MANUAL_INTERVENTION`);
    }
    return p;
  }

  private renderSource(connectionArn: string | undefined): void {
    const source = sourceAction(this, this.ctx.model.source, this.ctx.sourceOutput, connectionArn);
    this.pipelinePolicy.addStatements(...source.statements);
    this.codePipeline.addStage({ stageName: SOURCE_STAGE_NAME, actions: [source.action] });
    if (source.trigger) {
      this.codePipeline.addTrigger(source.trigger);
    }
  }

  private renderWave(planned: PlannedStage, deploymentOf: Map<string, CdkStageDeployment>): void {
    const gate = planned.intervention;
    const cpStage = this.codePipeline.addStage({
      stageName: planned.name,
      beforeEntry: gate ? enterOnFailedGate(`${gateActionName(gate.stage.name, gate.step?.name)}-failed`, gateNamespace(gate.stage.name, gate.step?.name)) : undefined,
    });
    if (gate) {
      cpStage.addAction(this.renderIntervention(planned.name, gate));
      return;
    }
    for (const stage of planned.modelStages) {
      this.stageNames.set(stage.name, planned.name);
      // a CDK deployment runs first in its deploy stage; the stage's own steps follow it
      const d = deploymentOf.get(stage.name);
      if (d) {
        cpStage.addAction(this.renderCdkDeployment(stage, d));
      }
    }
    // each model stage's actions in runOrder, its gates after the steps they follow
    const stages = [...new Set([...planned.steps, ...planned.gates].map((a) => a.stage))];
    for (const stage of stages) {
      const placed = [
        ...planned.steps.filter((p) => p.stage === stage).map((p) => ({ runOrder: p.runOrder, render: () => this.renderStep(planned.name, p) })),
        ...planned.gates.filter((g) => g.stage === stage).map((g) => ({ runOrder: g.runOrder, render: () => this.renderGate(g) })),
      ].sort((a, b) => a.runOrder - b.runOrder);
      for (const p of placed) cpStage.addAction(p.render());
    }
  }

  private renderStep(cpStageName: string, { stage, step, runOrder }: PlacedStep): cp.IAction {
    if (step instanceof CommandStep) {
      return this.renderCommand(stage, step, runOrder, awsKmsKeyStatements(this.stepScope(stage, step), step));
    }
    if (step instanceof ApprovalStep) {
      return this.renderApproval(cpStageName, stage, step, runOrder);
    }
    throw new Error(`stage "${stage.name}" > step "${step.name}" is a ${step.kind} step, which the CodePipeline engine cannot render: use a CommandStep or an ApprovalStep`);
  }

  /** The gate after a scan step (or of a stage): a CodeBuild action in the gate image. */
  private renderGate(g: PlacedGate): cp.IAction {
    const shipped = this.shippedGate!;
    const stepName = g.step?.name;
    const key = gateKey(g.stage.name, stepName);
    const scope = g.step ? new Construct(this.stepScope(g.stage, g.step), 'Gate') : new Construct(this.stageScope(g.stage), 'StageGate');
    this.gateScopes.set(key, scope);
    const reportArtifacts = g.scans.map((s) => this.reportsArtifacts.get(`${g.stage.name}/${s.name}`)!);
    const output = this.registerArtifact(gateArtifactName(g.stage.name, stepName));
    const what = stepName ? `${g.stage.name}/${stepName}` : `stage ${g.stage.name}`;
    const { model } = this.ctx;
    const { project, role } = gateProject(scope, {
      pipelineName: model.name,
      what,
      policy: g.policy,
      reports: g.reports,
      outputDir: gateOutputDir(g.stage.name, stepName),
      reportArtifacts: reportArtifacts.map((a) => a.artifactName!),
      // the gate reads the source and the scans' reports, which only the scans' roles write
      access: {
        readArtifacts: [this.ctx.sourceOutput, ...reportArtifacts].map((a) => this.keyPrefixOf(a)),
        writeArtifacts: [this.keyPrefixOf(output)],
      },
      stageName: g.stage.name,
      stepName,
      gateId: gateId(g.stage.name, stepName),
      modelName: model.name,
      reportFormats: g.reportFormats,
      image: model.gateImage,
      timeoutMinutes: Math.min(Math.max(model.defaultTimeoutMinutes, MIN_CODEBUILD_MINUTES), MAX_CODEBUILD_MINUTES),
      gate: shipped,
      key: this.ctx.key,
      bucket: this.artifactBucket,
      logRetention: this.ctx.logRetention,
      removalPolicy: this.ctx.removalPolicy,
      computeType: this.ctx.computeType,
      interventionStage: g.policy.failureStrategy === FailureStrategy.MANUAL_INTERVENTION ? interventionStageName(g.stage.name, stepName) : undefined,
    });
    this.gateProjects.set(key, project);
    this.gateRoles.set(key, role);
    return new actions.CodeBuildAction({
      actionName: gateActionName(g.stage.name, stepName),
      runOrder: g.runOrder,
      project,
      input: this.ctx.sourceOutput,
      extraInputs: reportArtifacts,
      outputs: [output],
      variablesNamespace: gateNamespace(g.stage.name, stepName),
      environmentVariables: { [GATE_ENV.executionId]: { value: '#{codepipeline.PipelineExecutionId}' } },
    });
  }

  /** The approval that lets a failed MANUAL_INTERVENTION gate through, in its own conditional stage. */
  private renderIntervention(cpStageName: string, g: PlacedGate): cp.IAction {
    const stepName = g.step?.name;
    const key = gateKey(g.stage.name, stepName);
    const scope = new Construct(this.gateScopes.get(key)!, 'Intervention');
    const what = stepName ? `${g.stage.name}/${stepName}` : `stage ${g.stage.name}`;
    const topic = this.ctx.approvalTopic;
    if (topic) this.topics.push(topic);
    const action = interventionAction(what, gateNamespace(g.stage.name, stepName), g.policy, topic);
    this.interventionPolicies.set(
      key,
      grantApproval(scope, g.policy.interventionApprovers, this.codePipeline, cpStageName, INTERVENTION_ACTION_NAME, this.summaryReadStatements()),
    );
    return action;
  }

  /** What approvers need to read the gates' published summaries (nothing when nothing is gated). */
  private summaryReadStatements(): iam.PolicyStatement[] {
    if (!this.shippedGate) return [];
    if (!this.summariesAcknowledged) {
      // approvers read the gates' summaries: objects under one prefix of the artifact bucket
      acknowledge(this, `AwsSolutions-IAM5[Resource::${nagArnRef(this.artifactBucket)}/${SUMMARY_PREFIX}/*]`, NAG_REASONS.gateSummaries);
      this.summariesAcknowledged = true;
    }
    return [
      new iam.PolicyStatement({
        sid: 'ReadGateSummaries',
        actions: ['s3:GetObject'],
        resources: [this.artifactBucket.arnForObjects(`${SUMMARY_PREFIX}/*`)],
      }),
      new iam.PolicyStatement({
        sid: 'ListGateSummaries',
        actions: ['s3:ListBucket'],
        resources: [this.artifactBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${SUMMARY_PREFIX}/*`] } },
      }),
      // the gates' stored baselines share the prefix; only each gate's own role reads its baseline
      new iam.PolicyStatement({
        sid: 'NotStoredBaselines',
        effect: iam.Effect.DENY,
        actions: ['s3:GetObject'],
        resources: [this.artifactBucket.arnForObjects(storedBaselineKey('*'))],
      }),
      new iam.PolicyStatement({
        sid: 'DecryptGateSummaries',
        actions: ['kms:Decrypt'],
        resources: [this.ctx.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` } },
      }),
    ];
  }

  private renderCdkDeployment(stage: Stage, d: CdkStageDeployment): cp.IAction {
    const step = new CommandStep({
      name: CDK_DEPLOY_STEP_NAME,
      commands: cdkDeployCommands(d),
      image: d.image ?? DEFAULT_CDK_IMAGE,
      privileged: d.privileged,
      timeoutMinutes: d.timeoutMinutes,
    });
    return this.renderCommand(stage, step, 1, [
      new iam.PolicyStatement({ sid: 'AssumeCdkBootstrapRoles', actions: ['sts:AssumeRole'], resources: bootstrapRoleArns(this, d) }),
    ]);
  }

  private renderApproval(cpStageName: string, stage: Stage, step: ApprovalStep, runOrder: number): cp.IAction {
    const scope = this.stepScope(stage, step);
    const name = actionName(stage.name, step.name);
    const wiring = approvalAction(scope, stage, step, name, runOrder, this.ctx.key, this.ctx.approvalTopic);
    if (wiring.topic) this.topics.push(wiring.topic);
    this.approverPolicies.set(`${stage.name}/${step.name}`, grantApprovers(scope, step, this.codePipeline, cpStageName, name, this.summaryReadStatements()));
    this.actionNames.set(`${stage.name}/${step.name}`, name);
    return wiring.action;
  }

  private renderCommand(stage: Stage, step: CommandStep, runOrder: number, extraStatements: iam.PolicyStatement[]): cp.IAction {
    const { model } = this.ctx;
    const outputs: ArtifactSpec[] = step.outputs.map((o) => ({ name: outputArtifactName(o.name), paths: o.paths }));
    const outputArtifacts = step.outputs.map((o) => this.artifactOf(o.name));
    const statusFile = statusFilePath(stage.name, step.name);
    const kept = step.reports.filter((r) => !TEST_REPORT_FORMATS[r.format ?? 'OTHER']);
    if (kept.length > 0 || step.allowFailure) {
      const name = reportsArtifactName(stage.name, step.name);
      outputs.push({ name, paths: kept.flatMap((r) => r.paths), files: [statusFile] });
      const reports = this.registerArtifact(name);
      outputArtifacts.push(reports);
      this.reportsArtifacts.set(`${stage.name}/${step.name}`, reports);
    }
    const { project, role } = commandProject(this.stepScope(stage, step), {
      pipelineName: model.name,
      stageName: stage.name,
      step,
      image: model.imageOf(step),
      env: model.envOf(step),
      timeoutMinutes: model.timeoutOf(step) * (step.retries + 1),
      key: this.ctx.key,
      bucket: this.artifactBucket,
      logRetention: this.ctx.logRetention,
      removalPolicy: this.ctx.removalPolicy,
      computeType: this.ctx.computeType,
      extraInputs: step.inputs.map((i) => outputArtifactName(i)),
      // the step reads the source and its inputs, and writes its own outputs: no other artifact
      access: {
        readArtifacts: [this.ctx.sourceOutput, ...step.inputs.map((i) => this.artifactOf(i))].map((a) => this.keyPrefixOf(a)),
        writeArtifacts: outputArtifacts.map((a) => this.keyPrefixOf(a)),
      },
      artifacts: outputs,
      statusFile,
      extraStatements,
      results: step instanceof ScanStep ? step.chainsResults : undefined,
    });
    const key = `${stage.name}/${step.name}`;
    const name = actionName(stage.name, step.name);
    this.projects.set(key, project);
    this.roles.set(key, role);
    this.actionNames.set(key, name);
    return new actions.CodeBuildAction({
      actionName: name,
      runOrder,
      project,
      input: this.ctx.sourceOutput,
      extraInputs: step.inputs.map((i) => this.artifactOf(i)),
      outputs: outputArtifacts,
      variablesNamespace: variablesNamespace(stage.name, step.name),
    });
  }

  /** The CodePipeline artifact of a model output artifact (one object per name). */
  private artifactOf(name: string): cp.Artifact {
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
  private registerArtifact(name: string): cp.Artifact {
    const prefix = artifactKeyPrefix(this.pipelineName, name);
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
  private keyPrefixOf(artifact: cp.Artifact): string {
    return artifactKeyPrefix(this.pipelineName, artifact.artifactName!);
  }

  private stageScope(stage: Stage): Construct {
    return (this.node.tryFindChild(`stage-${stage.name}`) as Construct | undefined) ?? new Construct(this, `stage-${stage.name}`);
  }

  /** The scope of a step's constructs (one per step; its gate lives inside it). */
  private stepScope(stage: Stage, step: Step): Construct {
    const key = `${stage.name}/${step.name}`;
    let scope = this.stepScopes.get(key);
    if (!scope) {
      scope = new Construct(this.stageScope(stage), step.name);
      this.stepScopes.set(key, scope);
    }
    return scope;
  }
}

/** Map key of a gate: `<stage>/<step>`, or `<stage>` for the stage gate. */
function gateKey(stageName: string, stepName?: string): string {
  return stepName ? `${stageName}/${stepName}` : stageName;
}

/** Settings shared by everything the engine renders. */
interface RenderContext {
  readonly model: Pipeline;
  readonly key: kms.IKey;
  readonly sourceOutput: cp.Artifact;
  readonly removalPolicy: RemovalPolicy;
  readonly computeType: codebuild.ComputeType;
  readonly logRetention: logs.RetentionDays;
  readonly approvalTopic?: sns.ITopic;
}

/** What the pipeline role needs for the artifact store, whatever the pipeline holds: its own artifacts (`ownArtifacts`). */
function pipelineBaseStatements(bucket: s3.IBucket, key: kms.IKey, ownArtifacts: string): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'PipelineArtifacts',
      actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:PutObjectAcl'],
      resources: [bucket.arnForObjects(ownArtifacts)],
    }),
    new iam.PolicyStatement({
      sid: 'ArtifactBucket',
      actions: ['s3:GetBucketVersioning', 's3:GetBucketAcl', 's3:GetBucketLocation'],
      resources: [bucket.bucketArn],
    }),
    new iam.PolicyStatement({
      sid: 'PipelineKey',
      actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
      resources: [key.keyArn],
    }),
  ];
}
