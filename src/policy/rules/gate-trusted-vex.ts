import { PipelineDocument, PolicySeverity, PolicyViolationLocation } from '../../core';
import { PolicyRule } from '../rule';
import { gates } from '../walk';

/** Options of `GateTrustedVexRule`. */
export interface GateTrustedVexRuleProps {
  /**
   * Whether trusted VEX written in the definition (`TrustSource.inline`) is allowed.
   * @default true
   */
  readonly allowInline?: boolean;
  /**
   * Severity.
   * @default PolicySeverity.ERROR
   */
  readonly severity?: PolicySeverity;
}

/** GH-GATE-TRUSTED-VEX: gates read VEX only from a trusted source, never from the repository. */
export class GateTrustedVexRule extends PolicyRule {
  private readonly allowInline: boolean;

  constructor(props: GateTrustedVexRuleProps = {}) {
    const allowInline = props.allowInline ?? true;
    super({
      id: 'GH-GATE-TRUSTED-VEX',
      severity: props.severity,
      message: 'gates read VEX documents only from a trusted source (trustedVex), not from the repository (vexFiles)',
      fix: 'move the VEX documents to trustedVex: TrustSource.ssmParameter(...), TrustSource.configMap(...) or another platform store',
    });
    this.allowInline = allowInline;
  }

  public evaluate(document: PipelineDocument): PolicyViolationLocation[] {
    const out: PolicyViolationLocation[] = [];
    for (const g of gates(document.content)) {
      g.gate.vexFiles.forEach((f, k) => out.push({ path: `${g.path}/vexFiles/${k}`, detail: `VEX file "${f}" is read from the repository` }));
      if (!this.allowInline) {
        g.gate.trustedVex.forEach((v, k) => {
          if (v.kind === 'inline') out.push({ path: `${g.path}/trustedVex/${k}/kind`, detail: 'trusted VEX is written in the definition' });
        });
      }
    }
    return out;
  }
}
