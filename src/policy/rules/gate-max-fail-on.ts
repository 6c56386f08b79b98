import { documentWord, GateSeverity, PipelineDocument, PolicySeverity, PolicyViolationLocation, ScanCategory } from '../../core';
import { severityRank } from '../../core/severity';
import { PolicyRule } from '../rule';
import { FAIL_ON_ORDER, FINDING_CATEGORIES, gates } from '../walk';

/** The weakest threshold a gate over scans of one category may have. */
export interface CategoryThreshold {
  /** Scan category. */
  readonly category: ScanCategory;
  /** Weakest `failOn` allowed. */
  readonly failOn: GateSeverity;
}

/** Options of `GateMaxFailOnRule`. */
export interface GateMaxFailOnRuleProps {
  /**
   * Weakest `failOn` for every category with findings.
   * @default GateSeverity.HIGH
   */
  readonly failOn?: GateSeverity;
  /**
   * Per-category thresholds (win over `failOn`).
   * @default - none
   */
  readonly categories?: CategoryThreshold[];
  /**
   * Largest budget allowed for a severity the gate must fail on.
   * @default 0
   */
  readonly maxBudget?: number;
  /**
   * Severity.
   * @default PolicySeverity.ERROR
   */
  readonly severity?: PolicySeverity;
}

/**
 * GH-GATE-MAX-FAILON: every gate over scans of a category fails at the category's threshold or
 * stricter, keeps no budget above `maxBudget` for a severity it must fail on, and counts
 * findings without a severity as failing.
 */
export class GateMaxFailOnRule extends PolicyRule {
  private readonly defaultMax: string;
  private readonly perCategory: Map<string, string>;
  private readonly maxBudget: number;

  constructor(props: GateMaxFailOnRuleProps = {}) {
    const maxBudget = props.maxBudget ?? 0;
    if (!Number.isInteger(maxBudget) || maxBudget < 0) throw new Error(`GH-GATE-MAX-FAILON maxBudget ${maxBudget} is not a whole number of at least 0`);
    const defaultMax = props.failOn ?? GateSeverity.HIGH;
    super({
      id: 'GH-GATE-MAX-FAILON',
      severity: props.severity,
      message: `every gate fails on ${defaultMax} or stricter (per-category thresholds apply), with no budget above ${maxBudget} for those severities and findings without a severity counted as failing`,
      fix: 'lower the gate failOn to the threshold, remove the budgets of the severities it must fail on, and set unknownAs at or above failOn',
    });
    this.defaultMax = defaultMax;
    this.perCategory = new Map((props.categories ?? []).map((c) => [documentWord(c.category), c.failOn]));
    this.maxBudget = maxBudget;
  }

  public evaluate(document: PipelineDocument): PolicyViolationLocation[] {
    const out: PolicyViolationLocation[] = [];
    for (const { gate, path, categories } of gates(document.content)) {
      const relevant = categories.filter((c) => FINDING_CATEGORIES.includes(c));
      if (relevant.length === 0) continue;
      // the strictest threshold among the categories the gate decides over
      const max = relevant
        .map((c) => this.perCategory.get(c) ?? this.defaultMax)
        .reduce((a, b) => (FAIL_ON_ORDER.indexOf(a) <= FAIL_ON_ORDER.indexOf(b) ? a : b));
      if (FAIL_ON_ORDER.indexOf(gate.failOn) > FAIL_ON_ORDER.indexOf(max)) {
        out.push({ path: `${path}/failOn`, detail: `failOn ${gate.failOn} is weaker than ${max} (${relevant.join(', ')})` });
      }
      for (const [sev, n] of Object.entries(gate.budgets ?? {})) {
        if (n !== undefined && atOrAbove(sev, max) && n > this.maxBudget) {
          out.push({ path: `${path}/budgets/${sev}`, detail: `budget ${n} lets ${sev} findings through where the gate must fail on ${max}` });
        }
      }
      if (gate.failOn !== 'none' && !atOrAbove(gate.unknownAs, gate.failOn)) {
        out.push({ path: `${path}/unknownAs`, detail: `unknownAs ${gate.unknownAs} lets findings without a severity pass a gate that fails on ${gate.failOn}` });
      }
    }
    return out;
  }
}

/** Whether severity `a` is `b` or more severe (a threshold of `none` has nothing at or above it). */
function atOrAbove(a: string, b: string): boolean {
  const [ra, rb] = [severityRank(a), severityRank(b)];
  return ra >= 0 && rb >= 0 && ra <= rb;
}
