/**
 * The seed pipeline rendered as an AWS CodePipeline (V2) stack.
 *
 * - `npm run demo` calls `synth('out/django-devsecops/codepipeline')`: no AWS credentials needed.
 * - `npx cdk deploy` (in this folder, with cdk.json) runs this file as the app; set
 *   GATEHOUSE_CONNECTION_ARN to your CodeStar connection and GATEHOUSE_SYFT_IMAGE to your Syft
 *   image with a shell (images/syft.Dockerfile) first.
 * - The approval links to the findings summary the oast stage gate published for the execution
 *   waiting for approval (`#{oast@stage-gate.GATE_SUMMARY_URL}`: the S3 console page of
 *   `gatehouse/<execution id>/oast-stage-gate/gatehouse.md` in the artifact bucket, which the
 *   approvers may read).
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, DefaultStackSynthesizer, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { codepipeline, security, Trigger } from 'gatehouse';
import { djangoDevSecOps, nightlyRescan } from './pipeline';

/** A placeholder connection ARN: enough to synthesize; deploy with your own. */
export const PLACEHOLDER_CONNECTION_ARN = 'arn:aws:codeconnections:us-east-1:123456789012:connection/00000000-0000-0000-0000-000000000000';

/**
 * A placeholder Syft image with a shell (images/syft.Dockerfile builds it): enough to synthesize;
 * deploy with your own, pinned by the digest you pushed. An image in this account's ECR
 * (`<account>.dkr.ecr.<region>.amazonaws.com/…`) is pulled with the project's role; any other
 * registry must allow anonymous pulls.
 */
export const PLACEHOLDER_SYFT_IMAGE =
  'ghcr.io/acme/gatehouse-syft:1.45.1@sha256:0000000000000000000000000000000000000000000000000000000000000000';

/** Name of the pipeline stack. */
export const STACK_NAME = 'DjangoDevSecOpsPipeline';

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
  /** Syft image with /bin/sh, `repository:tag@sha256:digest`. @default PLACEHOLDER_SYFT_IMAGE */
  readonly syftImage?: string;
}

/** `repository:tag@sha256:digest` as a scanner image. */
export function scannerImage(reference: string): security.ScannerImage {
  const m = /^([^@:]+(?::\d+)?[^@:]*):([^@:/]+)@(sha256:[a-f0-9]{64})$/.exec(reference);
  if (!m) throw new Error(`image "${reference}" is not repository:tag@sha256:<digest>: pin it by the digest you pushed`);
  return security.ScannerImage.of(m[1], m[2], m[3]);
}

/**
 * The seed's triggers CodePipeline renders in one pipeline: pushes, the nightly re-scan
 * (EventBridge Scheduler) and manual starts. Not the pull request trigger: CodePipeline starts a
 * pipeline on a pull request and on a push as the same webhook trigger, so one pipeline cannot
 * tell them apart and the engine refuses both in one; the pre-merge pipeline on CodePipeline is
 * a gatehouse pipeline of its own (its pull request trigger, build, test and oast).
 */
export function codePipelineTriggers(): Trigger[] {
  return [Trigger.push(), nightlyRescan(), Trigger.manual()];
}

/** Builds the example app and its pipeline stack (not yet synthesized). */
export function exampleApp(options: ExampleAppOptions = {}): { app: App; stack: Stack; engine: codepipeline.CodePipelineEngine } {
  const app = new App({ outdir: options.outdir, builtinCloudFormationValidation: options.builtinValidation ?? false });
  const stack = new Stack(app, STACK_NAME, {
    synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }),
    description: 'gatehouse example: the django-devsecops pipeline on AWS CodePipeline V2',
  });
  const engine = new codepipeline.CodePipelineEngine(stack, 'Pipeline', {
    pipeline: djangoDevSecOps({
      reviewUrl: codepipeline.CodePipelineEngine.stageGateVariable('oast', 'GATE_SUMMARY_URL'),
      syftImage: scannerImage(options.syftImage ?? PLACEHOLDER_SYFT_IMAGE),
      triggers: codePipelineTriggers(),
    }),
    connectionArn: options.connectionArn ?? PLACEHOLDER_CONNECTION_ARN,
  });
  if (options.nag ?? true) {
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  }
  return { app, stack, engine };
}

/**
 * Synthesizes the example into `outdir` (cdk-nag and aws-cdk-lib's built-in template validation
 * both on) and returns one summary line per fact.
 */
export function synth(outdir: string, connectionArn: string = PLACEHOLDER_CONNECTION_ARN, syftImage: string = PLACEHOLDER_SYFT_IMAGE): string[] {
  const { app, stack } = exampleApp({ outdir, builtinValidation: true, connectionArn, syftImage });
  const assembly = app.synth(); // unacknowledged cdk-nag findings make this throw
  const artifact = assembly.getStackByName(stack.stackName);
  const resources = Object.values(artifact.template.Resources as Record<string, { Type: string; Properties?: any }>);
  const pipelines = resources.filter((r) => r.Type === 'AWS::CodePipeline::Pipeline');
  const stages = pipelines.flatMap((p) => p.Properties.Stages as Array<{ Name: string; Actions: Array<{ ActionTypeId: { Category: string } }> }>);
  const approvals = stages.flatMap((s) => s.Actions).filter((a) => a.ActionTypeId.Category === 'Approval').length;
  const projects = resources.filter((r) => r.Type === 'AWS::CodeBuild::Project').length;
  const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as {
    pluginReports: Array<{ pluginName: string; violations: Array<{ severity: string }> }>;
  };
  const count = (plugin: RegExp) => report.pluginReports.filter((r) => plugin.test(r.pluginName)).flatMap((r) => r.violations).length;
  return [
    `stack ${stack.stackName}: ${path.relative(process.cwd(), path.join(outdir, artifact.templateFile))}`,
    `CodePipeline stages: ${stages.map((s) => s.Name).join(' → ')}`,
    `${projects} CodeBuild projects, ${approvals} manual approval action(s), ${resources.length} resources`,
    `cdk-nag AwsSolutions: ${count(/AwsSolutions/)} unsuppressed errors (${acknowledgedCount(app)} acknowledged findings, each with its reason)`,
    `aws-cdk-lib template validation: ${count(/CloudFormation/)} issues`,
  ];
}

/** How many findings the app acknowledges (recorded as construct metadata). */
function acknowledgedCount(app: App): number {
  return app.node
    .findAll()
    .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
    .reduce((n, m) => n + Object.keys(m.data as object).length, 0);
}

if (require.main === module) {
  const connectionArn = process.env.GATEHOUSE_CONNECTION_ARN;
  const syftImage = process.env.GATEHOUSE_SYFT_IMAGE;
  if (!connectionArn || !syftImage) {
    console.error('GATEHOUSE_CONNECTION_ARN or GATEHOUSE_SYFT_IMAGE is not set: synthesizing with placeholders (set them before cdk deploy)');
  }
  for (const line of synth(process.env.CDK_OUTDIR ?? 'cdk.out', connectionArn ?? PLACEHOLDER_CONNECTION_ARN, syftImage ?? PLACEHOLDER_SYFT_IMAGE)) {
    console.error(line);
  }
}
