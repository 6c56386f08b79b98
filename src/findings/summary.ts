import { Finding, SEVERITIES, Severity } from './types';

/** Counts over normalized findings: the `summary` object of the CLI contract. */
export interface FindingsSummary {
  /** Number of distinct (deduplicated) findings. */
  total: number;
  /** Findings per severity; every severity is present, zero included. */
  bySeverity: Record<Severity, number>;
  /** Findings per tool; a finding reported by two tools counts once for each. */
  byTool: Record<string, number>;
}

/** A zero count for every severity. */
export function zeroBySeverity(): Record<Severity, number> {
  const out = {} as Record<Severity, number>;
  for (const s of SEVERITIES) out[s] = 0;
  return out;
}

/** Summarizes findings (every status counted). */
export function summarize(findings: readonly Finding[]): FindingsSummary {
  const bySeverity = zeroBySeverity();
  const byTool = new Map<string, number>();
  for (const f of findings) {
    bySeverity[f.severity]++;
    for (const t of f.tools) byTool.set(t, (byTool.get(t) ?? 0) + 1);
  }
  return { total: findings.length, bySeverity, byTool: toRecord(byTool) };
}

/** A plain object with sorted keys; safe for any key (a tool named `__proto__` included). */
export function toRecord(m: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of [...m.keys()].sort()) {
    Object.defineProperty(out, k, { value: m.get(k), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
