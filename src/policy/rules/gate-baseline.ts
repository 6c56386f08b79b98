import { PipelineDocument, PolicySeverity, PolicyViolationLocation } from '../../core';
import { PolicyRule } from '../rule';
import { gates } from '../walk';

/** Options of `GateBaselineRule`. */
export interface GateBaselineRuleProps {
  /**
   * Allow only the stored baseline (the last accepted run), not a signed file of the repository.
   * @default false
   */
  readonly storedOnly?: boolean;
  /**
   * Whether keys written in the definition may verify a repository baseline.
   * @default false
   */
  readonly allowInlineKeys?: boolean;
  /**
   * Severity.
   * @default PolicySeverity.ERROR
   */
  readonly severity?: PolicySeverity;
}

/**
 * GH-GATE-BASELINE: a gate's baseline is the stored last accepted run, or a repository file
 * signed with keys from a platform-owned store.
 */
export class GateBaselineRule extends PolicyRule {
  private readonly storedOnly: boolean;
  private readonly allowInline: boolean;

  constructor(props: GateBaselineRuleProps = {}) {
    const storedOnly = props.storedOnly ?? false;
    super({
      id: 'GH-GATE-BASELINE',
      severity: props.severity,
      message: storedOnly
        ? 'gate baselines are the stored last accepted run (storedBaseline)'
        : 'gate baselines are the stored last accepted run, or a repository file signed with platform-owned keys',
      fix: storedOnly ? 'replace the gate baseline with storedBaseline: true' : 'use storedBaseline: true, or trustedKeys from a platform store for a signed baseline',
    });
    this.storedOnly = storedOnly;
    this.allowInline = props.allowInlineKeys ?? false;
  }

  public evaluate(document: PipelineDocument): PolicyViolationLocation[] {
    const out: PolicyViolationLocation[] = [];
    for (const g of gates(document.content)) {
      if (g.gate.baseline === undefined) continue;
      const keys = g.gate.trustedKeys;
      if (this.storedOnly) {out.push({ path: `${g.path}/baseline`, detail: `baseline "${g.gate.baseline}" is a repository file` });} else if (!keys || (keys.kind === 'inline' && !this.allowInline)) {
        out.push({ path: `${g.path}/baseline`, detail: `baseline "${g.gate.baseline}" is verified with ${keys ? 'keys written in the definition' : 'no trusted keys'}` });
      }
    }
    return out;
  }
}
