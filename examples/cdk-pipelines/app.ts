/**
 * A team that stays on CDK Pipelines, with gatehouse gates in it: `codepipeline.GatedScan` adds a
 * catalog scan and its gate as two CodeBuild steps (`pre` steps of the prod stage), so a FAILED
 * gate stops the deployment. Everything else is plain CDK Pipelines.
 *
 * - `npx cdk synth` (this folder, with cdk.json) synthesizes it, cdk-nag AwsSolutions on;
 *   placeholders need no AWS credentials. Set GATEHOUSE_CONNECTION_ARN before `npx cdk deploy`.
 */
import { App, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { AwsSolutionsChecks } from 'cdk-nag';
import { codepipeline, GatePolicy, GateSeverity, security } from 'gatehouse';

/** Placeholder: enough to synthesize; deploy with your own. */
export const PLACEHOLDER_CONNECTION_ARN = 'arn:aws:codeconnections:us-east-1:123456789012:connection/00000000-0000-0000-0000-000000000000';

/** The app the pipeline deploys: one encrypted bucket. */
class OrdersStage extends Stage {
  constructor(scope: App, id: string) {
    super(scope, id);
    const stack = new Stack(this, 'Orders');
    new s3.Bucket(stack, 'Data', { encryption: s3.BucketEncryption.S3_MANAGED, enforceSSL: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL, serverAccessLogsPrefix: 'access/' });
  }
}

/** How cdk-nag writes a resolved policy value inside a finding id (`<Logical.Arn>`, joins flattened). */
function nagForm(v: unknown): string {
  if (typeof v === 'string') return v;
  const o = v as Record<string, any>;
  if (o.Ref) return `<${o.Ref}>`;
  if (o['Fn::GetAtt']) return `<${o['Fn::GetAtt'][0]}.${o['Fn::GetAtt'][1]}>`;
  if (o['Fn::Join']) return (o['Fn::Join'][1] as unknown[]).map(nagForm).join(o['Fn::Join'][0]);
  return JSON.stringify(v);
}

/**
 * Acknowledges cdk-nag's findings on the roles CDK Pipelines itself creates, each exact finding on
 * its own policy, with the reason: CDK Pipelines grants every role the artifact bucket, its KMS
 * key, its log groups and report groups with wildcard actions and object keys. Policies a user
 * adds are not acknowledged: this runs over the CDK Pipelines construct's own policies only.
 */
function acknowledgeCdkPipelines(pipeline: pipelines.CodePipeline): void {
  const stack = Stack.of(pipeline);
  for (const c of pipeline.node.findAll()) {
    if (c instanceof iam.CfnPolicy) {
      const doc = stack.resolve(c.policyDocument) as { Statement: Array<{ Action: string | string[]; Resource: unknown }> };
      for (const st of doc.Statement) {
        const actions = ([] as string[]).concat(st.Action).filter((a) => a.includes('*'));
        const resources = ([] as unknown[]).concat(st.Resource).map(nagForm).filter((r) => r.includes('*'));
        for (const a of actions) Validations.of(c).acknowledge({ id: `AwsSolutions-IAM5[Action::${a}]`, reason: 'CDK Pipelines grants its roles the artifact bucket and its KMS key with wildcard actions (s3:GetObject*, kms:GenerateDataKey*, ...).' });
        for (const r of resources) Validations.of(c).acknowledge({ id: `AwsSolutions-IAM5[Resource::${r}]`, reason: 'CDK Pipelines names artifact objects, log streams and report groups at run time; the grant covers this pipeline\'s own.' });
      }
    }
    if (c instanceof s3.CfnBucket) {
      Validations.of(c).acknowledge({ id: 'AwsSolutions-S1', reason: 'The artifact bucket CDK Pipelines creates holds pipeline artifacts only (KMS-encrypted, TLS only); CodePipeline and CloudTrail record who reads them.' });
    }
    if (c instanceof codebuild.CfnProject && !String(stack.resolve(c.environment)?.image ?? '').startsWith('aws/codebuild/')) {
      Validations.of(c).acknowledge({ id: 'AwsSolutions-CB5', reason: 'The gatehouse scan step runs in its scanner\'s own image, pinned by digest, on purpose.' });
    }
  }
}

/** The pipeline app. */
export function exampleApp(options: { outdir?: string; nag?: boolean; connectionArn?: string } = {}): { app: App; stack: Stack } {
  const app = new App({ outdir: options.outdir, builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'OrdersPipeline', { env: { account: '123456789012', region: 'us-east-1' } });
  const source = pipelines.CodePipelineSource.connection('acme/orders', 'main', { connectionArn: options.connectionArn ?? PLACEHOLDER_CONNECTION_ARN });
  const pipeline = new pipelines.CodePipeline(stack, 'Pipeline', {
    crossAccountKeys: true,
    enableKeyRotation: true,
    synth: new pipelines.ShellStep('Synth', { input: source, commands: ['npm ci', 'npx cdk synth'] }),
  });
  // the gates: SAST and SCA over the source, before anything reaches prod
  const bandit = new codepipeline.GatedScan(stack, 'Bandit', { scan: new security.Bandit(), input: source, pipelineName: 'orders' });
  const trivy = new codepipeline.GatedScan(stack, 'TrivyFs', {
    scan: new security.TrivyFs(),
    input: source,
    pipelineName: 'orders',
    gate: new GatePolicy({ failOn: GateSeverity.CRITICAL }),
  });
  pipeline.addStage(new OrdersStage(app, 'Prod'), { pre: [...bandit.steps, ...trivy.steps] });
  pipeline.buildPipeline();
  acknowledgeCdkPipelines(pipeline);
  if (options.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}

if (require.main === module) {
  exampleApp({ outdir: process.env.CDK_OUTDIR ?? 'cdk.out', connectionArn: process.env.GATEHOUSE_CONNECTION_ARN }).app.synth();
}
