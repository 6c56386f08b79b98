import { createHash } from 'crypto';
import { LABEL_PREFIX, TRUST_DIR, TRUST_FILE_MODE, TRUST_VOLUME } from './names';
import { GatePolicy, Pipeline, TrustSourceKind } from '../../core';
import { gatePoliciesOf, trustSourcesOf } from '../../core/gate-policies';
import * as tk from '../imports/tekton.dev';

/**
 * Trust anchors on Tekton (trusted keys, trusted VEX): each gate step mounts its trust files
 * read-only at `/gatehouse/trust` from one projected volume that no other step mounts:
 * - `TrustSource.inline(...)`: a key of an immutable ConfigMap the engine emits, named per pipeline
 *   with a hash of its content (a new content is a new object, as for the bundled gate);
 * - `TrustSource.configMap(name, key)` / `TrustSource.kubernetesSecret(name, key)`: that key of
 *   the platform's ConfigMap or Secret in the run's namespace;
 * - SSM and Secrets Manager are AWS stores, which Tekton cannot read: refused at synth.
 */

/** `app.kubernetes.io/component` label of the trust ConfigMap. */
export const TRUST_COMPONENT = 'gatehouse-trust';
/** Annotation of the trust ConfigMap holding the sha256 of its content. */
export const TRUST_SHA256_ANNOTATION = `${LABEL_PREFIX}/trust-sha256`;
/** Most bytes of inline trust content one ConfigMap holds (the API server refuses more than 1 MiB). */
const MAX_TRUST_BYTES = 1024 * 1024 - 4096;


/** Key of an inline trust content in the trust ConfigMap. */
export function inlineTrustKey(content: string): string {
  return `inline-${createHash('sha256').update(content).digest('hex').slice(0, 16)}`;
}

/** The trust ConfigMap of a pipeline's inline trust sources: its name and body (without apiVersion/kind). */
export interface TrustConfigMap {
  readonly name: string;
  readonly body: Record<string, any>;
}

/** The immutable ConfigMap holding every inline trust content of the pipeline, if any. */
export function trustConfigMap(pipeline: Pipeline, labels: Record<string, string>): TrustConfigMap | undefined {
  const data: Record<string, string> = {};
  for (const { policy } of gatePoliciesOf(pipeline)) {
    for (const f of policy.trustFiles(TRUST_DIR)) {
      if (f.source.kind === TrustSourceKind.INLINE) data[inlineTrustKey(f.source.content!)] = f.source.content!;
    }
  }
  const keys = Object.keys(data).sort();
  if (keys.length === 0) return undefined;
  const sorted = Object.fromEntries(keys.map((k) => [k, data[k]]));
  const bytes = keys.reduce((n, k) => n + Buffer.byteLength(data[k], 'utf8'), 0);
  if (bytes > MAX_TRUST_BYTES) {
    throw new Error(
      `pipeline "${pipeline.name}": the inline trust sources hold ${bytes} bytes, more than one ConfigMap can (${MAX_TRUST_BYTES}): ` +
        'keep large documents in a ConfigMap or Secret of the platform (TrustSource.configMap / TrustSource.kubernetesSecret)',
    );
  }
  const sha256 = createHash('sha256').update(JSON.stringify(sorted)).digest('hex');
  const name = `${pipeline.name}-gatehouse-trust-${sha256.slice(0, 10)}`;
  return {
    name,
    body: {
      metadata: {
        name,
        labels: { ...labels, 'app.kubernetes.io/component': TRUST_COMPONENT },
        annotations: { [TRUST_SHA256_ANNOTATION]: sha256 },
      },
      immutable: true,
      data: sorted,
    },
  };
}

/**
 * The projected volume of a gate's trust files (file name inside `/gatehouse/trust` → source), or
 * undefined when the policy has none. Files are owned by root and readable by the pod's fsGroup
 * (mode 0440): the gate runs as a non-root user of that group.
 */
export function trustVolume(policy: GatePolicy, trustConfigMapName: string | undefined): Record<string, unknown> | undefined {
  const files = policy.trustFiles(TRUST_DIR);
  if (files.length === 0) return undefined;
  const sources = files.map((f) => {
    const item = { path: f.path.slice(TRUST_DIR.length + 1) };
    switch (f.source.kind) {
      case TrustSourceKind.INLINE:
        if (!trustConfigMapName) throw new Error('an inline trust source was rendered without the trust ConfigMap');
        return { configMap: { name: trustConfigMapName, items: [{ key: inlineTrustKey(f.source.content!), ...item }] } };
      case TrustSourceKind.CONFIG_MAP:
        return { configMap: { name: f.source.name!, items: [{ key: f.source.key!, ...item }] } };
      case TrustSourceKind.KUBERNETES_SECRET:
        return { secret: { name: f.source.name!, items: [{ key: f.source.key!, ...item }] } };
      default:
        throw new Error(`trust source ${f.source.describe()} cannot be read on Tekton`);
    }
  });
  return { name: TRUST_VOLUME, projected: { defaultMode: TRUST_FILE_MODE, sources } };
}

/** The gate step's read-only mount of its trust files. */
export function trustMount(): tk.TaskSpecStepsVolumeMounts {
  return { name: TRUST_VOLUME, mountPath: TRUST_DIR, readOnly: true };
}

/** Trust sources Tekton cannot read, and stored baselines: one message each, with the fix. */
export function trustIssues(pipeline: Pipeline): Array<{ path: string; message: string }> {
  const issues: Array<{ path: string; message: string }> = [];
  for (const { where, policy } of gatePoliciesOf(pipeline)) {
    for (const { field, source } of trustSourcesOf(policy)) {
      if (source.kind === TrustSourceKind.SSM_PARAMETER || source.kind === TrustSourceKind.SECRETS_MANAGER) {
        issues.push({
          path: where,
          message:
            `${field} is ${source.describe()}, an AWS store Tekton cannot read: use TrustSource.configMap(name, key), ` +
            'TrustSource.kubernetesSecret(name, key) or TrustSource.inline(...)',
        });
      }
    }
    if (policy.storedBaseline) {
      issues.push({
        path: where,
        message: 'storedBaseline is not supported on Tekton yet: use a signed baseline (baseline with trustedKeys)',
      });
    }
  }
  return issues;
}
