import { ArnFormat, CfnResource, RemovalPolicy, Stack, aws_codebuild as codebuild, aws_iam as iam, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { GatePolicy, TrustSource, TrustSourceKind } from '../core';
import type { AuditLogGroup } from './audit';
import { renderBuildSpec, yamlBuildSpec } from './buildspec';
import { exportedReportGroup, secretArn } from './command-project';
import { ShippedGate } from './gate-bundle';
import { GATE_ENV, GATE_TRUST_DIR, GATE_VARIABLES, gateScript, PUBLISHED_SUMMARIES, TrustFilePlacement } from './gate-script';
import { CODEBUILD_GATE_IMAGE, CODEBUILD_GATE_NODE, resolveImage } from './images';
import { acknowledge, acknowledgeObjectKeys, NAG_REASONS } from './nag';
import { storedBaselineKey, summaryKeyPattern, testReportsKeyPrefix } from './naming';
import { acknowledgeArtifactAccess, artifactStatements, ObjectAccess, touchesArtifacts, underPrefixes } from './object-access';
import { engineProject } from './project';
import type { SharedBuildGrants } from './shared-grants';

/** CodeBuild's limit on an inline buildspec, in characters. */
export const MAX_INLINE_BUILDSPEC = 25_600;

/** Everything needed to render one gate (after a scan step, or a stage gate) as a CodeBuild project. */
export interface GateProjectOptions {
  readonly pipelineName: string;
  /** Shown in descriptions and messages: `oast/bandit` or `stage oast`. */
  readonly what: string;
  readonly policy: GatePolicy;
  readonly reports: string[];
  readonly outputDir: string;
  /** CodePipeline names of the report artifacts copied over the source root before the gate runs. */
  readonly reportArtifacts: string[];
  /** The artifacts (key prefixes) the gate reads (source, reports) and writes (its own output). */
  readonly access: ObjectAccess;
  /** Stage of the gate, for its report export folder. */
  readonly stageName: string;
  /** Scan step of the gate; undefined for a stage gate. */
  readonly stepName?: string;
  /** Id of the gate in S3 keys (`<stage>-<step>`, `<stage>-stage-gate`). */
  readonly gateId: string;
  /** Name of the model pipeline: exemptions must name it. */
  readonly modelName: string;
  /** Report formats the gate accepts, one entry per report. @default any */
  readonly reportFormats?: string[];
  /**
   * The gate image the pipeline names: it must have node (20 or later) and the AWS CLI v2.
   * @default - CodeBuild's managed image (`CODEBUILD_GATE_IMAGE`, Node.js `CODEBUILD_GATE_NODE`)
   */
  readonly image?: string;
  readonly timeoutMinutes: number;
  readonly gate: ShippedGate;
  readonly key: kms.IKey;
  readonly bucket: s3.IBucket;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  readonly computeType: codebuild.ComputeType;
  /** Name of the CodePipeline stage a MANUAL_INTERVENTION waits in. */
  readonly interventionStage?: string;
  /**
   * The pipeline's audit log group: the gate puts its audit events there (a log stream per run).
   * @default - the events stay in the gate's output artifact
   */
  readonly auditLogGroup?: AuditLogGroup;
  /** The pipeline's grants every build role needs alike (the artifact bucket, the pipeline key). */
  readonly grants: SharedBuildGrants;
}

/** The project of a gate and what the engine wires around it. */
export interface GateProject {
  readonly project: codebuild.IProject;
  readonly role: iam.Role;
  readonly reportGroup: codebuild.ReportGroup;
}

/**
 * One CodeBuild project per gate, in CodeBuild's managed image (or the pipeline's gate image),
 * with its own role whose one inline policy
 * lists exactly what this gate needs: read its inputs and write its outputs and summary in the
 * artifact bucket, write its own logs and its own report group (the gate's JUnit). What every gate
 * or build needs alike (the bucket's location, the key, the bundled gate's one object, the audit
 * log group) comes from the pipeline's shared policies (`SharedBuildGrants`). The project names the role by ARN only (`engineProject`), like the step projects.
 */
export function gateProject(scope: Construct, o: GateProjectOptions): GateProject {
  const stack = Stack.of(scope);
  const logGroup = new CfnResource(new Construct(scope, 'Logs'), 'Resource', {
    type: 'AWS::Logs::LogGroup',
    properties: { KmsKeyId: o.key.keyArn, RetentionInDays: o.logRetention },
  });
  logGroup.applyRemovalPolicy(o.removalPolicy);
  const exportPrefix = testReportsKeyPrefix(o.stageName, o.stepName ? `${o.stepName}@gate` : '@stage-gate');
  const reportGroup = exportedReportGroup(scope, 'Report-gate', o.bucket, exportPrefix, o.removalPolicy);
  const trust = trustPlacements(stack, o.policy);
  const baselineKey = o.policy.storedBaseline ? storedBaselineKey(o.gateId) : undefined;
  const summaryKeys = PUBLISHED_SUMMARIES.map((f) => summaryKeyPattern(o.gateId, f.file));
  const image = resolveImage(scope, 'ImageRepository', o.image ?? CODEBUILD_GATE_IMAGE);

  const statements = [
    new iam.PolicyStatement({
      sid: 'WriteOwnLogs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroup.getAtt('Arn').toString()],
    }),
    ...artifactStatements(o.bucket, { readArtifacts: o.access.readArtifacts, writeArtifacts: [] }),
    // what the gate writes to the bucket, each under this gate's own keys: its output artifact,
    // its findings summary and HTML report (under its gate id), and its report group's export
    new iam.PolicyStatement({
      sid: 'WriteGateOutputs',
      actions: ['s3:PutObject'],
      resources: [...underPrefixes(o.access.writeArtifacts), ...summaryKeys, `${exportPrefix}/*`].map((k) => o.bucket.arnForObjects(k)),
    }),
    new iam.PolicyStatement({
      sid: 'GateReport',
      actions: ['codebuild:CreateReport', 'codebuild:UpdateReport', 'codebuild:BatchPutTestCases'],
      resources: [reportGroup.reportGroupArn],
    }),
  ];
  if (baselineKey) {
    // the last accepted run's findings: one object, read and written by this gate's role only
    statements.push(new iam.PolicyStatement({ sid: 'StoredBaseline', actions: ['s3:GetObject', 's3:PutObject'], resources: [o.bucket.arnForObjects(baselineKey)] }));
  }
  const parameters = trust.filter((t) => t.source.kind === TrustSourceKind.SSM_PARAMETER).map((t) => t.arn!);
  if (parameters.length > 0) {
    statements.push(new iam.PolicyStatement({ sid: 'ReadTrustParameters', actions: ['ssm:GetParameters'], resources: [...new Set(parameters)] }));
  }
  const secrets = trust.filter((t) => t.source.kind === TrustSourceKind.SECRETS_MANAGER).map((t) => t.arn!);
  if (secrets.length > 0) {
    statements.push(new iam.PolicyStatement({ sid: 'ReadTrustSecrets', actions: ['secretsmanager:GetSecretValue'], resources: [...new Set(secrets)] }));
  }
  if (image.ecrRepositoryArn) {
    statements.push(
      new iam.PolicyStatement({
        sid: 'PullGateImage',
        actions: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
        resources: [image.ecrRepositoryArn],
      }),
      new iam.PolicyStatement({ sid: 'EcrLogin', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }),
    );
  }
  const role = new iam.Role(scope, 'Role', {
    assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com'),
    description: `gatehouse ${o.pipelineName}: CodeBuild role of the gate of ${o.what}`,
    inlinePolicies: { gate: new iam.PolicyDocument({ statements }) },
  });
  // it reads the scans' reports and writes its own output and summaries
  o.grants.grant(role, { artifactBucket: touchesArtifacts(o.access), keyWrite: true });
  o.grants.grantGate(role);
  acknowledgeArtifactAccess(role, o.bucket, o.access);
  acknowledgeObjectKeys(role, o.bucket, summaryKeys, NAG_REASONS.gateSummary);
  acknowledgeObjectKeys(role, o.bucket, [`${exportPrefix}/*`], NAG_REASONS.testReportExport);
  if (image.ecrRepositoryArn) {
    acknowledge(role, 'AwsSolutions-IAM5[Resource::*]', NAG_REASONS.ecrAuthorizationToken);
  }

  const script = gateScript({
    what: o.what,
    policy: o.policy,
    reports: o.reports,
    outputDir: o.outputDir,
    sha256: o.gate.sha256,
    interventionStage: o.interventionStage,
    argsOptions: { pipelineName: o.modelName, trustDir: GATE_TRUST_DIR, reportFormats: o.reportFormats },
    trustFiles: trust.map((t) => t.placement),
    storedBaselineKey: baselineKey,
    auditEvents: o.auditLogGroup !== undefined,
  });
  const fromStore = (kind: TrustSourceKind) =>
    Object.fromEntries(trust.filter((t) => t.source.kind === kind).map((t) => [t.placement.env!, t.source.name!]));
  const buildSpec = yamlBuildSpec(
    renderBuildSpec({
      env: {},
      secrets: [],
      parameterStore: fromStore(TrustSourceKind.SSM_PARAMETER),
      secretsManager: fromStore(TrustSourceKind.SECRETS_MANAGER),
      // the managed image selects its Node.js; an image of the pipeline's has its own
      runtimeVersions: o.image === undefined ? { nodejs: CODEBUILD_GATE_NODE } : undefined,
      extraInputs: o.reportArtifacts,
      script,
      testReports: [{ reportGroupArn: reportGroup.reportGroupArn, paths: [`${o.outputDir}/gatehouse-junit.xml`], fileFormat: 'JUNITXML' }],
      artifacts: [{ name: 'gate', paths: [o.outputDir] }],
      exportedVariables: GATE_VARIABLES,
    }),
  );
  // a token (the report group ARN) is counted as 200 characters, more than it resolves to
  const length = buildSpec.toBuildSpec().replace(/\$\{Token\[[^\]]*\]\}/g, 'x'.repeat(200)).length;
  if (length > MAX_INLINE_BUILDSPEC) {
    throw new Error(
      `the gate of ${o.what} has a buildspec of about ${length} characters, more than CodeBuild's ${MAX_INLINE_BUILDSPEC} for an inline buildspec: ` +
        'keep large trusted keys or VEX documents in SSM Parameter Store or Secrets Manager (TrustSource.ssmParameter, TrustSource.secretsManagerSecret)',
    );
  }
  const { project } = engineProject(scope, 'Project', {
    description: `gatehouse ${o.pipelineName}: gate of ${o.what}`,
    role,
    encryptionKey: o.key,
    buildImage: image.buildImage,
    computeType: o.computeType,
    privileged: false,
    environmentVariables: {
      [GATE_ENV.gateUrl]: o.gate.url,
      [GATE_ENV.artifactBucket]: `s3://${o.bucket.bucketName}`,
      [GATE_ENV.summaryConsole]: `https://console.aws.amazon.com/s3/object/${o.bucket.bucketName}?region=${stack.region}&prefix=`,
      [GATE_ENV.summaryFolderConsole]: `https://console.aws.amazon.com/s3/buckets/${o.bucket.bucketName}?region=${stack.region}&prefix=`,
      ...(o.auditLogGroup ? { [GATE_ENV.auditLogGroup]: o.auditLogGroup.name } : {}),
    },
    timeoutMinutes: o.timeoutMinutes,
    logGroup,
    buildSpec,
  });
  if (!image.curated) {
    acknowledge(project, 'AwsSolutions-CB5', NAG_REASONS.gateImage);
  }
  return { project, role, reportGroup };
}

