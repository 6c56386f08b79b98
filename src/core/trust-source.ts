/** Where a trust anchor of a gate comes from. */
export enum TrustSourceKind {
  /** Text written in the pipeline definition (a blueprint owns it). */
  INLINE = 'inline',
  /** An AWS Systems Manager Parameter Store parameter (CodePipeline). */
  SSM_PARAMETER = 'ssm-parameter',
  /** An AWS Secrets Manager secret (CodePipeline). */
  SECRETS_MANAGER = 'secrets-manager',
  /** A key of a Kubernetes ConfigMap (Tekton). */
  CONFIG_MAP = 'config-map',
  /** A key of a Kubernetes Secret (Tekton). */
  KUBERNETES_SECRET = 'kubernetes-secret',
}

const SSM_NAME = /^[A-Za-z0-9_.\-/]{1,1011}$/;
const SECRET_NAME = /^(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:)?[A-Za-z0-9/_+=.@-]{1,512}$/;
const K8S_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const K8S_KEY = /^[-._a-zA-Z0-9]{1,253}$/;
const MAX_INLINE = 256 * 1024;

/**
 * A trust anchor of a gate — trusted public keys, a trusted VEX document — read from the
 * pipeline definition or from a store the platform team owns, never from the repository being
 * judged. The engine places its content in a read-only file outside the source tree before the
 * gate runs; an engine refuses, at synth, a kind it cannot read (CodePipeline reads inline, SSM
 * and Secrets Manager; Tekton reads inline, ConfigMaps and Secrets).
 */
export class TrustSource {
  /**
   * Content written in the pipeline definition: PEM public keys or a YAML map approver → PEM for
   * trusted keys; an OpenVEX or CycloneDX VEX JSON document for trusted VEX.
   */
  public static inline(content: string): TrustSource {
    if (typeof content !== 'string' || content.trim() === '') {
      throw new Error('inline trust source is empty: give the PEM keys or the VEX document itself');
    }
    if (content.length > MAX_INLINE) {
      throw new Error(`inline trust source is ${content.length} characters, more than ${MAX_INLINE}: keep large documents in a platform store`);
    }
    if (content.includes('\u0000')) throw new Error('inline trust source contains a NUL character: give text');
    return new TrustSource(TrustSourceKind.INLINE, { content });
  }

  /**
   * An SSM parameter (String or SecureString) holding the content; the gate's role may read this
   * parameter only. CodePipeline only.
   */
  public static ssmParameter(parameterName: string): TrustSource {
    if (!SSM_NAME.test(parameterName ?? '') || parameterName.startsWith('-')) {
      throw new Error(`ssm parameter name "${parameterName}" is not a parameter name: use letters, digits and _ . - /, e.g. /platform/gatehouse/trusted-keys`);
    }
    return new TrustSource(TrustSourceKind.SSM_PARAMETER, { name: parameterName });
  }

  /**
   * A Secrets Manager secret (name or full ARN) whose string value is the content; the gate's
   * role may read this secret only. CodePipeline only.
   */
  public static secretsManagerSecret(secretNameOrArn: string): TrustSource {
    if (!SECRET_NAME.test(secretNameOrArn ?? '') || secretNameOrArn.startsWith('-')) {
      throw new Error(`secrets manager secret "${secretNameOrArn}" is not a secret name or ARN: use letters, digits and /_+=.@-`);
    }
    return new TrustSource(TrustSourceKind.SECRETS_MANAGER, { name: secretNameOrArn });
  }

  /** One key of a ConfigMap in the run's namespace, mounted read-only into the gate. Tekton only. */
  public static configMap(name: string, key: string): TrustSource {
    assertK8s('config map', name, key);
    return new TrustSource(TrustSourceKind.CONFIG_MAP, { name, key });
  }

  /** One key of a Secret in the run's namespace, mounted read-only into the gate. Tekton only. */
  public static kubernetesSecret(name: string, key: string): TrustSource {
    assertK8s('kubernetes secret', name, key);
    return new TrustSource(TrustSourceKind.KUBERNETES_SECRET, { name, key });
  }

  /** Where the content comes from. */
  public readonly kind: TrustSourceKind;
  /** The content, for `INLINE`. */
  public readonly content?: string;
  /** Parameter, secret, ConfigMap or Secret name. */
  public readonly name?: string;
  /** Key inside a ConfigMap or Secret. */
  public readonly key?: string;

  private constructor(kind: TrustSourceKind, props: { content?: string; name?: string; key?: string }) {
    this.kind = kind;
    this.content = props.content;
    this.name = props.name;
    this.key = props.key;
  }

  /** A short description for messages: `ssm parameter /platform/keys`, `inline (412 characters)`. */
  public describe(): string {
    switch (this.kind) {
      case TrustSourceKind.INLINE:
        return `inline (${this.content!.length} characters)`;
      case TrustSourceKind.SSM_PARAMETER:
        return `ssm parameter ${this.name}`;
      case TrustSourceKind.SECRETS_MANAGER:
        return `secrets manager secret ${this.name}`;
      case TrustSourceKind.CONFIG_MAP:
        return `config map ${this.name} key ${this.key}`;
      default:
        return `kubernetes secret ${this.name} key ${this.key}`;
    }
  }
}

function assertK8s(what: string, name: string, key: string): void {
  const problems: string[] = [];
  if (!K8S_NAME.test(name ?? '')) problems.push(`name "${name}" is not a DNS-1123 subdomain (lowercase letters, digits, - and .)`);
  if (!K8S_KEY.test(key ?? '') || key === '.' || key === '..') problems.push(`key "${key}" is not a ConfigMap/Secret key (letters, digits, - _ .)`);
  if (problems.length > 0) throw new Error(`${what}: ${problems.join('; ')}`);
}
