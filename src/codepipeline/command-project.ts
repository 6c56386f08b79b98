import { ArnFormat, CfnResource, RemovalPolicy, Stack, aws_codebuild as codebuild, aws_iam as iam, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { CommandStep, ReportFormat, SecurityContextNeed, StepPlatform } from '../core';
import { ArtifactSpec, renderBuildSpec, TestReportSpec, yamlBuildSpec } from './buildspec';
import { resolveImage } from './images';
import { acknowledge, acknowledgeObjectKeys, NAG_REASONS } from './nag';
import { cacheKeyPrefix, testReportsKeyPrefix } from './naming';
import { acknowledgeArtifactAccess, artifactStatements, ObjectAccess, touchesArtifacts } from './object-access';
import { engineProject } from './project';
import type { SharedBuildGrants } from './shared-grants';
import { EXIT_CODE_VARIABLE, renderStepScript, STATUS_VARIABLE } from './step-script';
import { waitsForIntervention } from './step-strategies';

/** Report formats CodeBuild shows as test results (report groups). */
export const TEST_REPORT_FORMATS: { [format: string]: string } = {
  [ReportFormat.JUNIT_XML]: 'JUNITXML',
  [ReportFormat.CUCUMBER_JSON]: 'CUCUMBERJSON',
};

/** Everything needed to render one command step as a CodeBuild project. */
export interface CommandProjectOptions {
  readonly pipelineName: string;
  readonly stageName: string;
  readonly step: CommandStep;
  readonly image: string;
  readonly env: { [name: string]: string };
  /** CodeBuild timeout of the whole step (every attempt), in minutes. */
  readonly timeoutMinutes: number;
  readonly key: kms.IKey;
  readonly bucket: s3.IBucket;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  readonly computeType: codebuild.ComputeType;
  /** CodePipeline names of the extra input artifacts. */
  readonly extraInputs: string[];
  /** The artifacts (key prefixes) the step reads and writes: its role may touch no other. */
  readonly access: ObjectAccess;
  /** Output artifacts (model outputs, then the reports artifact). */
  readonly artifacts: ArtifactSpec[];
  readonly statusFile: string;
  /** Statements the step needs beyond the defaults (e.g. assuming CDK bootstrap roles). */
  readonly extraStatements: iam.PolicyStatement[];
  /**
   * A project started outside the pipeline (no source, no artifacts: a step that runs always),
   * rather than by a CodePipeline action.
   * @default false
   */
  readonly standalone?: boolean;
  /**
   * Commands run before the step's own (see StepScriptOptions.prelude).
   * @default - none
   */
  readonly prelude?: string[];
  /** Values exported from files (a scan's `chainsResults`). */
  readonly results?: Array<{ readonly name: string; readonly path: string }>;
  /** The pipeline's grants every build role needs alike (the artifact bucket, the pipeline key). */
  readonly grants: SharedBuildGrants;
}

/** CodeBuild's buildspec `shell` for a step's shell, or undefined when CodeBuild cannot run it. */
export function codeBuildShell(shell: string): string | undefined {
  if (shell === '/bin/sh') return '/bin/sh';
  if (shell === '/bin/bash' || shell === '/usr/bin/bash') return 'bash';
  return undefined;
}

/** The project of a command step and what the engine wires around it. */
export interface CommandProject {
  readonly project: codebuild.IProject;
  readonly role: iam.Role;
  readonly reportGroups: codebuild.ReportGroup[];
}

/**
 * One CodeBuild project per command step, with its own role (an inline policy listing exactly what
 * the step needs, and the pipeline's shared grants of the artifact bucket and key), its own
 * KMS-encrypted log group, and one report group per test report.
 * The project names the role by ARN only (`engineProject`), so no library grant can widen it.
 */
export function commandProject(scope: Construct, o: CommandProjectOptions): CommandProject {
  const step = o.step;
  const stack = Stack.of(scope);
  // the log group as a plain resource: nothing here needs the L2, whose module is large to load
  const logGroup = new CfnResource(new Construct(scope, 'Logs'), 'Resource', {
    type: 'AWS::Logs::LogGroup',
    properties: { KmsKeyId: o.key.keyArn, RetentionInDays: o.logRetention },
  });
  logGroup.applyRemovalPolicy(o.removalPolicy);
  const reportGroups: codebuild.ReportGroup[] = [];
  const testReports: TestReportSpec[] = [];
  const exportPrefix = testReportsKeyPrefix(o.stageName, step.name);
  for (const r of step.reports) {
    const fileFormat = TEST_REPORT_FORMATS[r.format ?? ReportFormat.OTHER];
    if (!fileFormat) continue;
    const group = exportedReportGroup(scope, `Report-${r.name}`, o.bucket, `${exportPrefix}/${r.name}`, o.removalPolicy);
    reportGroups.push(group);
    testReports.push({ reportGroupArn: group.reportGroupArn, paths: r.paths, fileFormat });
  }
  const image = resolveImage(scope, 'ImageRepository', o.image);

  const cached = step.cacheDirs.length > 0;
  const cachePrefix = cacheKeyPrefix(o.stageName, step.name);
  const writes = o.access.writeArtifacts.length > 0 || reportGroups.length > 0 || cached;
  const statements = [
    new iam.PolicyStatement({
      sid: 'WriteOwnLogs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroup.getAtt('Arn').toString()],
    }),
    ...artifactStatements(o.bucket, o.access),
  ];
  if (reportGroups.length > 0) {
    statements.push(
      new iam.PolicyStatement({
        sid: 'TestReports',
        actions: ['codebuild:CreateReport', 'codebuild:UpdateReport', 'codebuild:BatchPutTestCases'],
        resources: reportGroups.map((g) => g.reportGroupArn),
      }),
      // CodeBuild exports a report group's raw reports with the project's role
      new iam.PolicyStatement({
        sid: 'ExportTestReports',
        actions: ['s3:PutObject'],
        resources: [o.bucket.arnForObjects(`${exportPrefix}/*`)],
      }),
    );
  }
  if (cached) {
    statements.push(
      new iam.PolicyStatement({
        sid: 'StepCache',
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [o.bucket.arnForObjects(`${cachePrefix}/*`)],
      }),
    );
  }
  if (step.secrets.length > 0) {
    statements.push(
      new iam.PolicyStatement({
        sid: 'ReadNamedSecrets',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [...new Set(step.secrets.map((s) => secretArn(stack, s.secretName)))],
      }),
    );
  }
  if (image.ecrRepositoryArn) {
    statements.push(
      new iam.PolicyStatement({
        sid: 'PullStepImage',
        actions: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
        resources: [image.ecrRepositoryArn],
      }),
      new iam.PolicyStatement({ sid: 'EcrLogin', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }),
    );
  }
  statements.push(...o.extraStatements);

  const role = new iam.Role(scope, 'Role', {
    assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com'),
    description: `gatehouse ${o.pipelineName}: CodeBuild role of ${o.stageName}/${step.name}`,
    inlinePolicies: { step: new iam.PolicyDocument({ statements }) },
  });
  o.grants.grant(role, { artifactBucket: touchesArtifacts(o.access), keyWrite: writes });
  acknowledgeArtifactAccess(role, o.bucket, o.access);
  if (reportGroups.length > 0) acknowledgeObjectKeys(role, o.bucket, [`${exportPrefix}/*`], NAG_REASONS.testReportExport);
  if (cached) acknowledgeObjectKeys(role, o.bucket, [`${cachePrefix}/*`], NAG_REASONS.stepCache);
  if (image.ecrRepositoryArn) {
    acknowledge(role, 'AwsSolutions-IAM5[Resource::*]', NAG_REASONS.ecrAuthorizationToken);
  }

  const script = renderStepScript({
    pipelineName: o.pipelineName,
    stageName: o.stageName,
    stepName: step.name,
    commands: step.commandsFor(StepPlatform.CODEBUILD),
    attempts: step.retries + 1,
    allowFailure: step.allowFailure,
    intervention: waitsForIntervention(step),
    prelude: o.prelude,
    statusFile: o.statusFile,
    results: o.results,
  });
  const shell = codeBuildShell(step.shell);
  const exception = step.formFor(StepPlatform.CODEBUILD)?.securityContext;
  const { project, resource } = engineProject(scope, 'Project', {
    description: `gatehouse ${o.pipelineName}: ${o.stageName}/${step.name}`,
    role,
    encryptionKey: o.key,
    buildImage: image.buildImage,
    computeType: o.computeType,
    privileged: step.privileged || exception?.has(SecurityContextNeed.PRIVILEGED) === true,
    timeoutMinutes: o.timeoutMinutes,
    logGroup,
    // the step's own cache folder in the artifact bucket, encrypted with the pipeline key
    cache: cached ? { bucket: o.bucket, prefix: cachePrefix } : undefined,
    standalone: o.standalone,
    // YAML, so that scripts read as written in the CodeBuild console (literal blocks)
    buildSpec: yamlBuildSpec(
      renderBuildSpec({
        env: o.env,
        secrets: step.secrets,
        extraInputs: o.extraInputs,
        script,
        testReports,
        artifacts: o.artifacts,
        exportedVariables: [STATUS_VARIABLE, EXIT_CODE_VARIABLE, ...(o.results ?? []).map((r) => r.name)],
        shell: shell === '/bin/sh' ? undefined : shell,
        cachePaths: step.cacheDirs,
      }),
    ),
  });
  if (exception) {
    // the typed exception, visible on the project in the template (what, why)
    resource.cfnOptions.metadata = {
      'gatehouse:securityContextException': {
        needs: exception.needs.map((n) => n.toLowerCase().replace(/_/g, '-')),
        reason: exception.reason,
      },
    };
  }
  if (!image.curated) {
    acknowledge(project, 'AwsSolutions-CB5', NAG_REASONS.customImage);
  }
  return { project, role, reportGroups };
}

/** ARN of a Secrets Manager secret given by name (any version suffix) or by full ARN. */
export function secretArn(stack: Stack, secretName: string): string {
  if (secretName.startsWith('arn:')) {
    return secretName;
  }
  return stack.formatArn({ service: 'secretsmanager', resource: 'secret', resourceName: `${secretName}-??????`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
}

/**
 * A test report group exporting its raw reports (zipped, with the pipeline key) under `path` of the
 * artifact bucket: a folder of the build's own, which its role may write and no other role may.
 */
export function exportedReportGroup(
  scope: Construct,
  id: string,
  bucket: s3.IBucket,
  path: string,
  removalPolicy: RemovalPolicy,
): codebuild.ReportGroup {
  const group = new codebuild.ReportGroup(scope, id, {
    exportBucket: bucket,
    zipExport: true,
    type: codebuild.ReportGroupType.TEST,
    removalPolicy,
  });
  (group.node.defaultChild as codebuild.CfnReportGroup).addPropertyOverride('ExportConfig.S3Destination.Path', path);
  return group;
}
