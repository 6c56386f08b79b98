import { Stack } from 'aws-cdk-lib';
import { AcmeTarget, acmeCdkApp, acmeCodePipeline } from '@acme/gatehouse-blueprint';
import { ordersPipeline } from './pipeline';

/** `npm run demo`: the orders pipeline on AWS CodePipeline, in the App Acme hands out. */
export function synth(outdir: string): string[] {
  const app = acmeCdkApp({ outdir, builtinCloudFormationValidation: false });
  acmeCodePipeline(new Stack(app, 'OrdersPipeline'), 'Pipeline', ordersPipeline(AcmeTarget.CODEPIPELINE));
  app.synth();
  return ['stack OrdersPipeline, policy-report.json and pipeline.json in the cloud assembly'];
}

if (require.main === module) synth(process.env.CDK_OUTDIR ?? 'cdk.out');
