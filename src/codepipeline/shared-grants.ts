import { CfnResource, Lazy, aws_iam as iam, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** What a build role needs of the grants every build role of a pipeline needs alike. */
export interface SharedGrantNeeds {
  /** The artifact bucket's location and ACL (CodeBuild reads them before it touches an artifact). */
  readonly artifactBucket: boolean;
  /** The pipeline key: decrypt always; encrypt too when the build writes to the bucket. */
  readonly keyWrite: boolean;
}

/** The statements of each shared grant, by its policy's name. */
interface SharedGrant {
  /** Construct id; the policy is named `shared-<id>` in each role. */
  readonly id: string;
  readonly statements: () => iam.PolicyStatement[];
}

/**
 * The grants the build roles of one pipeline need alike, each one IAM policy attached to exactly
 * the roles that need it, instead of the same statement in every role's own policy:
 * - `ArtifactBucket`: `s3:GetBucketAcl` and `s3:GetBucketLocation` on the artifact bucket (no
 *   object of it) for every build that reads or writes an artifact;
 * - `PipelineKey`: `kms:Decrypt` and `kms:DescribeKey` on the pipeline key for every build, with
 *   `kms:Encrypt` and `kms:GenerateDataKey` in a second policy for the builds that write;
 * - for every gate: `ReadBundledGate` (`s3:GetObject` on the one object of the gate this library
 *   ships) and, when the pipeline has an audit trail, `WriteAuditEvents` (streams and events in the
 *   pipeline's audit log group).
 *
 * Each role is granted exactly what it was granted in its own policy; the statements are written
 * once per pipeline (a template with fewer statements is faster to synthesize and validate and
 * keeps each role's own policy to what is particular to it). The pipeline depends on each policy,
 * so no build runs before its role has them.
 */
export class SharedBuildGrants {
  private readonly policies = new Map<string, { readonly roles: iam.IRole[]; readonly resource: iam.CfnPolicy }>();

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
        statements: () => [new iam.PolicyStatement({ sid: 'ArtifactBucket', actions: ['s3:GetBucketAcl', 's3:GetBucketLocation'], resources: [this.bucket.bucketArn] })],
      }).attachToRole(role);
    }
    this.policy(
      needs.keyWrite
        ? {
          id: 'PipelineKeyReadWrite',
          statements: () => [
            new iam.PolicyStatement({ sid: 'PipelineKey', actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'], resources: [this.key.keyArn] }),
          ],
        }
        : {
          id: 'PipelineKeyRead',
          statements: () => [new iam.PolicyStatement({ sid: 'PipelineKey', actions: ['kms:Decrypt', 'kms:DescribeKey'], resources: [this.key.keyArn] })],
        },
    ).attachToRole(role);
  }

  /**
   * Attaches to a gate's role what every gate of the pipeline needs alike: reading the bundled
   * gate's one object (`gateObjectArn`) and, when the pipeline has an audit trail, writing to its
   * audit log group (`auditStreamsArn`). Every gate of a pipeline passes the same two.
   */
  public grantGate(role: iam.IRole, gateObjectArn: string, auditStreamsArn: string | undefined): void {
    this.policy({
      id: 'Gates',
      statements: () => [
        new iam.PolicyStatement({ sid: 'ReadBundledGate', actions: ['s3:GetObject'], resources: [gateObjectArn] }),
        // its audit events, into the pipeline's audit log group and no other
        ...(auditStreamsArn ? [new iam.PolicyStatement({ sid: 'WriteAuditEvents', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [auditStreamsArn] })] : []),
      ],
    }).attachToRole(role);
  }

  private policy(grant: SharedGrant): { attachToRole(role: iam.IRole): void } {
    let policy = this.policies.get(grant.id);
    if (!policy) {
      // the policy resource itself: the roles are only listed, nothing else is wired per role
      const roles: iam.IRole[] = [];
      const resource = new iam.CfnPolicy(this.scope, grant.id, {
        policyName: `shared-${grant.id}`,
        policyDocument: new iam.PolicyDocument({ statements: grant.statements() }),
        roles: Lazy.list({ produce: () => roles.map((r) => r.roleName) }),
      });
      this.pipeline.node.addDependency(resource);
      policy = { roles, resource };
      this.policies.set(grant.id, policy);
    }
    const { roles } = policy;
    return { attachToRole: (role) => void (roles.includes(role) || roles.push(role)) };
  }
}
