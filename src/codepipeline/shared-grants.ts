import { CfnResource, aws_iam as iam, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** What a build role needs of the grants every build role of a pipeline needs alike. */
export interface SharedGrantNeeds {
  /** The artifact bucket's location and ACL (CodeBuild reads them before it touches an artifact). */
  readonly artifactBucket: boolean;
  /** The pipeline key: decrypt always; encrypt too when the build writes to the bucket. */
  readonly keyWrite: boolean;
}

/** The statement of each shared grant, by its policy's name. */
interface SharedGrant {
  /** Construct id; the policy is named `shared-<id>` in each role. */
  readonly id: string;
  readonly statement: () => iam.PolicyStatement;
}

/**
 * The grants the build roles of one pipeline need alike, each one IAM policy attached to exactly
 * the roles that need it, instead of the same statement in every role's own policy:
 * - `ArtifactBucket`: `s3:GetBucketAcl` and `s3:GetBucketLocation` on the artifact bucket (no
 *   object of it) for every build that reads or writes an artifact;
 * - `PipelineKey`: `kms:Decrypt` and `kms:DescribeKey` on the pipeline key for every build, with
 *   `kms:Encrypt` and `kms:GenerateDataKey` in a second policy for the builds that write.
 *
 * Each role is granted exactly what it was granted in its own policy; the statements are written
 * once per pipeline (a template with fewer statements is faster to synthesize and validate and
 * keeps each role's own policy to what is particular to it). The pipeline depends on each policy,
 * so no build runs before its role has them.
 */
export class SharedBuildGrants {
  private readonly policies = new Map<string, iam.Policy>();

  constructor(
    private readonly scope: Construct,
    private readonly bucket: s3.IBucket,
    private readonly key: kms.IKey,
    private readonly pipeline: CfnResource,
  ) {}

  /** Attaches to `role` the shared policies of what it needs. */
  public grant(role: iam.IRole, needs: SharedGrantNeeds): void {
    if (needs.artifactBucket) {
      this.policy({
        id: 'ArtifactBucket',
        statement: () => new iam.PolicyStatement({ sid: 'ArtifactBucket', actions: ['s3:GetBucketAcl', 's3:GetBucketLocation'], resources: [this.bucket.bucketArn] }),
      }).attachToRole(role);
    }
    this.policy(
      needs.keyWrite
        ? {
          id: 'PipelineKeyReadWrite',
          statement: () =>
            new iam.PolicyStatement({ sid: 'PipelineKey', actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'], resources: [this.key.keyArn] }),
        }
        : {
          id: 'PipelineKeyRead',
          statement: () => new iam.PolicyStatement({ sid: 'PipelineKey', actions: ['kms:Decrypt', 'kms:DescribeKey'], resources: [this.key.keyArn] }),
        },
    ).attachToRole(role);
  }

  private policy(grant: SharedGrant): iam.Policy {
    let policy = this.policies.get(grant.id);
    if (!policy) {
      policy = new iam.Policy(this.scope, grant.id, { policyName: `shared-${grant.id}`, statements: [grant.statement()] });
      this.pipeline.node.addDependency(policy);
      this.policies.set(grant.id, policy);
    }
    return policy;
  }
}
