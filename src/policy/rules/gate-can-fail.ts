import { DocumentGate, DocumentStep, PipelineDocument, PolicySeverity, PolicyViolationLocation } from '../../core';
import { GRADED_SEVERITIES, severityRank } from '../../core/severity';
import { PolicyRule } from '../rule';
import { stagePath, stepPath } from '../walk';

/** Options of `GateCanFailRule`. */
export interface GateCanFailRuleProps {
  /**
   * Severity.
   * @default PolicySeverity.WARNING
   */
  readonly severity?: PolicySeverity;
}

/**
 * GH-GATE-CAN-FAIL: every gate can fail on severity. A scan step states the highest severity its
 * scanner gives (`maxSeverity`; bandit: high, gitleaks and pip-audit: none) and whether a finding
 * can come without one (`unknownSeverity`, counted as the gate's `unknownAs`). A gate whose
 * `failOn` is above every severity its scans can produce, and whose budgets name none of them,
 * passes whatever the scanners find: bandit with `failOn: critical` never fails. A scan whose
 * scanner does not state its range counts as able to give any severity. A gate that fails on
 * nothing (`failOn: none` and no budget) says so itself and is left to GH-GATE-MAX-FAILON.
 */
export class GateCanFailRule extends PolicyRule {
  constructor(props: GateCanFailRuleProps = {}) {
    super({
      id: 'GH-GATE-CAN-FAIL',
      severity: props.severity ?? PolicySeverity.WARNING,
      message: 'every gate can fail: its failOn (or a budget) is at or below the highest severity its scanners give, counting findings without a severity as unknownAs',
      fix: "lower the gate's failOn to the highest severity its scanner gives (docs/security-steps.md lists each scanner's), or set unknownAs at or above failOn when the scanner gives no severity",
    });
  }

  public evaluate(document: PipelineDocument): PolicyViolationLocation[] {
    const out: PolicyViolationLocation[] = [];
    const check = (gate: DocumentGate, path: string, scans: DocumentStep[]) => {
      const detail = neverFails(gate, scans);
      if (detail) out.push({ path: `${path}/failOn`, detail });
    };
    document.content.pipeline.stages.forEach((stage, i) => {
      if (stage.gate) {
        // the scans a stage gate reads: every scan but ungated supply-chain steps (Stage.gateScans)
        check(stage.gate, `${stagePath(i)}/gate`, stage.steps.filter((s) => s.type === 'scan' && (s.gate !== undefined || s.category !== 'supply-chain')));
      }
      stage.steps.forEach((step, j) => {
        if (step.gate) check(step.gate, `${stepPath(i, j)}/gate`, [step]);
      });
    });
    return out;
  }
}

/** Why a gate over these scans can never fail on severity, or undefined when it can. */
function neverFails(gate: DocumentGate, scans: DocumentStep[]): string | undefined {
  const budgeted: string[] = GRADED_SEVERITIES.filter((s) => gate.budgets?.[s] !== undefined);
  if (gate.failOn === 'none' && budgeted.length === 0) return undefined;
  if (scans.length === 0 || scans.some((s) => s.maxSeverity === undefined)) return undefined;
  // every severity a finding of these scans can count as
  const possible = new Set<string>();
  for (const s of scans) {
    const max = severityRank(s.maxSeverity!);
    if (max >= 0) GRADED_SEVERITIES.filter((g) => severityRank(g) >= max).forEach((g) => possible.add(g));
    if (s.unknownSeverity !== false) possible.add(gate.unknownAs);
  }
  const fails = (s: string) => budgeted.includes(s) || (gate.failOn !== 'none' && severityRank(s) <= severityRank(gate.failOn));
  if ([...possible].some(fails)) return undefined;
  const ranges = scans.map((s) => {
    const top = s.maxSeverity === 'none' ? 'no severity of its own' : `${s.maxSeverity} at most`;
    return `${s.scanner ?? s.name} gives ${top}${s.unknownSeverity !== false ? `, findings without one count as ${gate.unknownAs}` : ''}`;
  });
  const threshold = gate.failOn === 'none' ? `budgets for ${budgeted.join(', ')}` : `failOn ${gate.failOn}${budgeted.length > 0 ? ` and budgets for ${budgeted.join(', ')}` : ''}`;
  return `${threshold} can never be reached (${ranges.join('; ')}): this gate never fails on severity`;
}
