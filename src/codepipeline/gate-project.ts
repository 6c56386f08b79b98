import { CfnResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { GatePolicy } from '../core';
import { renderBuildSpec } from './buildspec';
import { ShippedGate } from './gate-bundle';
import { GATE_ENV, GATE_VARIABLES, gateScript } from './gate-script';
import { resolveImage } from './images';
import { acknowledge, NAG_REASONS } from './nag';
import { SUMMARY_PREFIX } from './naming';
import { InlineYamlBuildSpec, toYaml } from './yaml-lite';

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
  readonly image: string;
  readonly timeoutMinutes: number;
  readonly gate: ShippedGate;
  readonly key: kms.IKey;
  readonly bucket: s3.IBucket;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  readonly computeType: codebuild.ComputeType;
  /** Name of the CodePipeline stage a MANUAL_INTERVENTION waits in. */
  readonly interventionStage?: string;
}

/** The project of a gate and what the engine wires around it. */
export interface GateProject {
  readonly project: codebuild.PipelineProject;
  readonly role: iam.Role;
  readonly reportGroup: codebuild.ReportGroup;
}

/**
 * One CodeBuild project per gate, in the gate image, with its own role whose one inline policy
 * lists exactly what the gate needs: read the bundled gate's one object, read its inputs and
 * write its outputs and summary in the artifact bucket, write its own logs and its own report
 * group (the gate's JUnit). The role is handed to CodeBuild locked, like the step roles.
 */
export function gateProject(scope: Construct, o: GateProjectOptions): GateProject {
  const stack = Stack.of(scope);
  const logGroup = new CfnResource(new Construct(scope, 'Logs'), 'Resource', {
    type: 'AWS::Logs::LogGroup',
    properties: { KmsKeyId: o.key.keyArn, RetentionInDays: o.logRetention },
  });
  logGroup.applyRemovalPolicy(o.removalPolicy);
  const reportGroup = new codebuild.ReportGroup(scope, 'Report-gate', {
    exportBucket: o.bucket,
    zipExport: true,
    type: codebuild.ReportGroupType.TEST,
    removalPolicy: o.removalPolicy,
  });
  const image = resolveImage(scope, 'ImageRepository', o.image);

  const statements = [
    new iam.PolicyStatement({
      sid: 'WriteOwnLogs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroup.getAtt('Arn').toString()],
    }),
    new iam.PolicyStatement({
      sid: 'ReadBundledGate',
      actions: ['s3:GetObject'],
      resources: [o.gate.objectArn],
    }),
    new iam.PolicyStatement({
      sid: 'ArtifactObjects',
      actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject'],
      resources: [o.bucket.arnForObjects('*')],
    }),
    new iam.PolicyStatement({
      sid: 'ArtifactBucket',
      actions: ['s3:GetBucketAcl', 's3:GetBucketLocation'],
      resources: [o.bucket.bucketArn],
    }),
    new iam.PolicyStatement({
      sid: 'PipelineKey',
      actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
      resources: [o.key.keyArn],
    }),
    new iam.PolicyStatement({
      sid: 'GateReport',
      actions: ['codebuild:CreateReport', 'codebuild:UpdateReport', 'codebuild:BatchPutTestCases'],
      resources: [reportGroup.reportGroupArn],
    }),
  ];
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
  });
  const env = (value: string) => ({ type: codebuild.BuildEnvironmentVariableType.PLAINTEXT, value });
  const project = new codebuild.PipelineProject(scope, 'Project', {
    description: `gatehouse ${o.pipelineName}: gate of ${o.what}`,
    role: role.withoutPolicyUpdates(),
    encryptionKey: o.key,
    environment: { buildImage: image.buildImage, computeType: o.computeType, privileged: false },
    environmentVariables: {
      [GATE_ENV.gateUrl]: env(o.gate.url),
      [GATE_ENV.region]: env(stack.region),
      [GATE_ENV.summaryEndpoint]: env(`https://${o.bucket.bucketName}.s3.${stack.region}.${stack.urlSuffix}`),
      [GATE_ENV.summaryConsole]: env(`https://console.aws.amazon.com/s3/object/${o.bucket.bucketName}?region=${stack.region}&prefix=`),
      [GATE_ENV.summaryFolderConsole]: env(`https://console.aws.amazon.com/s3/buckets/${o.bucket.bucketName}?region=${stack.region}&prefix=`),
    },
    timeout: Duration.minutes(o.timeoutMinutes),
    grantReportGroupPermissions: false,
    buildSpec: new InlineYamlBuildSpec(
      toYaml(
        renderBuildSpec({
          env: {},
          secrets: [],
          extraInputs: o.reportArtifacts,
          script,
          testReports: [{ reportGroupArn: reportGroup.reportGroupArn, paths: [`${o.outputDir}/gatehouse-junit.xml`], fileFormat: 'JUNITXML' }],
          artifacts: [{ name: 'gate', paths: [o.outputDir] }],
          exportedVariables: GATE_VARIABLES,
        }),
      ),
    ),
  });
  (project.node.defaultChild as codebuild.CfnProject).logsConfig = {
    cloudWatchLogs: { status: 'ENABLED', groupName: logGroup.ref },
  };
  if (!image.curated) {
    acknowledge(project, 'AwsSolutions-CB5', NAG_REASONS.gateImage);
  }
  return { project, role, reportGroup };
}

/** Key pattern (in the artifact bucket) of the published gate summaries. */
export const SUMMARY_KEY_PATTERN = `${SUMMARY_PREFIX}/*`;
