import { FileAssetLocation, RemovalPolicy, Stack, aws_codebuild as codebuild, aws_codepipeline as cp, aws_iam as iam, aws_kms as kms, aws_s3 as s3, aws_sns as sns } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { Pipeline, PipelineGraph, pipelineValidationError, ValidationIssue } from '../core';
import { auditBusProblem, createAuditLogGroup, renderAudit } from './audit';
import { CdkStageDeployment } from './cdk-stage-deployment';
import { codePipelineIssues } from './checks/rules';
import { planLayout } from './layout';
import { acknowledgeObjectKeys, NAG_REASONS } from './nag';
import { gateNamespace, pipelineKeyPrefix, variablesNamespace } from './naming';
import { enforceCodePipelinePolicy } from './policy';
import { renderAlwaysSteps } from './render/always';
import { gateKey } from './render/gate';
import { PipelineRenderer } from './render/renderer';
import { actionStatements, pipelineBaseStatements } from './render/roles';
import { createAccessLogBucket, createArtifactBucket, createPipelineKey } from './security';
import { STATUS_VARIABLE } from './step-script';

/** aws-cdk-lib's context key (cx-api `DISABLE_CREATION_STACK_TRACES`). */
const DISABLE_CREATION_STACK_TRACES = 'aws:cdk:disable-creation-stack-traces';

