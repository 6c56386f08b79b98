import { PipelineDocument, PolicySeverity, PolicyViolationLocation } from '../../core';
import { PolicyRule } from '../rule';
import { gates } from '../walk';

/** Options of `GateMaxExemptionDaysRule`. */
export interface GateMaxExemptionDaysRuleProps {
  /**
   * Longest exemption a gate may accept, in days.
   * @default 30
   */
  readonly maxDays?: number;
  /**
   * Severity.
   * @default PolicySeverity.ERROR
   */
  readonly severity?: PolicySeverity;
}

/** GH-GATE-MAX-EXEMPTION-DAYS: no gate accepts an exemption longer than the platform allows. */
export class GateMaxExemptionDaysRule extends PolicyRule {
  private readonly maxDays: number;

  constructor(props: GateMaxExemptionDaysRuleProps = {}) {
    const maxDays = props.maxDays ?? 30;
    if (!Number.isInteger(maxDays) || maxDays < 1) throw new Error(`GH-GATE-MAX-EXEMPTION-DAYS maxDays ${maxDays} is not a whole number of at least 1`);
    super({
      id: 'GH-GATE-MAX-EXEMPTION-DAYS',
      severity: props.severity,
      message: `every gate accepts exemptions of at most ${maxDays} days`,
      fix: `set the gate maxExemptionDays to ${maxDays} or less`,
    });
    this.maxDays = maxDays;
  }

  public evaluate(document: PipelineDocument): PolicyViolationLocation[] {
    return gates(document.content)
      .filter((g) => g.gate.maxExemptionDays > this.maxDays)
      .map((g) => ({ path: `${g.path}/maxExemptionDays`, detail: `${g.gate.maxExemptionDays} days, more than ${this.maxDays}` }));
  }
}
