import { ArnFormat, RemovalPolicy, Stack, aws_iam as iam, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CommandStep, ScanStep, SigningKeyOperation } from '../core';
import { acknowledge } from './nag';
import { PipelineKey } from './pipeline-key';

const KMS_ALIAS_REASON =
  'The step signs or verifies with a KMS key named by its alias: IAM takes no alias ARN as a key\'s resource, so the grant covers the keys of ' +
  'that account and region only when the request names that one alias (kms:RequestAlias), and nothing else.';

/**
 * The customer-managed key of a pipeline: artifacts, CodeBuild projects, logs, report exports and
 * approval topics. Rotated yearly. CloudWatch Logs may use it only for this account's log groups.
 */
export function createPipelineKey(scope: Construct, pipelineName: string, removalPolicy: RemovalPolicy): PipelineKey {
  const stack = Stack.of(scope);
  const key = new PipelineKey(scope, 'Key', {
    description: `gatehouse pipeline ${pipelineName}: artifacts, builds, logs and notifications`,
    removalPolicy,
  });
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'CloudWatchLogsOfThisAccount',
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: [
        'kms:Encrypt',
        'kms:Decrypt',
        'kms:ReEncryptFrom',
        'kms:ReEncryptTo',
        'kms:GenerateDataKey',
        'kms:GenerateDataKeyWithoutPlaintext',
        'kms:DescribeKey',
      ],
      resources: ['*'],
      conditions: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
        },
      },
    }),
  );
  return key;
}

/** The bucket that receives server access logs: SSE-S3 (the only encryption log delivery takes), SSL-only, private. */
export function createAccessLogBucket(scope: Construct, removalPolicy: RemovalPolicy): s3.Bucket {
  return new s3.Bucket(scope, 'AccessLogs', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    removalPolicy,
  });
}

/** The artifact bucket: KMS (customer key), SSL-only, private, access-logged. */
export function createArtifactBucket(scope: Construct, key: kms.IKey, logs: s3.IBucket, removalPolicy: RemovalPolicy): s3.Bucket {
  return new s3.Bucket(scope, 'Artifacts', {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    bucketKeyEnabled: true,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    serverAccessLogsBucket: logs,
    serverAccessLogsPrefix: 'artifacts/',
    removalPolicy,
  });
}

/**
 * What a step needs of the AWS KMS keys it signs or verifies with (cosign's `awskms://`):
 * sigstore's KMS client reads the key's public key and metadata (`kms:GetPublicKey`,
 * `kms:DescribeKey`) before it signs or verifies, and signs with `kms:Sign`. Each grant is scoped
 * to its key: a key ARN is the resource; for an alias ARN (which IAM does not take as a key's
 * resource) the keys of its account and region, requested through that alias only
 * (`kms:RequestAlias`).
 */
export function awsKmsKeyStatements(scope: Construct, step: CommandStep): iam.PolicyStatement[] {
  if (!(step instanceof ScanStep)) return [];
  return step.awsKmsKeys.map((k, i) => {
    const sign = k.operation === SigningKeyOperation.SIGN;
    const sid = `${sign ? 'Sign' : 'Verify'}WithKmsKey${i}`;
    const actions = sign ? ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign'] : ['kms:DescribeKey', 'kms:GetPublicKey'];
    const alias = /^(arn:[^:]+:kms:[^:]+:\d{12}):(alias\/.+)$/.exec(k.keyArn);
    if (!alias) return new iam.PolicyStatement({ sid, actions, resources: [k.keyArn] });
    const keys = `${alias[1]}:key/*`;
    acknowledge(scope, `AwsSolutions-IAM5[Resource::${keys}]`, KMS_ALIAS_REASON);
    return new iam.PolicyStatement({ sid, actions, resources: [keys], conditions: { StringEquals: { 'kms:RequestAlias': alias[2] } } });
  });
}
