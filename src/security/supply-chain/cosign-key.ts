import { AwsKmsKeyUse, SecretEnv, SigningKeyOperation } from '../../core';
import { assertPath } from '../internal/shell';

/** How cosign gets its key. */
export enum CosignKeyKind {
  /** An AWS KMS key (`awskms:///…`). */
  AWS_KMS = 'AWS_KMS',
  /** A key pair held in a secret (Kubernetes Secret on Tekton, Secrets Manager on CodePipeline). */
  SECRET = 'SECRET',
  /** Keyless: a Fulcio certificate for the run's OIDC identity, logged in Rekor. */
  KEYLESS = 'KEYLESS',
  /** A public key file in the repository (verification only). */
  PUBLIC_KEY_FILE = 'PUBLIC_KEY_FILE',
}

/** Properties of a key held in a secret. */
export interface CosignSecretKeyOptions {
  /**
   * Field (Kubernetes data key or Secrets Manager JSON key) of the encrypted private key.
   * @default 'cosign.key'
   */
  readonly privateKeyField?: string;
  /**
   * Field of the private key's password.
   * @default 'cosign.password'
   */
  readonly passwordField?: string;
  /**
   * Field of the public key (used by verification).
   * @default 'cosign.pub'
   */
  readonly publicKeyField?: string;
}

/** Properties of a key pair held in three secrets of one value each. */
export interface CosignSecretValuesProps {
  /** Secret holding the encrypted private key (a GitHub Actions secret name, e.g. `COSIGN_KEY`). */
  readonly privateKeySecret: string;
  /** Secret holding the private key's password. */
  readonly passwordSecret: string;
  /** Secret holding the public key (used by verification). */
  readonly publicKeySecret: string;
}

const KMS_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:(key\/[A-Za-z0-9-]+|alias\/[A-Za-z0-9/_-]+)$/;
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]+$/;
const FIELD = /^[A-Za-z0-9._-]+$/;

/** Where each value of a secret key pair lives (a secret, and its key when the secret holds several). */
interface SecretRefs {
  readonly privateKey: { readonly secretName: string; readonly key?: string };
  readonly password: { readonly secretName: string; readonly key?: string };
  readonly publicKey: { readonly secretName: string; readonly key?: string };
}

/**
 * The key cosign signs or verifies with, engine-neutral: `awsKms` on CodePipeline (the step
 * carries the key ARN, and the engine grants the signing step's role `kms:Sign`,
 * `kms:GetPublicKey` and `kms:DescribeKey` on it, a verifying step's role `kms:GetPublicKey` and
 * `kms:DescribeKey`), a key pair in a secret or keyless signing on Tekton.
 */
export class CosignKey {
  /** An AWS KMS asymmetric signing key, by key or alias ARN. */
  public static awsKms(keyArn: string): CosignKey {
    if (typeof keyArn !== 'string' || !KMS_ARN.test(keyArn)) {
      throw new Error(`cosign key "${keyArn}" is not a KMS key or alias ARN: use arn:aws:kms:<region>:<account>:key/<id> or …:alias/<name>`);
    }
    return new CosignKey(CosignKeyKind.AWS_KMS, { keyRef: `awskms:///${keyArn}`, kmsKeyArn: keyArn });
  }

  /**
   * A cosign key pair in a secret: a Kubernetes Secret on Tekton, a Secrets Manager secret on
   * CodePipeline. The step reads it through environment variables (`env://`), never from a file.
   */
  public static secret(secretName: string, options: CosignSecretKeyOptions = {}): CosignKey {
    if (typeof secretName !== 'string' || !SECRET_NAME.test(secretName)) {
      throw new Error(`cosign key secret name "${secretName}" is not a valid secret name`);
    }
    const fields = {
      privateKeyField: options.privateKeyField ?? 'cosign.key',
      passwordField: options.passwordField ?? 'cosign.password',
      publicKeyField: options.publicKeyField ?? 'cosign.pub',
    };
    for (const f of Object.values(fields)) {
      if (!FIELD.test(f)) throw new Error(`cosign key secret field "${f}" is not a plain key name`);
    }
    return new CosignKey(CosignKeyKind.SECRET, {
      keyRef: 'env://COSIGN_PRIVATE_KEY',
      secretName,
      refs: {
        privateKey: { secretName, key: fields.privateKeyField },
        password: { secretName, key: fields.passwordField },
        publicKey: { secretName, key: fields.publicKeyField },
      },
    });
  }

