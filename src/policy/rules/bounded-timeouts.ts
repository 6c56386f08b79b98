import { PipelineDocument, PolicySeverity, PolicyViolationLocation } from '../../core';
import { PolicyRule } from '../rule';
import { gates, steps } from '../walk';

/** Options of `BoundedTimeoutsRule`. */
export interface BoundedTimeoutsRuleProps {
  /**
   * Longest command or scan step, in minutes.
   * @default 120
   */
  readonly maxStepMinutes?: number;
  /**
   * Longest wait of a manual approval, in minutes.
   * @default 4320 (3 days)
   */
  readonly maxApprovalMinutes?: number;
  /**
   * Longest wait of a gate's manual intervention, in minutes.
   * @default 1440 (one day)
   */
  readonly maxInterventionMinutes?: number;
  /**
   * Severity.
   * @default PolicySeverity.ERROR
   */
  readonly severity?: PolicySeverity;
}

/** GH-BOUNDED-TIMEOUTS: steps, approvals and manual interventions have bounded timeouts. */
export class BoundedTimeoutsRule extends PolicyRule {
  private readonly maxStep: number;
  private readonly maxApproval: number;
  private readonly maxIntervention: number;

  constructor(props: BoundedTimeoutsRuleProps = {}) {
    const maxStep = props.maxStepMinutes ?? 120;
    const maxApproval = props.maxApprovalMinutes ?? 4320;
    const maxIntervention = props.maxInterventionMinutes ?? 1440;
    for (const [what, v] of [['maxStepMinutes', maxStep], ['maxApprovalMinutes', maxApproval], ['maxInterventionMinutes', maxIntervention]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new Error(`GH-BOUNDED-TIMEOUTS ${what} ${v} is not a whole number of at least 1`);
    }
    super({
      id: 'GH-BOUNDED-TIMEOUTS',
      severity: props.severity,
      message: `steps run at most ${maxStep} minutes, approvals wait at most ${maxApproval} and manual interventions at most ${maxIntervention}`,
      fix: 'lower timeoutMinutes (step, pipeline defaults, approval) or interventionTimeoutMinutes (gate) to the bound',
    });
    this.maxStep = maxStep;
    this.maxApproval = maxApproval;
    this.maxIntervention = maxIntervention;
  }

  public evaluate(document: PipelineDocument): PolicyViolationLocation[] {
    const out: PolicyViolationLocation[] = [];
    for (const s of steps(document.content)) {
      const max = s.step.type === 'approval' ? this.maxApproval : this.maxStep;
      if (s.step.timeoutMinutes > max) out.push({ path: `${s.path}/timeoutMinutes`, detail: `${s.step.timeoutMinutes} minutes, more than ${max}` });
    }
    for (const g of gates(document.content)) {
      if (g.gate.failureStrategy === 'manual-intervention' && g.gate.interventionTimeoutMinutes > this.maxIntervention) {
        out.push({ path: `${g.path}/interventionTimeoutMinutes`, detail: `${g.gate.interventionTimeoutMinutes} minutes, more than ${this.maxIntervention}` });
      }
    }
    return out;
  }
}
