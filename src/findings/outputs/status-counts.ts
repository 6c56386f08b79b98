import { GateResult } from '../engine';
import { GateOptions } from '../gate';
import { FindingStatus, SEVERITIES, Severity } from '../types';

export const STATUSES: readonly FindingStatus[] = ['open', 'existing', 'exempted', 'suppressed'];

/** Findings per severity and status. */
export function countsBySeverityAndStatus(r: GateResult): Record<Severity, Record<FindingStatus, number>> {
  const out = {} as Record<Severity, Record<FindingStatus, number>>;
  for (const s of SEVERITIES) out[s] = { open: 0, existing: 0, exempted: 0, suppressed: 0 };
  for (const f of r.findings) out[f.severity][f.status]++;
  return out;
}

/** The policy in one line, e.g. `fail on high · budgets: high ≤ 2 · unknown counts as high`. */
export function policyLine(r: GateResult): string {
  return policyLineOf(r.options);
}

/** `policyLine` from the gate's options (as `gate --json` writes them). */
export function policyLineOf(o: GateOptions): string {
  const budgets = Object.entries(o.budgets)
    .filter(([, n]) => n !== undefined)
    .map(([s, n]) => `${s} ≤ ${n}`);
  const parts = [o.failOn === 'none' ? 'no severity threshold' : `fail on ${o.failOn} and above`];
  if (budgets.length) parts.push(`budgets: ${budgets.join(', ')}`);
  parts.push(`unknown counts as ${o.unknownAs}`);
  if (o.newOnly) parts.push('new findings only');
  if (o.allowFailure) parts.push('failure allowed');
  return parts.join(' · ');
}
