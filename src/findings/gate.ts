import { UsageError } from './errors';
import { severityRank } from './severity';
import { Finding } from './types';
import { GRADED_SEVERITIES, GradedLadderSeverity } from '../core/severity';

/** A severity a gate can count in: every severity but `unknown` (which counts as one of these). */
export type GradedSeverity = GradedLadderSeverity;
export const GRADED: readonly GradedSeverity[] = GRADED_SEVERITIES;

/** The threshold: fail when a counted finding is at or above it; `none` never fails on severity. */
export type FailOn = GradedSeverity | 'none';

/** How the gate decides. */
export interface GateOptions {
  /** @default 'high' */
  readonly failOn: FailOn;
  /** Maximum counted findings per severity; a severity without a budget follows `failOn`. */
  readonly budgets: Partial<Record<GradedSeverity, number>>;
  /** Severity that `unknown` findings count as. @default 'high' (fail closed) */
  readonly unknownAs: GradedSeverity;
  /** Count only new findings (not `existing` in the baseline). @default false */
  readonly newOnly: boolean;
  /** Report a failed gate but exit 0; the verdict still says FAILED. @default false */
  readonly allowFailure: boolean;
}

export const DEFAULT_GATE_OPTIONS: GateOptions = {
  failOn: 'high',
  budgets: {},
  unknownAs: 'high',
  newOnly: false,
  allowFailure: false,
};

/** The check of one severity. */
export interface SeverityCheck {
  readonly severity: GradedSeverity;
  /** Counted findings of this (effective) severity. */
  readonly count: number;
  /** Most allowed; undefined: unlimited. */
  readonly limit?: number;
  /** Where the limit comes from. */
  readonly limitFrom: 'budget' | 'failOn' | 'none';
  readonly exceeded: boolean;
}

/** The verdict. */
export interface GateDecision {
  readonly passed: boolean;
  readonly verdict: 'PASSED' | 'FAILED';
  /** 0 when passed or when failure is allowed; 1 when the gate failed. */
  readonly exitCode: 0 | 1;
  /** One line per exceeded check. */
  readonly reasons: string[];
  readonly checks: SeverityCheck[];
  /** Fingerprints of the findings that make the gate fail (every counted finding of an exceeded severity). */
  readonly failing: ReadonlySet<string>;
}

/** The severity a finding counts as: its own, or `unknownAs` when unknown. */
export function effectiveSeverity(f: Pick<Finding, 'severity'>, unknownAs: GradedSeverity): GradedSeverity {
  return f.severity === 'unknown' ? unknownAs : f.severity;
}

/** True when a finding counts toward the gate: open, or existing unless only new findings count. */
export function isCounted(f: Pick<Finding, 'status'>, newOnly: boolean): boolean {
  return f.status === 'open' || (f.status === 'existing' && !newOnly);
}

/**
 * Decides the gate. For each severity the limit is its budget when one is given, else 0 when the
 * severity is at or above `failOn`, else unlimited; the gate fails when any severity's count of
 * counted findings exceeds its limit. Exempted and suppressed findings never count; existing
 * (baseline) findings count unless `newOnly`.
 */
export function decideGate(findings: readonly Finding[], options: GateOptions): GateDecision {
  const counted = new Map<GradedSeverity, Finding[]>(GRADED.map((s) => [s, []]));
  for (const f of findings) {
    if (isCounted(f, options.newOnly)) counted.get(effectiveSeverity(f, options.unknownAs))!.push(f);
  }
  const checks: SeverityCheck[] = [];
  const reasons: string[] = [];
  const failing = new Set<string>();
  for (const severity of GRADED) {
    const list = counted.get(severity)!;
    const budget = options.budgets[severity];
    let limit: number | undefined;
    let limitFrom: SeverityCheck['limitFrom'] = 'none';
    if (budget !== undefined) {
      limit = budget;
      limitFrom = 'budget';
    } else if (options.failOn !== 'none' && severityRank(severity) <= severityRank(options.failOn)) {
      limit = 0;
      limitFrom = 'failOn';
    }
    const exceeded = limit !== undefined && list.length > limit;
    checks.push({ severity, count: list.length, limit, limitFrom, exceeded });
    if (!exceeded) continue;
    for (const f of list) failing.add(f.fingerprint);
    const unknowns = list.filter((f) => f.severity === 'unknown').length;
    const what =
      `${list.length} ${options.newOnly ? 'new ' : ''}${severity} finding${list.length === 1 ? '' : 's'}` +
      (unknowns > 0 ? ` (${unknowns} of unknown severity, counted as ${severity})` : '');
    reasons.push(
      limitFrom === 'budget'
        ? `${what} exceed${list.length === 1 ? 's' : ''} the budget of ${limit} (--max-${severity})`
        : `${what} at or above --fail-on ${options.failOn}`,
    );
  }
  const passed = reasons.length === 0;
  return {
    passed,
    verdict: passed ? 'PASSED' : 'FAILED',
    exitCode: passed || options.allowFailure ? 0 : 1,
    reasons,
    checks,
    failing,
  };
}

/** Parses a `--fail-on` value. */
export function parseFailOn(value: string): FailOn {
  const v = value.trim().toLowerCase();
  if (v === 'none' || (GRADED as readonly string[]).includes(v)) return v as FailOn;
  throw new UsageError(`--fail-on "${value}" is not a severity: use one of critical, high, medium, low, info, none`);
}

/** Parses a `--unknown-as` value (no `none`: unknown findings must count as something). */
export function parseGradedSeverity(value: string, option: string): GradedSeverity {
  const v = value.trim().toLowerCase();
  if ((GRADED as readonly string[]).includes(v)) return v as GradedSeverity;
  throw new UsageError(`${option} "${value}" is not a severity: use one of critical, high, medium, low, info`);
}

/** Parses a budget (`--max-high 2`): a whole number of at least 0. */
export function parseBudget(value: string, option: string): number {
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`${option} "${value}" is not a whole number of at least 0`);
  return Number(value.trim());
}
