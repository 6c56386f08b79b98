import { RemovalPolicy, Resource, aws_iam as iam, aws_kms as kms } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** What the pipeline's key is made of. */
export interface PipelineKeyProps {
  readonly description: string;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * A symmetric customer-managed key, rotated yearly, whose key policy trusts the account's IAM
 * policies (the `kms:*` statement of the account root, as `kms.Key` writes with the
 * `@aws-cdk/aws-kms:defaultKeyPolicies` behaviour) and grants through the library's `KeyGrants`,
 * as `kms.Key` does: the same resource at the same construct path (`<id>/Resource`), the same key
 * policy, the same grants.
 *
 * It is not `kms.Key` because the engine uses none of what that class adds (aliases at
 * construction, key specs, admins, lookups) and loading and first constructing it cost the
 * engine more than anything else it did not need, on a pipeline's first synthesis. The resource
 * is the library's own `kms.CfnKey`, so resource checks (cdk-nag's KMS5) still see it.
 */
export class PipelineKey extends Resource implements kms.IKey {
  public readonly keyArn: string;
  public readonly keyId: string;
  private readonly policy: iam.PolicyDocument;
  private grantsOf?: kms.KeyGrants;

  constructor(scope: Construct, id: string, props: PipelineKeyProps) {
    super(scope, id);
    this.policy = new iam.PolicyDocument();
    this.policy.addStatements(new iam.PolicyStatement({ resources: ['*'], actions: ['kms:*'], principals: [new iam.AccountRootPrincipal()] }));
    const resource = new kms.CfnKey(this, 'Resource', {
      description: props.description,
      enableKeyRotation: true,
      keyPolicy: this.policy,
    });
    resource.applyRemovalPolicy(props.removalPolicy);
    this.keyArn = resource.attrArn;
    this.keyId = resource.ref;
    this.node.addValidation({ validate: () => this.policy.validateForResourcePolicy() });
  }

  public get keyRef(): kms.KeyReference {
    return { keyArn: this.keyArn, keyId: this.keyId };
  }

  /** The library's grants on this key (principal policies in this account, the key policy across accounts). */
  public get grants(): kms.KeyGrants {
    return (this.grantsOf ??= kms.KeyGrants.fromKey(this, true));
  }

  public addAlias(aliasName: string): kms.Alias {
    const taken = this.node.children.filter((c) => c instanceof kms.Alias).length;
    return new kms.Alias(this, taken === 0 ? 'Alias' : `Alias${aliasName}`, { aliasName, targetKey: this });
  }

  public addToResourcePolicy(statement: iam.PolicyStatement, _allowNoOp?: boolean): iam.AddToResourcePolicyResult {
    this.policy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.policy };
  }

  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return this.grants.actions(grantee, ...actions);
  }

  public grantDecrypt(grantee: iam.IGrantable): iam.Grant {
    return this.grants.decrypt(grantee);
  }

  public grantEncrypt(grantee: iam.IGrantable): iam.Grant {
    return this.grants.encrypt(grantee);
  }

  public grantEncryptDecrypt(grantee: iam.IGrantable): iam.Grant {
    return this.grants.encryptDecrypt(grantee);
  }

  public grantSign(grantee: iam.IGrantable): iam.Grant {
    return this.grants.sign(grantee);
  }

  public grantVerify(grantee: iam.IGrantable): iam.Grant {
    return this.grants.verify(grantee);
  }

  public grantSignVerify(grantee: iam.IGrantable): iam.Grant {
    return this.grants.signVerify(grantee);
  }

  public grantGenerateMac(grantee: iam.IGrantable): iam.Grant {
    return this.grants.generateMac(grantee);
  }

  public grantVerifyMac(grantee: iam.IGrantable): iam.Grant {
    return this.grants.verifyMac(grantee);
  }
}
