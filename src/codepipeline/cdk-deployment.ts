import { Aws, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CdkStageDeployment } from './cdk-stage-deployment';

/** The bootstrap qualifier `cdk bootstrap` uses unless told otherwise. */
export const DEFAULT_BOOTSTRAP_QUALIFIER = 'hnb659fds';

/** The image that runs `cdk deploy` unless told otherwise (Node.js, npm, Docker). */
export const DEFAULT_CDK_IMAGE = 'aws/codebuild/standard:7.0';

/** Name of the action (and step) that runs `cdk deploy` in its deploy stage. */
export const CDK_DEPLOY_STEP_NAME = 'cdk-deploy';

/** ARNs of the bootstrap roles `cdk deploy` assumes in the stage's environment. */
export function bootstrapRoleArns(scope: Construct, d: CdkStageDeployment): string[] {
  const stack = Stack.of(scope);
  const account = Token.isUnresolved(d.stage.account) || d.stage.account === undefined ? Aws.ACCOUNT_ID : d.stage.account;
  const region = Token.isUnresolved(d.stage.region) || d.stage.region === undefined ? Aws.REGION : d.stage.region;
  const q = d.bootstrapQualifier ?? DEFAULT_BOOTSTRAP_QUALIFIER;
  return ['deploy', 'file-publishing', 'image-publishing', 'lookup'].map(
    (kind) => `arn:${stack.partition}:iam::${account}:role/cdk-${q}-${kind}-role-${account}-${region}`,
  );
}

/** The commands of the deploy build. */
export function cdkDeployCommands(d: CdkStageDeployment): string[] {
  const cdk = d.cdkCommand ?? 'npx cdk';
  return [
    ...(d.installCommands ?? ['npm ci']),
    `${cdk} deploy --require-approval never --progress events '${d.stage.node.path}/*'`,
  ];
}
