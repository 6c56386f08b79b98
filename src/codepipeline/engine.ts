import { RemovalPolicy, Stack, Stage as CdkStage } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as cp from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ApprovalStep, CommandStep, Pipeline, ScanStep, Stage, StageKind, Step } from '../core';
import { approvalAction, approvalProblems, grantApprovers } from './approval';
import { ArtifactSpec } from './buildspec';
import { bootstrapRoleArns, CDK_DEPLOY_STEP_NAME, cdkDeployCommands, DEFAULT_CDK_IMAGE } from './cdk-deployment';
import { CdkStageDeployment } from './cdk-stage-deployment';
import { commandProject, TEST_REPORT_FORMATS } from './command-project';
import { planLayout } from './layout';
import { acknowledge, NAG_REASONS, nagArnRef } from './nag';
import {
  actionName,
  outputArtifactName,
  reportsArtifactName,
  SOURCE_ARTIFACT_NAME,
  SOURCE_STAGE_NAME,
  statusFilePath,
  variablesNamespace,
} from './naming';
import { createAccessLogBucket, createArtifactBucket, createPipelineKey } from './security';
import { sourceAction, sourceProblem } from './source-action';
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

/** Longest CodeBuild timeout, in minutes. */
const MAX_CODEBUILD_MINUTES = 2160;
/** Shortest CodeBuild timeout, in minutes. */
const MIN_CODEBUILD_MINUTES = 5;
/** CodeBuild action limits in CodePipeline. */
const MAX_ACTION_INPUTS = 5;
const MAX_ACTION_OUTPUTS = 5;
/** Report groups one buildspec may name. */
const MAX_REPORT_GROUPS = 5;

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

  private readonly projects = new Map<string, codebuild.PipelineProject>();
  private readonly roles = new Map<string, iam.Role>();
  private readonly actionNames = new Map<string, string>();
  private readonly stageNames = new Map<string, string>();
  private readonly approverPolicies = new Map<string, iam.Policy>();

  constructor(scope: Construct, id: string, props: CodePipelineEngineProps) {
    super(scope, id);
    // server access logs are delivered under a bucket policy, not the legacy log-delivery ACL
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    const model = props.pipeline;
    if (!(model instanceof Pipeline)) {
      throw new Error('CodePipelineEngine needs a gatehouse Pipeline in props.pipeline');
    }
    const graph = model.graph(); // throws every model problem at once
    const deployments = props.cdkDeployments ?? [];
    assertRenderable(this, model, props, deployments);

    const pipelineName = props.pipelineName ?? model.name;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const computeType = props.computeType ?? codebuild.ComputeType.SMALL;
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_YEAR;

    // secure storage
    const key = createPipelineKey(this, pipelineName, removalPolicy);
    const accessLogs = createAccessLogBucket(this, removalPolicy); // a log destination: cdk-nag S1 holds
    const bucket = createArtifactBucket(this, key, accessLogs, removalPolicy);
    this.encryptionKey = key;
    this.artifactBucket = bucket;
    this.accessLogBucket = accessLogs;
    // roles read and write pipeline artifacts: objects with run-time keys in this bucket only
    acknowledge(this, `AwsSolutions-IAM5[Resource::${nagArnRef(bucket)}/*]`, NAG_REASONS.artifactObjects);

    // the pipeline role: one inline policy, listing exactly what the actions need
    const pipelinePolicy = new iam.PolicyDocument();
    const role = new iam.Role(this, 'PipelineRole', {
      assumedBy: new iam.ServicePrincipal('codepipeline.amazonaws.com'),
      description: `gatehouse ${pipelineName}: CodePipeline role`,
      inlinePolicies: { pipeline: pipelinePolicy },
    });
    this.pipelineRole = role;
    pipelinePolicy.addStatements(
      new iam.PolicyStatement({
        sid: 'ArtifactObjects',
        actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:PutObjectAcl'],
        resources: [bucket.arnForObjects('*')],
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
    );

    const pipeline = new cp.Pipeline(this, 'Pipeline', {
      pipelineName,
      pipelineType: cp.PipelineType.V2,
      artifactBucket: bucket,
      role: role.withoutPolicyUpdates(),
      usePipelineRoleForActions: true,
      restartExecutionOnUpdate: false,
      executionMode: props.executionMode,
    });
    this.codePipeline = pipeline;

    // source
    const sourceOutput = new cp.Artifact(SOURCE_ARTIFACT_NAME);
    const source = sourceAction(this, model.source, sourceOutput, props.connectionArn);
    pipelinePolicy.addStatements(...source.statements);
    pipeline.addStage({ stageName: SOURCE_STAGE_NAME, actions: [source.action] });
    if (source.trigger) {
      pipeline.addTrigger(source.trigger);
    }

    // artifacts produced by command steps, by model name
    const artifacts = new Map<string, cp.Artifact>();
    const artifactOf = (name: string) => {
      let a = artifacts.get(name);
      if (!a) {
        a = new cp.Artifact(outputArtifactName(name));
        artifacts.set(name, a);
      }
      return a;
    };

    const deploymentOf = new Map(deployments.map((d) => [d.deployStage, d] as const));
    const layout = planLayout(graph, (stage) => (deploymentOf.has(stage.name) ? 1 : 0));
    const projectArns: string[] = [];
    const topics: sns.ITopic[] = [];

    for (const planned of layout) {
      const cpStage = pipeline.addStage({ stageName: planned.name });
      planned.modelStages.forEach((s) => this.stageNames.set(s.name, planned.name));
      // a CDK deployment runs first in its deploy stage; the stage's own steps follow it
      for (const stage of planned.modelStages) {
        const d = deploymentOf.get(stage.name);
        if (!d) continue;
        const step = new CommandStep({
          name: CDK_DEPLOY_STEP_NAME,
          commands: cdkDeployCommands(d),
          image: d.image ?? DEFAULT_CDK_IMAGE,
          privileged: d.privileged,
          timeoutMinutes: d.timeoutMinutes,
        });
        const extra = [
          new iam.PolicyStatement({ sid: 'AssumeCdkBootstrapRoles', actions: ['sts:AssumeRole'], resources: bootstrapRoleArns(this, d) }),
        ];
        cpStage.addAction(this.commandAction(model, stage, step, 1, extra, artifactOf, sourceOutput, {
          key, bucket, logRetention, removalPolicy, computeType, projectArns,
        }));
      }
      for (const placed of planned.steps) {
        const { stage, step, runOrder } = placed;
        if (step instanceof CommandStep) {
          cpStage.addAction(this.commandAction(model, stage, step, runOrder, [], artifactOf, sourceOutput, {
            key, bucket, logRetention, removalPolicy, computeType, projectArns,
          }));
        } else if (step instanceof ApprovalStep) {
          const approvalScope = this.stepScope(stage, step);
          const name = actionName(stage.name, step.name);
          const wiring = approvalAction(approvalScope, stage, step, name, runOrder, key, props.approvalTopic);
          cpStage.addAction(wiring.action);
          if (wiring.topic) topics.push(wiring.topic);
          this.approverPolicies.set(`${stage.name}/${step.name}`, grantApprovers(approvalScope, step, pipeline, planned.name, name));
          this.actionNames.set(`${stage.name}/${step.name}`, name);
        } else {
          throw new Error(`stage "${stage.name}" > step "${step.name}" is a ${step.kind} step, which the CodePipeline engine cannot render: use a CommandStep or an ApprovalStep`);
        }
      }
    }

    pipelinePolicy.addStatements(
      new iam.PolicyStatement({
        sid: 'RunStepBuilds',
        actions: ['codebuild:BatchGetBuilds', 'codebuild:StartBuild', 'codebuild:StopBuild'],
        resources: projectArns,
      }),
    );
    if (topics.length > 0) {
      pipelinePolicy.addStatements(
        new iam.PolicyStatement({ sid: 'NotifyApprovers', actions: ['sns:Publish'], resources: topics.map((t) => t.topicArn) }),
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

  private stepScope(stage: Stage, step: Step): Construct {
    const stageScope = (this.node.tryFindChild(`stage-${stage.name}`) as Construct | undefined) ?? new Construct(this, `stage-${stage.name}`);
    return new Construct(stageScope, step.name);
  }

  private commandAction(
    model: Pipeline,
    stage: Stage,
    step: CommandStep,
    runOrder: number,
    extraStatements: iam.PolicyStatement[],
    artifactOf: (name: string) => cp.Artifact,
    sourceOutput: cp.Artifact,
    shared: {
      key: kms.IKey;
      bucket: s3.IBucket;
      logRetention: logs.RetentionDays;
      removalPolicy: RemovalPolicy;
      computeType: codebuild.ComputeType;
      projectArns: string[];
    },
  ): cp.IAction {
    const scope = this.stepScope(stage, step);
    const outputs: ArtifactSpec[] = step.outputs.map((o) => ({ name: outputArtifactName(o.name), paths: o.paths }));
    const outputArtifacts = step.outputs.map((o) => artifactOf(o.name));
    const statusFile = statusFilePath(stage.name, step.name);
    const kept = step.reports.filter((r) => !TEST_REPORT_FORMATS[r.format ?? 'OTHER']);
    if (kept.length > 0 || step.allowFailure) {
      const name = reportsArtifactName(stage.name, step.name);
      outputs.push({ name, paths: kept.flatMap((r) => r.paths), files: [statusFile] });
      outputArtifacts.push(new cp.Artifact(name));
    }
    const extraInputs = step.inputs.map((i) => outputArtifactName(i));
    const { project, role } = commandProject(scope, {
      pipelineName: model.name,
      stageName: stage.name,
      step,
      image: model.imageOf(step),
      env: model.envOf(step),
      timeoutMinutes: model.timeoutOf(step) * (step.retries + 1),
      key: shared.key,
      bucket: shared.bucket,
      logRetention: shared.logRetention,
      removalPolicy: shared.removalPolicy,
      computeType: shared.computeType,
      extraInputs,
      artifacts: outputs,
      statusFile,
      extraStatements,
    });
    this.projects.set(`${stage.name}/${step.name}`, project);
    this.roles.set(`${stage.name}/${step.name}`, role);
    shared.projectArns.push(project.projectArn);
    const name = actionName(stage.name, step.name);
    this.actionNames.set(`${stage.name}/${step.name}`, name);
    return new actions.CodeBuildAction({
      actionName: name,
      runOrder,
      project,
      input: sourceOutput,
      extraInputs: step.inputs.map((i) => artifactOf(i)),
      outputs: outputArtifacts,
      variablesNamespace: variablesNamespace(stage.name, step.name),
    });
  }
}

/** Throws one error listing everything the engine cannot render. */
function assertRenderable(scope: Construct, model: Pipeline, props: CodePipelineEngineProps, deployments: CdkStageDeployment[]): void {
  const issues: string[] = [];
  const sp = sourceProblem(model.source, props.connectionArn);
  if (sp) issues.push(`pipeline "${model.name}": ${sp}`);
  for (const stage of model.stages) {
    for (const step of stage.steps) {
      const where = `stage "${stage.name}" > step "${step.name}"`;
      if (step instanceof ApprovalStep) {
        for (const p of approvalProblems(scope, step)) issues.push(`${where}: ${p}`);
      } else if (step instanceof CommandStep) {
        for (const p of commandProblems(model, step)) issues.push(`${where}: ${p}`);
      }
    }
  }
  const seen = new Set<string>();
  deployments.forEach((d, i) => {
    const where = `cdkDeployments[${i}]`;
    const stage = model.stage(d.deployStage);
    if (!stage) {
      issues.push(`${where}: deployStage "${d.deployStage}" is not a stage of the pipeline: name a deploy stage (${model.stages.filter((s) => s.kind === StageKind.DEPLOY).map((s) => `"${s.name}"`).join(', ') || 'none yet: add Stage.deployStage(...)'})`);
    } else if (stage.kind !== StageKind.DEPLOY) {
      issues.push(`${where}: stage "${d.deployStage}" is a ${stage.kind.toLowerCase()} stage: deploy CDK stages from a deploy stage (Stage.deployStage)`);
    } else if (stage.steps.some((s) => s.name === CDK_DEPLOY_STEP_NAME)) {
      issues.push(`${where}: stage "${d.deployStage}" already has a step named "${CDK_DEPLOY_STEP_NAME}": rename that step`);
    }
    if (seen.has(d.deployStage)) {
      issues.push(`${where}: stage "${d.deployStage}" already deploys a CDK stage: deploy one CDK stage per deploy stage`);
    }
    seen.add(d.deployStage);
    if (!CdkStage.isStage(d.stage) || d.stage.node.scope === undefined) {
      issues.push(`${where}: stage must be a cdk Stage inside the app (new Stage(app, 'Prod', ...)), not the app itself`);
    } else if (isWithin(Stack.of(scope), d.stage)) {
      issues.push(`${where}: CDK stage "${d.stage.node.path}" contains the pipeline's own stack: deploy the pipeline stack with cdk deploy, and application stages from the pipeline`);
    }
    const t = d.timeoutMinutes ?? 60;
    if (!Number.isInteger(t) || t < MIN_CODEBUILD_MINUTES || t > MAX_CODEBUILD_MINUTES) {
      issues.push(`${where}: timeoutMinutes ${t} is out of range: use a whole number from ${MIN_CODEBUILD_MINUTES} to ${MAX_CODEBUILD_MINUTES}`);
    }
  });
  if (issues.length > 0) {
    throw new Error(`the CodePipeline engine cannot render pipeline "${model.name}" (${issues.length} issue${issues.length === 1 ? '' : 's'}):\n${issues.map((i) => `  - ${i}`).join('\n')}`);
  }
}

function commandProblems(model: Pipeline, step: CommandStep): string[] {
  const out: string[] = [];
  if (step instanceof ScanStep && step.gate) {
    out.push(`is a gated ${step.scanner} scan, and this CodePipeline engine does not run the gatehouse gate yet: set gated: false to keep only the report, or render the pipeline with an engine that gates`);
  }
  const timeout = model.timeoutOf(step);
  const attempts = step.retries + 1;
  if (timeout < MIN_CODEBUILD_MINUTES) {
    out.push(`timeoutMinutes ${timeout} is below CodeBuild's minimum of ${MIN_CODEBUILD_MINUTES}: use at least ${MIN_CODEBUILD_MINUTES}`);
  } else if (timeout * attempts > MAX_CODEBUILD_MINUTES) {
    out.push(`timeoutMinutes ${timeout} × ${attempts} attempts exceeds CodeBuild's ${MAX_CODEBUILD_MINUTES}-minute limit for one build: lower the timeout or the retries`);
  }
  if (step.inputs.length + 1 > MAX_ACTION_INPUTS) {
    out.push(`reads ${step.inputs.length} artifacts besides the source, but a CodeBuild action takes ${MAX_ACTION_INPUTS} inputs in all: read at most ${MAX_ACTION_INPUTS - 1}`);
  }
  const kept = step.reports.filter((r) => !TEST_REPORT_FORMATS[r.format ?? 'OTHER']);
  const outputs = step.outputs.length + (kept.length > 0 || step.allowFailure ? 1 : 0);
  if (outputs > MAX_ACTION_OUTPUTS) {
    out.push(`needs ${outputs} output artifacts (${step.outputs.length} outputs${outputs > step.outputs.length ? ' + 1 for kept reports and status' : ''}), but a CodeBuild action takes ${MAX_ACTION_OUTPUTS}: merge outputs`);
  }
  const tests = step.reports.length - kept.length;
  if (tests > MAX_REPORT_GROUPS) {
    out.push(`has ${tests} JUnit/Cucumber reports, but a buildspec names at most ${MAX_REPORT_GROUPS} report groups: merge reports`);
  }
  return out;
}

function isWithin(child: Construct, ancestor: Construct): boolean {
  for (let c: Construct | undefined = child; c; c = c.node.scope as Construct | undefined) {
    if (c === ancestor) return true;
  }
  return false;
}
