import { CodePipelineRule, collector, MAX_INLINE_TRUST_BASE64 } from './context';
import { modelGates } from './gates';
import { GatePolicy, TrustSourceKind } from '../../core';

/** A gate's trust sources are ones CodeBuild can read, and its inline ones fit an inline buildspec. */
export const gateTrustRule: CodePipelineRule = ({ model }) => {
  const { issues, add } = collector();
  for (const g of modelGates(model)) {
    for (const p of trustProblems(g.policy)) add(g.path, p);
  }
  return issues;
};

/**
 * What CodePipeline cannot do with a gate's trust sources: read a Kubernetes ConfigMap or Secret,
 * or hold more inline content than an inline buildspec takes.
 */
export function trustProblems(policy: GatePolicy): string[] {
  const out: string[] = [];
  const sources = [
    ...(policy.trustedKeys ? [{ field: 'trustedKeys', source: policy.trustedKeys }] : []),
    ...policy.trustedVex.map((source, i) => ({ field: `trustedVex[${i}]`, source })),
  ];
  let inline = 0;
  for (const { field, source } of sources) {
    if (source.kind === TrustSourceKind.CONFIG_MAP || source.kind === TrustSourceKind.KUBERNETES_SECRET) {
      out.push(
        `${field} is a ${source.describe()}, which CodePipeline cannot read (Kubernetes only): ` +
          'use TrustSource.ssmParameter(...), TrustSource.secretsManagerSecret(...) or TrustSource.inline(...)',
      );
    } else if (source.kind === TrustSourceKind.INLINE) {
      inline += Buffer.from(source.content!, 'utf8').toString('base64').length;
    }
  }
  if (inline > MAX_INLINE_TRUST_BASE64) {
    out.push(
      `its inline trust sources take ${inline} characters as base64, more than the ${MAX_INLINE_TRUST_BASE64} a gate's inline buildspec has room for: ` +
        'keep the trusted keys or VEX documents in SSM Parameter Store or Secrets Manager (TrustSource.ssmParameter, TrustSource.secretsManagerSecret)',
    );
  }
  return out;
}
