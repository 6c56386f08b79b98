import picomatch from 'picomatch';
import { ExemptionDecision } from './exemption-rules';
import { Exemption } from './exemptions';
import { normPath } from './fingerprint';
import { Finding } from './types';

/** An exemption decision and the findings it matches (whether or not it applies). */
export interface ExemptionOutcome extends ExemptionDecision {
  /** Fingerprints of the findings it matches. */
  readonly matched: string[];
}

/** A predicate telling whether an exemption names a finding. */
export function exemptionMatcher(e: Exemption): (f: Finding) => boolean {
  const glob = e.path ? picomatch(normPath(e.path), { dot: true }) : undefined;
  const rule = e.rule?.trim().toUpperCase();
  const pkg = e.package?.trim().toLowerCase();
  return (f) => {
    if (!e.fingerprint && !rule) return false;
    if (e.fingerprint && f.fingerprint !== e.fingerprint) return false;
    if (rule && !ids(f).includes(rule)) return false;
    if (e.tool && !f.tools.includes(e.tool)) return false;
    if (pkg && (f.location.package ?? '').trim().toLowerCase() !== pkg) return false;
    if (glob) {
      const file = normPath(f.location.file);
      if (!file || !glob(file)) return false;
    }
    return true;
  };
}

function ids(f: Finding): string[] {
  return [f.ruleId, ...(f.cves ?? []), ...(f.aliases ?? [])].map((s) => s.trim().toUpperCase());
}

/**
 * Marks findings named by a valid exemption as `exempted` (the first valid one in file order wins)
 * and records, for every exemption, which findings it matches: expired and rejected exemptions
 * keep their findings open, and the outputs say which findings they would have covered.
 * Findings already suppressed (VEX) are left alone.
 */
export function applyExemptions(findings: Finding[], decisions: readonly ExemptionDecision[]): ExemptionOutcome[] {
  const outcomes = decisions.map((d) => ({ ...d, matched: [] as string[], test: exemptionMatcher(d.exemption) }));
  for (const f of findings) {
    if (f.status === 'suppressed') continue;
    for (const o of outcomes) {
      if (!o.test(f)) continue;
      o.matched.push(f.fingerprint);
      if (o.state === 'valid' && f.status !== 'exempted') {
        f.status = 'exempted';
        f.statusReason = `exemption ${o.exemption.id}: ${o.exemption.reason} (approved by ${o.exemption.approvedBy}, expires ${o.exemption.expires})`;
      }
    }
  }
  return outcomes.map(({ test: _test, ...o }) => o);
}
