import { fingerprintOf } from './fingerprint';
import { Finding, Location, RawFinding, SEVERITIES, Severity } from './types';

const KNOWN = new Set<string>(SEVERITIES);

/**
 * Fingerprints and deduplicates raw findings, within a report and across tools. Duplicates (same
 * fingerprint) become one finding that lists every tool that reported it and keeps the highest
 * severity any of them gave (a known severity wins over `unknown`); CVE, alias, CWE and reference
 * lists are merged, missing location fields and the fix version are filled from later reports.
 * The result is ordered most severe first, and within a severity as the reports gave the findings.
 */
export function normalizeFindings(raws: Iterable<RawFinding>): Finding[] {
  const list = Array.isArray(raws) ? (raws as readonly RawFinding[]) : [...raws];
  const byFingerprint = new Map<string, Finding>();
  for (let i = 0; i < list.length; i++) {
    const raw = list[i];
    const fingerprint = fingerprintOf(raw);
    const seen = byFingerprint.get(fingerprint);
    if (seen) merge(seen, raw);
    else byFingerprint.set(fingerprint, toFinding(raw, fingerprint));
  }
  // most severe first; within a severity, the order of the reports (stable, no comparison sort)
  const buckets: Finding[][] = SEVERITIES.map(() => []);
  for (const f of byFingerprint.values()) buckets[RANK[f.severity]].push(f);
  return ([] as Finding[]).concat(...buckets);
}

const RANK = Object.fromEntries(SEVERITIES.map((s, i) => [s, i])) as Record<Severity, number>;

/**
 * A finding with one fixed shape (every field present, in one order), whatever optional fields the
 * parser set: the gate and the outputs then read monomorphic objects, which keeps large reports fast.
 */
function toFinding(raw: RawFinding, fingerprint: string): Finding {
  const tool = String(raw.tool ?? 'unknown').toLowerCase();
  const l = raw.location ?? {};
  return {
    tool,
    kind: raw.kind,
    ruleId: raw.ruleId,
    title: raw.title,
    severity: KNOWN.has(raw.severity) ? raw.severity : 'unknown',
    toolSeverity: raw.toolSeverity,
    description: raw.description,
    location: {
      file: l.file,
      line: l.line,
      endLine: l.endLine,
      column: l.column,
      package: l.package,
      version: l.version,
      purl: l.purl,
      ecosystem: l.ecosystem,
      url: l.url,
      host: l.host,
      target: l.target,
    },
    cves: raw.cves,
    aliases: raw.aliases,
    cwes: raw.cwes,
    fixVersion: raw.fixVersion,
    cvss: raw.cvss,
    toolFingerprint: raw.toolFingerprint,
    references: raw.references,
    fingerprint,
    tools: [tool],
    status: 'open',
    statusReason: undefined,
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
  return RANK[a] < RANK[b];
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
