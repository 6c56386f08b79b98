import { Aws, CfnResource, RemovalPolicy, aws_codebuild as codebuild, aws_codepipeline as cp, aws_iam as iam, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { Pipeline, SourceProvider, TRIGGER_ENV_VAR, TriggerKind, triggerWord } from '../core';
import { renderBuildSpec, yamlBuildSpec } from './buildspec';
import { CODEBUILD_GATE_IMAGE } from './images';
import { acknowledgeArtifactAccess, artifactStatements, touchesArtifacts } from './object-access';
import { engineProject } from './project';
import type { SharedBuildGrants } from './shared-grants';

/**
 * How a CodePipeline run learns its trigger when the pipeline's runs differ by trigger (several
 * kinds, or stages limited with `onlyOn`): a CodeBuild action right after the source asks
 * CodePipeline how this execution was started (`GetPipelineExecution` → `trigger.triggerType`
 * and `triggerDetail`) and exports the kind as `GATEHOUSE_TRIGGER`.
 *
 * Nothing a caller passes when it starts the pipeline decides the kind: pipeline variables are not
 * read (the pipeline declares none), and a start by `StartPipelineExecution` counts as a schedule
 * only when the caller is the schedules' own role (which only EventBridge Scheduler may assume,
 * for this pipeline's schedules); any other caller starts a manual run.
 */

/** Name of the CodePipeline stage holding the trigger action (model stage names are lowercase). */
export const TRIGGER_STAGE_NAME = 'Trigger';
/** Name of the trigger action. */
export const TRIGGER_ACTION_NAME = 'Trigger';
/** Variable namespace of the trigger action (model namespaces are lowercase). */
export const TRIGGER_NAMESPACE = 'Trigger';
/** The variable every CodeBuild action and every limited stage reads the run's trigger from. */
export const TRIGGER_VARIABLE_REF = `#{${TRIGGER_NAMESPACE}.${TRIGGER_ENV_VAR}}`;

/** Environment variables of the trigger project; `none` stands for "no such kind". */
export const TRIGGER_ENV = {
  pipelineName: 'GATEHOUSE_PIPELINE_NAME',
  executionId: 'GATEHOUSE_EXECUTION_ID',
  /** The kind of a `WebhookV2` start (the V2 git trigger of a connection source). */
  webhookKind: 'GATEHOUSE_WEBHOOK_KIND',
  /** The kind of a `CloudWatchEvent` start (a CodeCommit or S3 source's change rule). */
  eventKind: 'GATEHOUSE_EVENT_KIND',
  /** `arn:<partition>:sts::<account>:assumed-role/<schedules' role>/`: a start by that role's session is a schedule. */
  schedulerSession: 'GATEHOUSE_SCHEDULER_SESSION',
  /** The schedules' role ARN itself (the same caller, should CodePipeline report the role rather than its session). */
  schedulerRole: 'GATEHOUSE_SCHEDULER_ROLE',
};

/**
 * The trigger action's script (POSIX sh): maps the execution's trigger type to a kind, refuses
 * (exit 1, the run stops before any stage) a start this pipeline does not declare, and exports
 * `GATEHOUSE_TRIGGER`. Shell patterns are quoted: an ARN is compared as text, never as a glob.
 */
export const TRIGGER_SCRIPT = [
  'set -eu',
  'cd "$(mktemp -d)"',
  `gatehouse_started=$(aws codepipeline get-pipeline-execution --pipeline-name "$${TRIGGER_ENV.pipelineName}" --pipeline-execution-id "$${TRIGGER_ENV.executionId}" --query 'pipelineExecution.trigger.[triggerType,triggerDetail]' --output text)`,
  'gatehouse_type=$(printf \'%s\\n\' "$gatehouse_started" | head -n 1 | cut -f 1)',
  'gatehouse_detail=$(printf \'%s\\n\' "$gatehouse_started" | head -n 1 | cut -f 2-)',
  'gatehouse_kind=none',
  'case "$gatehouse_type" in',
  `  WebhookV2) gatehouse_kind="$${TRIGGER_ENV.webhookKind}" ;;`,
  `  CloudWatchEvent) gatehouse_kind="$${TRIGGER_ENV.eventKind}" ;;`,
  '  CreatePipeline) gatehouse_kind=manual ;;',
  '  StartPipelineExecution)',
  '    gatehouse_kind=manual',
  `    if [ "$${TRIGGER_ENV.schedulerSession}" != none ]; then`,
  `      case "$gatehouse_detail" in "$${TRIGGER_ENV.schedulerSession}"?*) gatehouse_kind=schedule ;; esac`,
  `      if [ "$gatehouse_detail" = "$${TRIGGER_ENV.schedulerRole}" ]; then gatehouse_kind=schedule; fi`,
  // a start that names the schedules' role in a form not recognized above is neither a schedule
  // nor a person's start: it stops the run (a nightly re-scan never runs the stages of a manual run)
  `      gatehouse_role_name="$\{${TRIGGER_ENV.schedulerRole}##*/}"`,
  '      if [ "$gatehouse_kind" = manual ]; then case "$gatehouse_detail" in *"$gatehouse_role_name"*) gatehouse_kind=none ;; esac; fi',
  '    fi ;;',
  'esac',
  'if [ "$gatehouse_kind" = none ]; then',
  '  echo "gatehouse: this execution was started by $gatehouse_type ($gatehouse_detail), which is none of the pipeline\'s triggers: stopping the run" >&2',
  '  exit 1',
  'fi',
  `${TRIGGER_ENV_VAR}=$gatehouse_kind`,
  `export ${TRIGGER_ENV_VAR}`,
  `echo "gatehouse: this run's trigger is $${TRIGGER_ENV_VAR} (started by $gatehouse_type: $gatehouse_detail)"`,
].join('\n');

/** The kind a `WebhookV2` start means (a hosted source's one git trigger kind), or `none`. */
export function webhookKind(pipeline: Pipeline): string {
  if (![SourceProvider.GITHUB, SourceProvider.GITLAB, SourceProvider.BITBUCKET].includes(pipeline.source.provider)) return 'none';
  // the check refuses push and pull request triggers in one pipeline: a webhook start is the one declared
  const kind = [TriggerKind.PUSH, TriggerKind.PULL_REQUEST].find((k) => pipeline.triggerKinds().includes(k));
  return kind ? triggerWord(kind) : 'none';
}

/** The kind a `CloudWatchEvent` start means (a CodeCommit or S3 source with a push trigger), or `none`. */
export function eventKind(pipeline: Pipeline): string {
  const byRule = [SourceProvider.CODECOMMIT, SourceProvider.S3].includes(pipeline.source.provider);
  return byRule && pipeline.triggerKinds().includes(TriggerKind.PUSH) ? triggerWord(TriggerKind.PUSH) : 'none';
}

/** What the trigger project needs. */
export interface TriggerProjectOptions {
  readonly model: Pipeline;
  readonly pipelineName: string;
  /** ARN of the pipeline: the one resource the role may read executions of. */
  readonly pipelineArn: string;
  /** The schedules' role, when the pipeline has schedules. */
  readonly schedulerRole?: iam.IRole;
  /** Key prefix of the source artifact (CodeBuild downloads it, the script never reads it). */
  readonly sourcePrefix: string;
  readonly key: kms.IKey;
  readonly bucket: s3.IBucket;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  /** The pipeline's grants every build role needs alike (the artifact bucket, the pipeline key). */
  readonly grants: SharedBuildGrants;
}

/**
 * The trigger action's CodeBuild project, in CodeBuild's managed image (it has the AWS CLI v2),
 * with a role that may read this pipeline's executions (`codepipeline:GetPipelineExecution` on
 * its ARN), download the source artifact CodeBuild hands it, and write its own logs: nothing else.
 */
export function triggerProject(scope: Construct, o: TriggerProjectOptions): { project: codebuild.IProject; role: iam.Role } {
  const logGroup = new CfnResource(new Construct(scope, 'Logs'), 'Resource', {
    type: 'AWS::Logs::LogGroup',
    properties: { KmsKeyId: o.key.keyArn, RetentionInDays: o.logRetention },
  });
  logGroup.applyRemovalPolicy(o.removalPolicy);
  const access = { readArtifacts: [o.sourcePrefix], writeArtifacts: [] };
  const role = new iam.Role(scope, 'Role', {
    assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com'),
    description: `gatehouse ${o.pipelineName}: CodeBuild role of the action telling the run's trigger`,
    inlinePolicies: {
      trigger: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({ sid: 'ReadOwnExecutions', actions: ['codepipeline:GetPipelineExecution'], resources: [o.pipelineArn] }),
          new iam.PolicyStatement({ sid: 'WriteOwnLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.getAtt('Arn').toString()] }),
          ...artifactStatements(o.bucket, access),
        ],
      }),
    },
  });
  o.grants.grant(role, { artifactBucket: touchesArtifacts(access), keyWrite: false });
  acknowledgeArtifactAccess(role, o.bucket, access);
  const { project } = engineProject(scope, 'Project', {
    description: `gatehouse ${o.pipelineName}: tells the run's trigger (${TRIGGER_ENV_VAR})`,
    role,
    encryptionKey: o.key,
    buildImage: codebuild.LinuxBuildImage.fromCodeBuildImageId(CODEBUILD_GATE_IMAGE),
    computeType: codebuild.ComputeType.SMALL,
    privileged: false,
    environmentVariables: {
      [TRIGGER_ENV.pipelineName]: o.pipelineName,
      [TRIGGER_ENV.webhookKind]: webhookKind(o.model),
      [TRIGGER_ENV.eventKind]: eventKind(o.model),
      [TRIGGER_ENV.schedulerSession]: o.schedulerRole ? `arn:${Aws.PARTITION}:sts::${Aws.ACCOUNT_ID}:assumed-role/${o.schedulerRole.roleName}/` : 'none',
      [TRIGGER_ENV.schedulerRole]: o.schedulerRole ? o.schedulerRole.roleArn : 'none',
    },
    timeoutMinutes: 5,
    logGroup,
    buildSpec: yamlBuildSpec(
      renderBuildSpec({
        env: {}, secrets: [], extraInputs: [], script: TRIGGER_SCRIPT, testReports: [], artifacts: [], exportedVariables: [TRIGGER_ENV_VAR],
      }),
    ),
  });
  return { project, role };
}

