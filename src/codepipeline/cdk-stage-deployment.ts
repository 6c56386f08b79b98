import { Stage } from 'aws-cdk-lib';

/**
 * A CDK `Stage` of the user's app, deployed by a deploy stage of the pipeline with `cdk deploy`
 * running in CodeBuild and assuming the CDK bootstrap roles of the target environment.
 */
export interface CdkStageDeployment {
  /** Name of the pipeline's deploy stage (a `Stage.deployStage`) that deploys it. */
  readonly deployStage: string;
  /**
   * The CDK stage to deploy. CodeBuild synthesizes the app from the source and deploys the
   * stacks of this stage only (`cdk deploy '<stage path>/*'`).
   */
  readonly stage: Stage;
  /**
   * Commands that install the app's dependencies before `cdk deploy`.
   * @default ['npm ci']
   */
  readonly installCommands?: string[];
  /**
   * How to run the CDK CLI.
   * @default 'npx cdk'
   */
  readonly cdkCommand?: string;
  /**
   * Container image of the deploy build (needs Node.js; Docker for image assets).
   * @default 'aws/codebuild/standard:7.0'
   */
  readonly image?: string;
  /**
   * Qualifier the target environment was bootstrapped with.
   * @default 'hnb659fds'
   */
  readonly bootstrapQualifier?: string;
  /**
   * Run privileged (needed to build Docker image assets).
   * @default false
   */
  readonly privileged?: boolean;
  /**
   * Timeout of the deployment, in minutes (5 to 2160).
   * @default 60
   */
  readonly timeoutMinutes?: number;
}
