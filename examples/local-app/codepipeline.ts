import { App, DefaultStackSynthesizer, Stack } from 'aws-cdk-lib';
import { codepipeline } from 'gatehouse';
import { localAppPipeline } from './pipeline';

/** A placeholder connection ARN: enough to synthesize; deploy with your own (GATEHOUSE_CONNECTION_ARN). */
export const PLACEHOLDER_CONNECTION_ARN = 'arn:aws:codeconnections:us-east-1:123456789012:connection/00000000-0000-0000-0000-000000000000';

/** The local example on AWS CodePipeline V2: stack OrdersApiPipeline in the cloud assembly `outdir`. */
export function synth(outdir: string, connectionArn: string = PLACEHOLDER_CONNECTION_ARN): string[] {
  const app = new App({ outdir, builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'OrdersApiPipeline', { synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }) });
  new codepipeline.CodePipelineEngine(stack, 'Pipeline', { pipeline: localAppPipeline(), connectionArn });
  const template = app.synth().getStackByName(stack.stackName).template;
  const projects = Object.values(template.Resources as Record<string, { Type: string }>).filter((r) => r.Type === 'AWS::CodeBuild::Project').length;
  return [`stack ${stack.stackName} (${projects} CodeBuild projects), policy-report.json and pipeline.json in the cloud assembly`];
}

if (require.main === module) synth(process.env.CDK_OUTDIR ?? 'cdk.out', process.env.GATEHOUSE_CONNECTION_ARN ?? PLACEHOLDER_CONNECTION_ARN);
