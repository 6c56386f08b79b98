import { fingerprintOf } from './fingerprint';
import { severityRank } from './severity';
import { Finding, Location, RawFinding, SEVERITIES, Severity } from './types';

const KNOWN = new Set<string>(SEVERITIES);

/**
 * Fingerprints and deduplicates raw findings, within a report and across tools. Duplicates (same
 * fingerprint) become one finding that lists every tool that reported it and keeps the highest
 * severity any of them gave (a known severity wins over `unknown`); CVE, alias, CWE and reference
 * lists are merged, missing location fields and the fix version are filled from later reports.
 * The result is sorted: most severe first, then tool, rule and fingerprint.
 */
export function normalizeFindings(raws: Iterable<RawFinding>): Finding[] {
  const byFingerprint = new Map<string, Finding>();
  for (const raw of raws) {
    const fingerprint = fingerprintOf(raw);
    const seen = byFingerprint.get(fingerprint);
    if (seen) merge(seen, raw);
    else byFingerprint.set(fingerprint, toFinding(raw, fingerprint));
  }
  const out = [...byFingerprint.values()];
  out.sort(compareFindings);
  return out;
}

/** Most severe first, then tool, rule id, fingerprint. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(a.severity) - severityRank(b.severity) ||
    cmp(a.tool, b.tool) ||
    cmp(a.ruleId, b.ruleId) ||
    cmp(a.fingerprint, b.fingerprint)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function toFinding(raw: RawFinding, fingerprint: string): Finding {
  const tool = String(raw.tool ?? 'unknown').toLowerCase();
  return {
    ...raw,
    tool,
    severity: KNOWN.has(raw.severity) ? raw.severity : 'unknown',
    location: { ...(raw.location ?? {}) },
    fingerprint,
    tools: [tool],
    status: 'open',
  };
}

function merge(into: Finding, raw: RawFinding): void {
  const tool = String(raw.tool ?? 'unknown').toLowerCase();
  if (!into.tools.includes(tool)) {
    into.tools.push(tool);
    into.tools.sort();
  }
  const sev: Severity = KNOWN.has(raw.severity) ? raw.severity : 'unknown';
  if (higher(sev, into.severity)) {
    into.severity = sev;
    into.toolSeverity = raw.toolSeverity;
  }
  if (raw.cvss !== undefined && (into.cvss === undefined || raw.cvss > into.cvss)) into.cvss = raw.cvss;
  into.cves = union(into.cves, raw.cves);
  into.aliases = union(into.aliases, raw.aliases);
  into.cwes = union(into.cwes, raw.cwes);
  into.references = union(into.references, raw.references);
  if (!into.fixVersion && raw.fixVersion) into.fixVersion = raw.fixVersion;
  if (!into.description && raw.description) into.description = raw.description;
  fill(into.location, raw.location ?? {});
}

/** True when `a` is more severe than `b`; any known severity beats `unknown`. */
function higher(a: Severity, b: Severity): boolean {
  if (a === 'unknown') return false;
  if (b === 'unknown') return true;
  return severityRank(a) < severityRank(b);
}

function union(a: string[] | undefined, b: string[] | undefined): string[] | undefined {
  if (!b || b.length === 0) return a;
  if (!a || a.length === 0) return [...b];
  const out = [...a];
  for (const x of b) if (!out.includes(x)) out.push(x);
  return out;
}

function fill(into: Location, from: Location): void {
  for (const [k, v] of Object.entries(from) as Array<[keyof Location, never]>) {
    if (into[k] === undefined && v !== undefined) into[k] = v;
  }
}
