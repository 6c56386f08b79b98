import { PipelineDocument, PolicySeverity, PolicyViolationLocation } from '../../core';
import { PolicyRule } from '../rule';
import { gates } from '../walk';

/** Options of `GateTrustedKeysRule`. */
export interface GateTrustedKeysRuleProps {
  /**
   * Whether keys written in the pipeline definition (`TrustSource.inline`) count as
   * platform-owned (a blueprint the app team cannot change may hold them).
   * @default false
   */
  readonly allowInline?: boolean;
  /**
   * Severity.
   * @default PolicySeverity.ERROR
   */
  readonly severity?: PolicySeverity;
}

/**
 * GH-GATE-TRUSTED-KEYS: every gate that reads exemptions, VEX or a baseline from the repository
 * verifies their signatures with keys from a platform-owned store (SSM, Secrets Manager, a
 * ConfigMap or Secret). A gate that reads none of them accepts no exception at all.
 */
export class GateTrustedKeysRule extends PolicyRule {
  private readonly allowInline: boolean;

  constructor(props: GateTrustedKeysRuleProps = {}) {
    const allowInline = props.allowInline ?? false;
    super({
      id: 'GH-GATE-TRUSTED-KEYS',
      severity: props.severity,
      message: `every gate that reads exemptions, VEX or a baseline from the repository verifies their signatures with trusted keys from a platform-owned store${allowInline ? ' or the definition' : ''}`,
      fix: 'set the gate trustedKeys to TrustSource.ssmParameter(...) or TrustSource.secretsManagerSecret(...) (CodePipeline), TrustSource.configMap(...) or TrustSource.kubernetesSecret(...) (Tekton)',
    });
    this.allowInline = allowInline;
  }

  public evaluate(document: PipelineDocument): PolicyViolationLocation[] {
    const out: PolicyViolationLocation[] = [];
    for (const g of gates(document.content)) {
      const keys = g.gate.trustedKeys;
      const reads = [g.gate.exemptionsFile ? 'exemptions' : '', g.gate.vexFiles.length > 0 ? 'VEX files' : '', g.gate.baseline ? 'a baseline' : ''].filter((x) => x);
      if (reads.length === 0) continue;
      if (!keys) out.push({ path: g.path, detail: `the gate reads ${reads.join(', ')} from the repository without trustedKeys` });
      else if (keys.kind === 'inline' && !this.allowInline) out.push({ path: `${g.path}/trustedKeys/kind`, detail: 'trusted keys are written in the definition, not a platform-owned store' });
    }
    return out;
  }
}