/** One trust file of a gate: where its content comes from, how the script places it, what the role reads. */
interface TrustPlacement {
  readonly source: TrustSource;
  readonly placement: TrustFilePlacement;
  /** ARN the role may read (SSM parameter, secret). */
  readonly arn?: string;
}

/**
 * Where each of `policy.trustFiles(GATE_TRUST_DIR)` comes from on CodeBuild: inline content in the
 * script; an SSM parameter or a secret through buildspec `env.parameter-store` / `secrets-manager`
 * (`GATEHOUSE_TRUST_<n>`), readable by the gate's role for exactly that parameter or secret.
 * Kubernetes sources are refused before (checks.ts).
 */
function trustPlacements(stack: Stack, policy: GatePolicy): TrustPlacement[] {
  return policy.trustFiles(GATE_TRUST_DIR).map(({ source, path }, i) => {
    const what = source.describe();
    switch (source.kind) {
      case TrustSourceKind.INLINE:
        return { source, placement: { path, what, content: source.content! } };
      case TrustSourceKind.SSM_PARAMETER:
        return { source, placement: { path, what, env: `GATEHOUSE_TRUST_${i + 1}` }, arn: parameterArn(stack, source.name!) };
      case TrustSourceKind.SECRETS_MANAGER:
        return { source, placement: { path, what, env: `GATEHOUSE_TRUST_${i + 1}` }, arn: secretArn(stack, source.name!) };
      default:
        throw new Error(`gate trust source ${what} cannot be read on CodePipeline: use TrustSource.inline, TrustSource.ssmParameter or TrustSource.secretsManagerSecret`);
    }
  });
}

/** ARN of an SSM parameter given by name, with or without its leading "/". */
export function parameterArn(stack: Stack, name: string): string {
  return stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: name.replace(/^\//, ''), arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
}
