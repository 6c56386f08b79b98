import { documentWord, PipelineDocument, PolicySeverity, PolicyViolationLocation, ScanCategory } from '../../core';
import { PolicyRule } from '../rule';
import { FINDING_CATEGORIES, gates } from '../walk';

/** Options of `GateNoIgnoreRule`. */
export interface GateNoIgnoreRuleProps {
  /**
   * Categories whose gates may not ignore a failure.
   * @default - every category with findings
   */
  readonly categories?: ScanCategory[];
  /**
   * Whether a manual intervention (security approvers let a failed gate through) is allowed.
   * @default true
   */
  readonly allowManualIntervention?: boolean;
  /**
   * Severity.
   * @default PolicySeverity.ERROR
   */
  readonly severity?: PolicySeverity;
}

/** GH-GATE-NO-IGNORE: no gate over scans of the chosen categories uses the `ignore` failure strategy. */
export class GateNoIgnoreRule extends PolicyRule {
  private readonly categories: string[];
  private readonly allowIntervention: boolean;

  constructor(props: GateNoIgnoreRuleProps = {}) {
    const categories = props.categories ? props.categories.map(documentWord) : FINDING_CATEGORIES;
    const allowIntervention = props.allowManualIntervention ?? true;
    super({
      id: 'GH-GATE-NO-IGNORE',
      severity: props.severity,
      message: `gates over ${categories.join(', ')} scans stop the pipeline when they fail (failureStrategy fail${allowIntervention ? ' or manual-intervention' : ''})`,
      fix: `set the gate failureStrategy to FAIL${allowIntervention ? ' (or MANUAL_INTERVENTION with security approvers)' : ''}; accept a known risk with a signed exemption instead`,
    });
    this.categories = categories;
    this.allowIntervention = allowIntervention;
  }

  public evaluate(document: PipelineDocument): PolicyViolationLocation[] {
    return gates(document.content)
      .filter((g) => g.categories.some((c) => this.categories.includes(c)))
      .filter((g) => g.gate.failureStrategy === 'ignore' || (!this.allowIntervention && g.gate.failureStrategy === 'manual-intervention'))
      .map((g) => ({ path: `${g.path}/failureStrategy`, detail: `failureStrategy ${g.gate.failureStrategy} over ${g.categories.join(', ')}` }));
  }
}
