/**
 * The seed pipeline rendered as an AWS CodePipeline (V2) stack.
 *
 * - `npm run demo` calls `synth('out/django-devsecops/codepipeline')`: no AWS credentials needed.
 * - `npx aws-cdk@2 deploy` (in this folder, with cdk.json) runs this file as the app; set
 *   GATEHOUSE_CONNECTION_ARN to your CodeStar connection first.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, DefaultStackSynthesizer, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { codepipeline } from 'gatehouse';
import { djangoDevSecOps } from './pipeline';

/** A placeholder connection ARN: enough to synthesize; deploy with your own. */
export const PLACEHOLDER_CONNECTION_ARN = 'arn:aws:codeconnections:us-east-1:123456789012:connection/00000000-0000-0000-0000-000000000000';

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
}

/** Builds the example app and its pipeline stack (not yet synthesized). */
export function exampleApp(options: ExampleAppOptions = {}): { app: App; stack: Stack; engine: codepipeline.CodePipelineEngine } {
  const app = new App({ outdir: options.outdir, builtinCloudFormationValidation: options.builtinValidation ?? false });
  const stack = new Stack(app, STACK_NAME, {
    synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }),
    description: 'gatehouse example: the django-devsecops pipeline on AWS CodePipeline V2',
  });
  const engine = new codepipeline.CodePipelineEngine(stack, 'Pipeline', {
    pipeline: djangoDevSecOps(),
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
export function synth(outdir: string, connectionArn: string = PLACEHOLDER_CONNECTION_ARN): string[] {
  const { app, stack } = exampleApp({ outdir, builtinValidation: true, connectionArn });
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
  if (!connectionArn) {
    console.error('GATEHOUSE_CONNECTION_ARN is not set: synthesizing with a placeholder connection (set it before cdk deploy)');
  }
  for (const line of synth(process.env.CDK_OUTDIR ?? 'cdk.out', connectionArn ?? PLACEHOLDER_CONNECTION_ARN)) {
    console.error(line);
  }
}
