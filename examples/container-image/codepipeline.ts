/**
 * The container-image pipeline rendered as an AWS CodePipeline (V2) stack: the image goes to
 * Amazon ECR and cosign signs with an AWS KMS key, both reached with the CodeBuild roles (no
 * stored registry password, no key material in the pipeline).
 *
 * - `npm run demo` calls `synth('out/container-image/codepipeline')`: no AWS credentials needed.
 * - `npx aws-cdk@2 deploy` (in this folder, with cdk.json) runs this file as the app; set
 *   GATEHOUSE_CONNECTION_ARN, GATEHOUSE_ECR_REPOSITORY, GATEHOUSE_COSIGN_KMS_KEY_ARN and
 *   GATEHOUSE_SYFT_IMAGE first.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, DefaultStackSynthesizer, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { codepipeline, security } from 'gatehouse';
import { containerImage } from './pipeline';

/** Placeholders: enough to synthesize; deploy with your own. */
export const PLACEHOLDER_CONNECTION_ARN = 'arn:aws:codeconnections:us-east-1:123456789012:connection/00000000-0000-0000-0000-000000000000';
export const PLACEHOLDER_ECR_REPOSITORY = '123456789012.dkr.ecr.us-east-1.amazonaws.com/hello-api';
export const PLACEHOLDER_KMS_KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555';

/** A placeholder Syft image with a shell (../django-devsecops/images/syft.Dockerfile builds it); deploy with your own, by digest. */
export const PLACEHOLDER_SYFT_IMAGE =
  'ghcr.io/acme/gatehouse-syft:1.45.1@sha256:0000000000000000000000000000000000000000000000000000000000000000';

/** Name of the pipeline stack. */
export const STACK_NAME = 'ContainerImagePipeline';

/** Options of the example app. */
export interface ExampleAppOptions {
  /** Where the cloud assembly goes. */
  readonly outdir?: string;
  /** Run aws-cdk-lib's built-in template validation (about 2 s). @default false */
  readonly builtinValidation?: boolean;
  /** Register cdk-nag AwsSolutions as a validation plugin. @default true */
  readonly nag?: boolean;
  /** CodeStar connection to GitHub. @default PLACEHOLDER_CONNECTION_ARN */
  readonly connectionArn?: string;
  /** ECR repository URI (`<account>.dkr.ecr.<region>.amazonaws.com/<name>`). @default PLACEHOLDER_ECR_REPOSITORY */
  readonly repository?: string;
  /** Asymmetric KMS key (ECC_NIST_P256, SIGN_VERIFY) that cosign signs with. @default PLACEHOLDER_KMS_KEY_ARN */
  readonly kmsKeyArn?: string;
  /** Syft image with /bin/sh, `repository:tag@sha256:digest` (django-devsecops/images/syft.Dockerfile). @default PLACEHOLDER_SYFT_IMAGE */
  readonly syftImage?: string;
}

/** `repository:tag@sha256:digest` as a scanner image. */
function scannerImage(reference: string): security.ScannerImage {
  const m = /^([^@:]+(?::\d+)?[^@:]*):([^@:/]+)@(sha256:[a-f0-9]{64})$/.exec(reference);
  if (!m) throw new Error(`image "${reference}" is not repository:tag@sha256:<digest>: pin it by the digest you pushed`);
  return security.ScannerImage.of(m[1], m[2], m[3]);
}

/** ECR actions that push an image (and, for cosign, its signature and attestation). */
const ECR_PUSH = [
  'ecr:BatchCheckLayerAvailability',
  'ecr:BatchGetImage',
  'ecr:GetDownloadUrlForLayer',
  'ecr:InitiateLayerUpload',
  'ecr:UploadLayerPart',
  'ecr:CompleteLayerUpload',
  'ecr:PutImage',
];
const ECR_PULL = ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];