/** Name of the entry rule of a stage limited to some triggers. */
export const TRIGGER_RULE_NAME = 'gatehouse-trigger';

/**
 * The entry condition of a CodePipeline stage: entered only when the run's trigger is one of
 * `onlyOn` (a `VariableCheck` rule matching the trigger action's exported variable against
 * `^(kind|kind)$`) and, for an intervention stage, when `existing`'s rules pass too (the rules of
 * one condition must all pass); skipped otherwise. Undefined when the stage runs on every trigger
 * and has no condition of its own.
 */
export function entryConditions(onlyOn: TriggerKind[] | undefined, existing: cp.Conditions | undefined): cp.Conditions | undefined {
  if (onlyOn === undefined) return existing;
  const rule = new cp.Rule({
    name: TRIGGER_RULE_NAME,
    provider: 'VariableCheck',
    version: '1',
    configuration: { Variable: TRIGGER_VARIABLE_REF, Value: `^(${onlyOn.map(triggerWord).join('|')})$`, Operator: 'MATCHES' },
  });
  const rules = [rule, ...(existing?.conditions ?? []).flatMap((c) => c.rules ?? [])];
  return { conditions: [{ result: cp.Result.SKIP, rules }] };
}

/** What GATEHOUSE_TRIGGER is set to on every CodeBuild action: the trigger action's variable, or the pipeline's one kind. */
export function runTriggerValue(pipeline: Pipeline): string {
  if (pipeline.dependsOnTrigger()) return TRIGGER_VARIABLE_REF;
  return triggerWord(pipeline.triggerKinds().find((k) => k !== TriggerKind.MANUAL) ?? TriggerKind.MANUAL);
}
