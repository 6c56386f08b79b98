import { aws_iam as iam, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import type { PipelineRenderer } from './renderer';

/** What the pipeline role needs for the artifact store, whatever the pipeline holds: its own artifacts (`ownArtifacts`). */
export function pipelineBaseStatements(bucket: s3.IBucket, key: kms.IKey, ownArtifacts: string): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'PipelineArtifacts',
      actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:PutObjectAcl'],
      resources: [bucket.arnForObjects(ownArtifacts)],
    }),
    new iam.PolicyStatement({
      sid: 'ArtifactBucket',
      actions: ['s3:GetBucketVersioning', 's3:GetBucketAcl', 's3:GetBucketLocation'],
      resources: [bucket.bucketArn],
    }),
    new iam.PolicyStatement({
      sid: 'PipelineKey',
      actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
      resources: [key.keyArn],
    }),
  ];
}

/**
 * What the pipeline role needs once every action is rendered: starting the builds of the steps'
 * and gates' projects (none in a pipeline of approvals only) and publishing to the approvals' topics.
 */
export function actionStatements(r: PipelineRenderer): iam.PolicyStatement[] {
  const out: iam.PolicyStatement[] = [];
  const projects = [...(r.triggerProject ? [r.triggerProject] : []), ...r.projects.values(), ...r.gateProjects.values()];
  if (projects.length > 0) {
    out.push(
      new iam.PolicyStatement({
        sid: 'RunStepBuilds',
        actions: ['codebuild:BatchGetBuilds', 'codebuild:StartBuild', 'codebuild:StopBuild'],
        resources: projects.map((p) => p.projectArn),
      }),
    );
  }
  if (r.topics.length > 0) {
    out.push(new iam.PolicyStatement({ sid: 'NotifyApprovers', actions: ['sns:Publish'], resources: [...new Set(r.topics.map((t) => t.topicArn))] }));
  }
  return out;
}