/** What `CodePipelineEngine.check` needs besides the pipeline: the engine's props that change what it can render. */
export interface CodePipelineCheckOptions {
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
   * CDK stages of the app deployed by deploy stages with `cdk deploy`.
   * @default - none
   */
  readonly cdkDeployments?: CdkStageDeployment[];
  /**
   * Where the engine would be created: its stack's account (approvers in another account) and
   * the CDK stages around it (a deployment of the pipeline's own stack).
   * @default - a stack of its own: account-dependent rules pass
   */
  readonly scope?: Construct;
}

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
  /**
   * How long the audit log group keeps the pipeline's trail (its execution, stage and action
   * state changes, the API calls on it, the gates' own events).
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly auditLogRetention?: logs.RetentionDays;
  /**
   * ARN of a central EventBridge event bus (in a security account, say) the trail and the
   * alerts are also forwarded to, by a role that may put events on that bus only. The bus's
   * policy must let this account put events.
   * @default - the trail stays in this account's audit log group
   */
  readonly auditEventBusArn?: string;
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
   * Every issue that keeps `pipeline` from rendering on CodePipeline, without rendering it: the
   * model's rules (names included) and CodePipeline's limits (names, text lengths, counts, what
   * it cannot express). Empty when the engine would render it; else the engine refuses with
   * exactly these issues.
   */
  public static check(pipeline: Pipeline, options: CodePipelineCheckOptions = {}): ValidationIssue[] {
    if (!(pipeline instanceof Pipeline)) {
      throw new Error('CodePipelineEngine.check needs a gatehouse Pipeline');
    }
    return codePipelineIssues({
      model: pipeline,
      scope: options.scope ?? new Stack(),
      connectionArn: options.connectionArn,
      cdkDeployments: options.cdkDeployments ?? [],
      pipelineName: options.pipelineName ?? pipeline.name,
    });
  }

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
  /**
   * Name of the CloudWatch Logs group holding the audit trail (`/aws/events/gatehouse/<pipeline>`):
   * execution, stage and action state changes, the API calls on the pipeline, the gates' events.
   */
  public readonly auditLogGroupName: string;
  /**
   * The topic alerts on suspicious activity are published to (encrypted with the pipeline's
   * key): runs started by hand by someone not allowed to, approvals answered by someone not among
   * the approvers, changes to the pipeline outside CloudFormation. Subscribe the security team.
   */
  public readonly alertTopic: sns.ITopic;

  private readonly renderer: PipelineRenderer;

  constructor(scope: Construct, id: string, props: CodePipelineEngineProps) {
    super(scope, id);
    // server access logs are delivered under a bucket policy, not the legacy log-delivery ACL
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    // no creation stack trace on each of the engine's resources (aws-cdk-lib records one per
    // resource: about a twentieth of a synthesis, and each would name this constructor's caller,
    // which the construct path already tells), unless the app asks for them (the context set to
    // false, or CDK_DEBUG)
    if (this.node.tryGetContext(DISABLE_CREATION_STACK_TRACES) === undefined) this.node.setContext(DISABLE_CREATION_STACK_TRACES, true);
    const model = props.pipeline;
    if (!(model instanceof Pipeline)) {
      throw new Error('CodePipelineEngine needs a gatehouse Pipeline in props.pipeline');
    }
    const deployments = props.cdkDeployments ?? [];
    const pipelineName = props.pipelineName ?? model.name;
    // one pass over the model's rules and CodePipeline's limits, before anything renders
    const issues = CodePipelineEngine.check(model, { connectionArn: props.connectionArn, pipelineName, cdkDeployments: deployments, scope: this });
    if (issues.length > 0) throw pipelineValidationError(model.name, issues, 'CodePipeline');
    // the engine reads the model once: later changes would be missing from the output
    model._freeze(`CodePipelineEngine "${this.node.path}"`);
    const graph = new PipelineGraph(model); // checked above
    // the packs of the pipeline and of the App/Stack, over the document, before anything renders
    enforceCodePipelinePolicy(this, model);

    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const busProblem = auditBusProblem(props.auditEventBusArn);
    if (busProblem) throw new Error(busProblem);

    // secure storage: one key, an access-logged artifact bucket (the log bucket is a log
    // destination, which cdk-nag's S1 accepts)
    const key = createPipelineKey(this, pipelineName, removalPolicy);
    this.encryptionKey = key;
    this.accessLogBucket = createAccessLogBucket(this, removalPolicy);
    this.artifactBucket = createArtifactBucket(this, key, this.accessLogBucket, removalPolicy);
    const auditLogs = createAuditLogGroup(this, pipelineName, key, props.auditLogRetention ?? 365, removalPolicy); // ONE_YEAR
    this.auditLogGroupName = auditLogs.name;

    // the pipeline role: one inline policy listing exactly what the actions need, locked for grants;
    // of the artifact bucket, it touches the pipeline's own artifacts only (`<pipeline>/…`)
    const ownArtifacts = `${pipelineKeyPrefix(pipelineName)}/*`;
    const pipelinePolicy = new iam.PolicyDocument({ statements: pipelineBaseStatements(this.artifactBucket, key, ownArtifacts) });
    const role = new iam.Role(this, 'PipelineRole', {
      assumedBy: new iam.ServicePrincipal('codepipeline.amazonaws.com'),
      description: `gatehouse ${pipelineName}: CodePipeline role`,
      inlinePolicies: { pipeline: pipelinePolicy },
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

    const r = new PipelineRenderer(this, {
      model,
      pipelineName,
      key,
      artifactBucket: this.artifactBucket,
      codePipeline: this.codePipeline,
      pipelinePolicy,
      removalPolicy,
      computeType: props.computeType ?? codebuild.ComputeType.SMALL,
      logRetention: props.logRetention ?? (365 as logs.RetentionDays), // RetentionDays.ONE_YEAR
      approvalTopic: props.approvalTopic,
      auditLogGroup: auditLogs,
    });
    this.renderer = r;
    this.gateAsset = r.shippedGate?.location;
    r.renderSource(props.connectionArn);
    r.renderTriggers();
    const deploymentOf = new Map(deployments.map((d) => [d.deployStage, d] as const));
    for (const planned of planLayout(graph, (stage) => (deploymentOf.has(stage.name) ? 1 : 0))) {
      r.renderWave(planned, deploymentOf);
    }
    renderAlwaysSteps(r, graph.alwaysSteps());
    pipelinePolicy.addStatements(...actionStatements(r));
    this.alertTopic = renderAudit(this, {
      model,
      pipelineName,
      key,
      group: auditLogs,
      codePipeline: this.codePipeline,
      ownStarters: r.scheduleRole ? [r.scheduleRole] : [],
      busArn: props.auditEventBusArn,
      approvalAction: (stage, step) => ({ stageName: this.codePipelineStageOf(stage), actionName: this.actionNameOf(stage, step) }),
    });
  }

  /** The CodeBuild project of a command step (`cdk-deploy` for a CDK deployment). */
  public projectOf(stageName: string, stepName: string): codebuild.IProject {
    const p = this.renderer.projects.get(`${stageName}/${stepName}`);
    if (!p) {
      throw new Error(`no CodeBuild project for step "${stageName}/${stepName}": name a command step of the pipeline`);
    }
    return p;
  }

  /**
   * The role a command step runs with, to grant it what its commands need (a deploy step's
   * permissions, for instance): `engine.roleOf('prod', 'deploy').addToPolicy(...)`.
   *
   * The project refers to this role by its ARN only, and a grant made through the project
   * (`bucket.grantRead(projectOf(...))`) is refused at synthesis rather than widening it:
   * grant on this role instead.
   */
  public roleOf(stageName: string, stepName: string): iam.Role {
    const r = this.renderer.roles.get(`${stageName}/${stepName}`);
    if (!r) {
      throw new Error(`no CodeBuild role for step "${stageName}/${stepName}": name a command step of the pipeline`);
    }
    return r;
  }

  /** Name of the CodePipeline stage that runs a model stage. */
  public codePipelineStageOf(stageName: string): string {
    const name = this.renderer.stageNames.get(stageName);
    if (name) return name;
    throw new Error(`no CodePipeline stage for stage "${stageName}": name a stage of the pipeline`);
  }

  /** Name of the CodePipeline action that runs a model step. */
  public actionNameOf(stageName: string, stepName: string): string {
    const v = this.renderer.actionNames.get(`${stageName}/${stepName}`);
    if (!v) {
      throw new Error(`no action for step "${stageName}/${stepName}": name a step of the pipeline`);
    }
    return v;
  }

  /** The IAM policy that lets an approval's approvers approve it (and nothing else). */
  public approverPolicyOf(stageName: string, stepName: string): iam.Policy {
    const p = this.renderer.approverPolicies.get(`${stageName}/${stepName}`);
    if (!p) {
      throw new Error(`no approval "${stageName}/${stepName}": name an approval step of the pipeline`);
    }
    return p;
  }

  /** The CodeBuild project of the gate after a scan step, or of a stage gate (`stepName` left out). */
  public gateProjectOf(stageName: string, stepName?: string): codebuild.IProject {
    const p = this.renderer.gateProjects.get(gateKey(stageName, stepName));
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
    const r = this.renderer.gateRoles.get(gateKey(stageName, stepName));
    if (!r) {
      throw new Error(`no gate for ${stepName ? `step "${stageName}/${stepName}"` : `stage "${stageName}"`}: name a gated scan step or a stage with a gate`);
    }
    return r;
  }

  /**
   * The IAM policy that lets the approvers of a MANUAL_INTERVENTION gate, or of a command step's
   * `OnFailure.manualIntervention`, answer its intervention (and nothing else).
   */
  public interventionPolicyOf(stageName: string, stepName?: string): iam.Policy {
    const p = this.renderer.interventionPolicies.get(gateKey(stageName, stepName));
    if (!p) {
      throw new Error(`no intervention for ${stepName ? `step "${stageName}/${stepName}"` : `stage "${stageName}"`}: name a gate with failureStrategy MANUAL_INTERVENTION or a command step with OnFailure.manualIntervention`);
    }
    return p;
  }
}
