import { Token, aws_codecommit as codecommit, aws_codepipeline as cp, aws_codepipeline_actions as actions, aws_iam as iam, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { Pipeline, Source, SourceProvider, TriggerKind } from '../core';
import { SOURCE_ACTION_NAME } from './naming';
import { gitTrigger, startsOnPush } from './triggers';

/** The source action, the trigger that starts the pipeline, and what the pipeline role needs. */
export interface SourceWiring {
  readonly action: cp.IAction;
  /** V2 trigger (CodeStar connections only; CodeCommit and S3 start through EventBridge rules). */
  readonly trigger?: cp.TriggerProps;
  /** Statements the pipeline role needs for this source, besides the artifact bucket. */
  readonly statements: iam.PolicyStatement[];
}

const CONNECTION_ARN = /^arn:[^:]+:(codestar-connections|codeconnections):[^:]+:\d{12}:connection\/[\w-]+$/;

const HOSTED = [SourceProvider.GITHUB, SourceProvider.GITLAB, SourceProvider.BITBUCKET];

/** Why the source cannot be rendered, if it cannot. */
export function sourceProblem(source: Source, connectionArn: string | undefined): string | undefined {
  if (source.provider === SourceProvider.GIT) {
    return `source "${source.url}" is a plain git URL, which CodePipeline cannot fetch: use Source.gitHub, Source.gitLab or Source.bitbucket with a connectionArn, Source.codeCommit or Source.s3`;
  }
  if (HOSTED.includes(source.provider)) {
    if (!connectionArn) {
      return `source ${source.fullRepositoryName} on ${source.provider.toLowerCase()} needs a CodeStar connection: pass connectionArn (arn:aws:codeconnections:<region>:<account>:connection/<id>)`;
    }
    if (!Token.isUnresolved(connectionArn) && !CONNECTION_ARN.test(connectionArn)) {
      return `connectionArn "${connectionArn}" is not a connection ARN: give arn:aws:codeconnections:<region>:<account>:connection/<id>`;
    }
  }
  return undefined;
}

/** Builds the source action for the pipeline's source. Call `sourceProblem` first. */
export function sourceAction(scope: Construct, pipeline: Pipeline, output: cp.Artifact, connectionArn: string | undefined): SourceWiring {
  const source = pipeline.source;
  // without a push trigger, a source does not start the pipeline by itself
  const onPush = startsOnPush(pipeline);
  switch (source.provider) {
    case SourceProvider.GITHUB:
    case SourceProvider.GITLAB:
    case SourceProvider.BITBUCKET: {
      const arn = connectionArn!;
      const action = new actions.CodeStarConnectionsSourceAction({
        actionName: SOURCE_ACTION_NAME,
        connectionArn: arn,
        owner: source.owner!,
        repo: source.repository!,
        branch: source.branch,
        output,
        // no push and no pull request trigger: the pipeline starts only when someone starts it
        ...(pipeline.triggers.some((t) => t.kind === TriggerKind.PUSH || t.kind === TriggerKind.PULL_REQUEST) ? {} : { triggerOnPush: false }),
      });
      return {
        action,
        trigger: gitTrigger(pipeline, action),
        statements: [
          new iam.PolicyStatement({ sid: 'UseConnection', actions: connectionActions(arn), resources: [arn] }),
        ],
      };
    }
    case SourceProvider.CODECOMMIT: {
      const repository = codecommit.Repository.fromRepositoryName(scope, 'Repository', source.repository!);
      const action = new actions.CodeCommitSourceAction({
        actionName: SOURCE_ACTION_NAME,
        repository,
        branch: source.branch,
        trigger: onPush ? actions.CodeCommitTrigger.EVENTS : actions.CodeCommitTrigger.NONE,
        output,
      });
      return {
        action,
        statements: [
          new iam.PolicyStatement({
            sid: 'ReadRepository',
            actions: [
              'codecommit:GetBranch',
              'codecommit:GetCommit',
              'codecommit:UploadArchive',
              'codecommit:GetUploadArchiveStatus',
              'codecommit:CancelUploadArchive',
            ],
            resources: [repository.repositoryArn],
          }),
        ],
      };
    }
    case SourceProvider.S3: {
      const bucket = s3.Bucket.fromBucketName(scope, 'SourceBucket', source.bucketName!);
      const action = new actions.S3SourceAction({
        actionName: SOURCE_ACTION_NAME,
        bucket,
        bucketKey: source.objectKey!,
        trigger: onPush ? actions.S3Trigger.EVENTS : actions.S3Trigger.NONE,
        output,
      });
      return {
        action,
        statements: [
          new iam.PolicyStatement({
            sid: 'ReadSourceObject',
            actions: ['s3:GetObject', 's3:GetObjectVersion'],
            resources: [bucket.arnForObjects(source.objectKey!)],
          }),
          new iam.PolicyStatement({
            sid: 'ReadSourceBucket',
            actions: ['s3:GetBucketVersioning', 's3:GetBucketLocation'],
            resources: [bucket.bucketArn],
          }),
        ],
      };
    }
    default:
      throw new Error(`source provider ${source.provider} is not supported by the CodePipeline engine`);
  }
}

/** `UseConnection` under the service name the ARN uses (both when the ARN is a token). */
function connectionActions(arn: string): string[] {
  if (Token.isUnresolved(arn)) {
    return ['codestar-connections:UseConnection', 'codeconnections:UseConnection'];
  }
  return arn.split(':')[2] === 'codeconnections' ? ['codeconnections:UseConnection'] : ['codestar-connections:UseConnection'];
}
