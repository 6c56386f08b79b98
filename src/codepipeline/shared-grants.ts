import { CfnResource, Lazy, aws_iam as iam, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** What a build role needs of the grants every build role of a pipeline needs alike. */
export interface SharedGrantNeeds {
  /** The artifact bucket's location and ACL (CodeBuild reads them before it touches an artifact). */
  readonly artifactBucket: boolean;
  /** The pipeline key: decrypt always; encrypt too when the build writes to the bucket. */
  readonly keyWrite: boolean;
}

/** What the grants are on: the pipeline's resources every build role reads alike. */
export interface SharedBuildGrantsProps {
  readonly bucket: s3.IBucket;
  readonly key: kms.IKey;
  /** The pipeline resource: it depends on every shared policy. */
  readonly pipeline: CfnResource;
  /** The one object of the bundled gate, when the pipeline has gates. */
  readonly gateObjectArn?: string;
  /** The audit log group's streams, when the pipeline has an audit trail. */
  readonly auditStreamsArn?: string;
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
  /** The roles of each shared policy, by its construct id. */
  private readonly roles = new Map<string, iam.IRole[]>();

  constructor(private readonly scope: Construct, private readonly props: SharedBuildGrantsProps) {}

  /** Attaches to `role` the shared policies of what it needs. */
  public grant(role: iam.IRole, needs: SharedGrantNeeds): void {
    const { bucket, key } = this.props;
    if (needs.artifactBucket) {
      this.attach(role, 'ArtifactBucket', () => [
        new iam.PolicyStatement({ sid: 'ArtifactBucket', actions: ['s3:GetBucketAcl', 's3:GetBucketLocation'], resources: [bucket.bucketArn] }),
      ]);
    }
    if (needs.keyWrite) {
      this.attach(role, 'PipelineKeyReadWrite', () => [
        new iam.PolicyStatement({ sid: 'PipelineKey', actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'], resources: [key.keyArn] }),
      ]);
    } else {
      this.attach(role, 'PipelineKeyRead', () => [new iam.PolicyStatement({ sid: 'PipelineKey', actions: ['kms:Decrypt', 'kms:DescribeKey'], resources: [key.keyArn] })]);
    }
  }

  /**
   * Attaches to a gate's role what every gate of the pipeline needs alike: reading the bundled
   * gate's one object and, when the pipeline has an audit trail, writing to its audit log group.
   */
  public grantGate(role: iam.IRole): void {
    const { gateObjectArn, auditStreamsArn } = this.props;
    if (!gateObjectArn) throw new Error('a gate was rendered for a pipeline that ships no gate');
    this.attach(role, 'Gates', () => [
      new iam.PolicyStatement({ sid: 'ReadBundledGate', actions: ['s3:GetObject'], resources: [gateObjectArn] }),
      // its audit events, into the pipeline's audit log group and no other
      ...(auditStreamsArn ? [new iam.PolicyStatement({ sid: 'WriteAuditEvents', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [auditStreamsArn] })] : []),
    ]);
  }

  /** Lists `role` on the policy `id` (`shared-<id>` in each role), created with `statements` on first use. */
  private attach(role: iam.IRole, id: string, statements: () => iam.PolicyStatement[]): void {
    let roles = this.roles.get(id);
    if (!roles) {
      const listed: iam.IRole[] = [];
      // the policy resource itself: the roles are only listed, nothing else is wired per role
      const resource = new iam.CfnPolicy(this.scope, id, {
        policyName: `shared-${id}`,
        policyDocument: new iam.PolicyDocument({ statements: statements() }),
        roles: Lazy.list({ produce: () => listed.map((r) => r.roleName) }),
      });
      this.props.pipeline.node.addDependency(resource);
      this.roles.set(id, listed);
      roles = listed;
    }
    if (!roles.includes(role)) roles.push(role);
  }
}
