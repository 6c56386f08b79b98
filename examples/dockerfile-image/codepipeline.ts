/**
 * The dockerfile-image pipeline as an AWS CodePipeline (V2) stack: the build runs `docker build`
 * in CodeBuild privileged mode (the typed exception of `ImageBuild`, recorded on its project), the
 * image goes to Amazon ECR and cosign signs with an AWS KMS key.
 *
 * - `npm run demo` calls `synth('out/dockerfile-image/codepipeline')`: no AWS credentials needed.
 * - `npx aws-cdk@2 deploy` (in this folder, with cdk.json) runs this file as the app; set
 *   GATEHOUSE_CONNECTION_ARN, GATEHOUSE_ECR_REPOSITORY and GATEHOUSE_COSIGN_KMS_KEY_ARN first.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, DefaultStackSynthesizer, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { codepipeline, security } from 'gatehouse';
import { dockerfileImage } from './pipeline';

/** Placeholders: enough to synthesize; deploy with your own. */
export const PLACEHOLDER_CONNECTION_ARN = 'arn:aws:codeconnections:us-east-1:123456789012:connection/00000000-0000-0000-0000-000000000000';
export const PLACEHOLDER_ECR_REPOSITORY = '123456789012.dkr.ecr.us-east-1.amazonaws.com/web';
export const PLACEHOLDER_KMS_KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555';

/** Name of the pipeline stack. */
export const STACK_NAME = 'DockerfileImagePipeline';

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
  /** ECR repository URI. @default PLACEHOLDER_ECR_REPOSITORY */
  readonly repository?: string;
  /** Asymmetric KMS key cosign signs with. @default PLACEHOLDER_KMS_KEY_ARN */
  readonly kmsKeyArn?: string;
}

const ECR_PUSH = [
  'ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:InitiateLayerUpload',
  'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage',
];
const ECR_PULL = ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];

/** Builds the example app and its pipeline stack (not yet synthesized). */
export function exampleApp(options: ExampleAppOptions = {}): { app: App; stack: Stack; engine: codepipeline.CodePipelineEngine } {
  const repository = options.repository ?? PLACEHOLDER_ECR_REPOSITORY;
  const match = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com\/([a-z0-9._/-]+)$/.exec(repository);
  if (!match) throw new Error(`ECR repository "${repository}" is not an ECR repository URI: use <account>.dkr.ecr.<region>.amazonaws.com/<name>`);
  const [, account, region, name] = match;
  const app = new App({ outdir: options.outdir, builtinCloudFormationValidation: options.builtinValidation ?? false });
  const stack = new Stack(app, STACK_NAME, {
    synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }),
    description: 'gatehouse example: a Dockerfile built, scanned, pushed, signed, attested and verified, on AWS CodePipeline V2',
  });
  const engine = new codepipeline.CodePipelineEngine(stack, 'Pipeline', {
    pipeline: dockerfileImage({
      repository,
      pushImage: 'aws/codebuild/standard:7.0',
      registryLogin: [`aws ecr get-login-password --region "$AWS_REGION" | "$crane" auth login ${repository.split('/')[0]} -u AWS --password-stdin`],
      registrySecrets: [],
      signingKey: security.CosignKey.awsKms(options.kmsKeyArn ?? PLACEHOLDER_KMS_KEY_ARN),
    }),
    connectionArn: options.connectionArn ?? PLACEHOLDER_CONNECTION_ARN,
  });
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
  grant('verify', 'cosign-verify', ECR_PULL);
  if (options.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack, engine };
}

/** Synthesizes the example into `outdir` (cdk-nag and template validation on) and returns one summary line per fact. */
export function synth(outdir: string, options: Omit<ExampleAppOptions, 'outdir' | 'builtinValidation' | 'nag'> = {}): string[] {
  const { app, stack } = exampleApp({ ...options, outdir, builtinValidation: true });
  const assembly = app.synth();
  const artifact = assembly.getStackByName(stack.stackName);
  const resources = Object.values(artifact.template.Resources as Record<string, { Type: string; Properties?: any }>);
  const stages = resources.filter((r) => r.Type === 'AWS::CodePipeline::Pipeline').flatMap((p) => p.Properties.Stages as Array<{ Name: string }>);
  const projects = resources.filter((r) => r.Type === 'AWS::CodeBuild::Project');
  const privileged = projects.filter((p) => p.Properties?.Environment?.PrivilegedMode === true).length;
  const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as { pluginReports: Array<{ pluginName: string; violations: unknown[] }> };
  const count = (plugin: RegExp) => report.pluginReports.filter((r) => plugin.test(r.pluginName)).flatMap((r) => r.violations).length;
  return [
    `stack ${stack.stackName}: ${path.relative(process.cwd(), path.join(outdir, artifact.templateFile))}`,
    `CodePipeline stages: ${stages.map((s) => s.Name).join(' → ')}`,
    `${projects.length} CodeBuild projects, ${privileged} privileged (a typed exception), ${resources.length} resources`,
    `cdk-nag AwsSolutions: ${count(/AwsSolutions/)} unsuppressed errors`,
    `aws-cdk-lib template validation: ${count(/CloudFormation/)} issues`,
  ];
}

if (require.main === module) {
  const lines = synth(process.env.CDK_OUTDIR ?? 'cdk.out', {
    connectionArn: process.env.GATEHOUSE_CONNECTION_ARN,
    repository: process.env.GATEHOUSE_ECR_REPOSITORY,
    kmsKeyArn: process.env.GATEHOUSE_COSIGN_KMS_KEY_ARN,
  });
  for (const line of lines) console.error(line);
}
