import { aws_iam as iam, aws_s3 as s3 } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { acknowledgeObjectKeys, NAG_REASONS } from './nag';

/** The objects of the artifact bucket a build may read and write, as key patterns. */
export interface ObjectAccess {
  /** Key prefixes of the artifacts the build reads: the source and its other input artifacts. */
  readonly readArtifacts: string[];
  /** Key prefixes of the artifacts the build writes: its output artifacts. */
  readonly writeArtifacts: string[];
}

/** `<prefix>/*` of each prefix, without duplicates. */
export function underPrefixes(prefixes: string[]): string[] {
  return [...new Set(prefixes.map((p) => `${p}/*`))];
}

/** Whether a build reads or writes any artifact (and so needs the bucket's location and ACL, `SharedBuildGrants`). */
export function touchesArtifacts(access: ObjectAccess): boolean {
  return access.readArtifacts.length > 0 || access.writeArtifacts.length > 0;
}

/**
 * The statements that let a build read its input artifacts and write its output artifacts, and
 * nothing else of the artifact bucket: objects under `<pipeline>/<artifact>/` of each (the keys
 * CodePipeline gives them). The bucket's location and ACL, which CodeBuild reads before an
 * upload, are the pipeline's shared grant (`SharedBuildGrants`).
 */
export function artifactStatements(bucket: s3.IBucket, access: ObjectAccess): iam.PolicyStatement[] {
  const reads = underPrefixes(access.readArtifacts);
  const writes = underPrefixes(access.writeArtifacts);
  const statements: iam.PolicyStatement[] = [];
  if (reads.length > 0) {
    statements.push(
      new iam.PolicyStatement({
        sid: 'ReadInputArtifacts',
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: reads.map((k) => bucket.arnForObjects(k)),
      }),
    );
  }
  if (writes.length > 0) {
    statements.push(
      new iam.PolicyStatement({
        sid: 'WriteOutputArtifacts',
        actions: ['s3:PutObject'],
        resources: writes.map((k) => bucket.arnForObjects(k)),
      }),
    );
  }
  return statements;
}

/** Acknowledges on `role` the IAM5 finding of each artifact prefix it was granted (one exact resource each). */
export function acknowledgeArtifactAccess(role: IConstruct, bucket: s3.IBucket, access: ObjectAccess): void {
  acknowledgeObjectKeys(role, bucket, [...underPrefixes(access.readArtifacts), ...underPrefixes(access.writeArtifacts)], NAG_REASONS.artifactPrefix);
}