/** Builds the example app and its pipeline stack (not yet synthesized). */
export function exampleApp(options: ExampleAppOptions = {}): { app: App; stack: Stack; engine: codepipeline.CodePipelineEngine } {
  const repository = options.repository ?? PLACEHOLDER_ECR_REPOSITORY;
  const kmsKeyArn = options.kmsKeyArn ?? PLACEHOLDER_KMS_KEY_ARN;
  const match = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com\/([a-z0-9._/-]+)$/.exec(repository);
  if (!match) {
    throw new Error(`ECR repository "${repository}" is not an ECR repository URI: use <account>.dkr.ecr.<region>.amazonaws.com/<name>`);
  }
  const [, account, region, name] = match;
  const app = new App({ outdir: options.outdir, builtinCloudFormationValidation: options.builtinValidation ?? false });
  const stack = new Stack(app, STACK_NAME, {
    synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }),
    description: 'gatehouse example: an image built without Docker, scanned, signed, attested and verified, on AWS CodePipeline V2',
  });
  const engine = new codepipeline.CodePipelineEngine(stack, 'Pipeline', {
    pipeline: containerImage({
      repository,
      // the CodeBuild standard image has the AWS CLI (ECR login) and Go (crane is installed with go install)
      pushImage: 'aws/codebuild/standard:7.0',
      registryLogin: [`aws ecr get-login-password --region "$AWS_REGION" | "$crane" auth login ${repository.split('/')[0]} -u AWS --password-stdin`],
      registrySecrets: [],
      signingKey: security.CosignKey.awsKms(kmsKeyArn),
      syftImage: scannerImage(options.syftImage ?? PLACEHOLDER_SYFT_IMAGE),
    }),
    connectionArn: options.connectionArn ?? PLACEHOLDER_CONNECTION_ARN,
  });

  // the steps that reach the registry, and nothing more (the engine grants the signing and
  // verifying steps the KMS key they name: CosignKey.awsKms)
  const repositoryArn = `arn:aws:ecr:${region}:${account}:repository/${name}`;
  const grant = (stage: string, step: string, ecr: string[]) => {
    const role = engine.roleOf(stage, step);
    role.addToPolicy(new iam.PolicyStatement({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }));
    role.addToPolicy(new iam.PolicyStatement({ actions: ecr, resources: [repositoryArn] }));
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ecr:GetAuthorizationToken has no resource-level permissions and must be granted on "*"; pushes and pulls are granted on the one repository.',
    });
  };
  grant('publish', 'push', ECR_PUSH);
  grant('publish', 'cosign-sign', ECR_PUSH);
  grant('publish', 'cosign-attest', ECR_PUSH);
  grant('deploy', 'cosign-verify', ECR_PULL);

  if (options.nag ?? true) {
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  }
  return { app, stack, engine };
}

/**
 * Synthesizes the example into `outdir` (cdk-nag and aws-cdk-lib's built-in template validation
 * both on) and returns one summary line per fact.
 */
export function synth(outdir: string, options: Omit<ExampleAppOptions, 'outdir' | 'builtinValidation' | 'nag'> = {}): string[] {
  const { app, stack } = exampleApp({ ...options, outdir, builtinValidation: true });
  const assembly = app.synth(); // unacknowledged cdk-nag findings make this throw
  const artifact = assembly.getStackByName(stack.stackName);
  const resources = Object.values(artifact.template.Resources as Record<string, { Type: string; Properties?: any }>);
  const stages = resources
    .filter((r) => r.Type === 'AWS::CodePipeline::Pipeline')
    .flatMap((p) => p.Properties.Stages as Array<{ Name: string }>);
  const projects = resources.filter((r) => r.Type === 'AWS::CodeBuild::Project');
  const privileged = projects.filter((p) => p.Properties?.Environment?.PrivilegedMode === true).length;
  const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as {
    pluginReports: Array<{ pluginName: string; violations: unknown[] }>;
  };
  const count = (plugin: RegExp) => report.pluginReports.filter((r) => plugin.test(r.pluginName)).flatMap((r) => r.violations).length;
  return [
    `stack ${stack.stackName}: ${path.relative(process.cwd(), path.join(outdir, artifact.templateFile))}`,
    `CodePipeline stages: ${stages.map((s) => s.Name).join(' → ')}`,
    `${projects.length} CodeBuild projects, ${privileged} privileged, ${resources.length} resources`,
    `cdk-nag AwsSolutions: ${count(/AwsSolutions/)} unsuppressed errors`,
    `aws-cdk-lib template validation: ${count(/CloudFormation/)} issues`,
  ];
}

if (require.main === module) {
  const missing = ['GATEHOUSE_CONNECTION_ARN', 'GATEHOUSE_ECR_REPOSITORY', 'GATEHOUSE_COSIGN_KMS_KEY_ARN', 'GATEHOUSE_SYFT_IMAGE'].filter((v) => !process.env[v]);
  if (missing.length > 0) console.error(`${missing.join(', ')} not set: synthesizing with placeholders (set them before cdk deploy)`);
  const lines = synth(process.env.CDK_OUTDIR ?? 'cdk.out', {
    connectionArn: process.env.GATEHOUSE_CONNECTION_ARN,
    repository: process.env.GATEHOUSE_ECR_REPOSITORY,
    kmsKeyArn: process.env.GATEHOUSE_COSIGN_KMS_KEY_ARN,
    syftImage: process.env.GATEHOUSE_SYFT_IMAGE,
  });
  for (const line of lines) console.error(line);
}