  /**
   * A cosign key pair in three secrets of one value each, for engines whose secrets hold a single
   * value (GitHub Actions: `${{ secrets.NAME }}`). The step reads them through the same
   * environment variables as `secret` (`env://`), never from a file. Tekton needs a key of a
   * Secret: use `secret` there.
   */
  public static secretValues(props: CosignSecretValuesProps): CosignKey {
    const refs = {
      privateKey: props?.privateKeySecret,
      password: props?.passwordSecret,
      publicKey: props?.publicKeySecret,
    };
    const bad = Object.entries(refs).filter(([, v]) => typeof v !== 'string' || !SECRET_NAME.test(v));
    if (bad.length > 0) {
      throw new Error(`cosign key secrets: ${bad.map(([k, v]) => `${k}Secret "${v}"`).join(', ')} ${bad.length === 1 ? 'is not a valid secret name' : 'are not valid secret names'}: give the name of the secret holding that value`);
    }
    return new CosignKey(CosignKeyKind.SECRET, {
      keyRef: 'env://COSIGN_PRIVATE_KEY',
      refs: {
        privateKey: { secretName: refs.privateKey! },
        password: { secretName: refs.password! },
        publicKey: { secretName: refs.publicKey! },
      },
    });
  }

  /** A cosign key pair in a Kubernetes Secret (Tekton); the same as `secret`. */
  public static kubernetesSecret(secretName: string, options: CosignSecretKeyOptions = {}): CosignKey {
    return CosignKey.secret(secretName, options);
  }

  /** Keyless signing: needs an OIDC identity token in the run (e.g. a projected service-account token on Tekton). */
  public static keyless(): CosignKey {
    return new CosignKey(CosignKeyKind.KEYLESS, {});
  }

  /** A public key file in the repository, for verification. */
  public static publicKeyFile(path: string): CosignKey {
    assertPath('cosign key', 'public key file', path);
    return new CosignKey(CosignKeyKind.PUBLIC_KEY_FILE, { keyRef: path });
  }

  /** How cosign gets the key. */
  public readonly kind: CosignKeyKind;
  /** The key reference passed to `--key` when signing (undefined for keyless and public keys). */
  public readonly keyRef?: string;
  /** The KMS key ARN (engines grant the signing role access to it). */
  public readonly kmsKeyArn?: string;
  /** The secret holding the key pair (`secret`; undefined for `secretValues`, whose values are three secrets). */
  public readonly secretName?: string;
  private readonly refs?: SecretRefs;

  private constructor(
    kind: CosignKeyKind,
    o: { keyRef?: string; kmsKeyArn?: string; secretName?: string; refs?: SecretRefs },
  ) {
    this.kind = kind;
    this.keyRef = o.keyRef;
    this.kmsKeyArn = o.kmsKeyArn;
    this.secretName = o.secretName;
    this.refs = o.refs;
  }

  /** Whether the key can sign (a public key file cannot). */
  public get canSign(): boolean {
    return this.kind !== CosignKeyKind.PUBLIC_KEY_FILE;
  }

  /**
   * Secrets a signing step needs.
   * @internal
   */
  public _signSecrets(): SecretEnv[] {
    if (!this.refs) return [];
    return [
      { variable: 'COSIGN_PRIVATE_KEY', ...this.refs.privateKey },
      { variable: 'COSIGN_PASSWORD', ...this.refs.password },
    ];
  }

  /**
   * Secrets a verifying step needs.
   * @internal
   */
  public _verifySecrets(): SecretEnv[] {
    if (!this.refs) return [];
    return [{ variable: 'COSIGN_PUBLIC_KEY', ...this.refs.publicKey }];
  }

  /**
   * The AWS KMS key a step uses with this key, if it is one (what engines grant).
   * @internal
   */
  public _awsKmsKeys(operation: SigningKeyOperation): AwsKmsKeyUse[] {
    return this.kmsKeyArn ? [{ keyArn: this.kmsKeyArn, operation }] : [];
  }

  /**
   * The `--key` reference for verification (a public key), or undefined for keyless.
   * @internal
   */
  public _verifyRef(): string | undefined {
    return this.kind === CosignKeyKind.SECRET ? 'env://COSIGN_PUBLIC_KEY' : this.keyRef;
  }
}
