import { GateResult } from '../engine';
import { ExemptionOutcome } from '../exemption-match';
import { normPath } from '../fingerprint';
import { effectiveSeverity, GradedSeverity } from '../gate';
import { severityFromCvss } from '../severity';
import { Finding } from '../types';
import { joinChunks, jsonArray } from './chunks';

/** Default `security-severity` per severity band (what GitHub code scanning reads). */
const BAND_SCORE: Record<GradedSeverity, number> = { critical: 9.5, high: 8.0, medium: 5.5, low: 2.0, info: 0.0 };
const LEVEL: Record<GradedSeverity, 'error' | 'warning' | 'note' | 'none'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'none',
};

type Json = Record<string, unknown>;

/**
 * Merged SARIF 2.1.0: one run per tool (a finding several tools reported goes in the run of its
 * first tool and lists all of them in its properties), rules with `security-severity`, results with
 * `level`, `partialFingerprints["gatehouse/v1"]`, `baselineState` when a baseline was given, and
 * `suppressions` for exempted (accepted) and VEX-suppressed (accepted) findings and for findings an
 * expired or rejected exemption names (rejected: they stay open).
 */
export function* gateSarifChunks(r: GateResult): Generator<string> {
  const byTool = new Map<string, Finding[]>();
  for (const rep of r.reports) if (!byTool.has(rep.tool)) byTool.set(rep.tool, []);
  for (const f of r.findings) {
    const list = byTool.get(f.tool) ?? [];
    list.push(f);
    byTool.set(f.tool, list);
  }
  const refusedBy = refusals(r.exemptions);
  yield '{"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.1.0","runs":[';
  let first = true;
  for (const [tool, findings] of byTool) {
    if (!first) yield ',\n';
    first = false;
    yield* run(tool, findings, r, refusedBy);
  }
  const logProperties = {
    gatehouse: {
      verdict: r.decision.verdict,
      reasons: r.decision.reasons,
      allowFailure: r.options.allowFailure,
      exemptions: r.exemptions
        .filter((o) => o.state !== 'valid')
        .map((o) => ({ id: o.exemption.id, state: o.state, problems: o.problems, matched: o.matched })),
    },
  };
  yield `],"properties":${JSON.stringify(logProperties)}}\n`;
}

/** The merged SARIF log as an object (what `gateSarifChunks` writes, parsed back). */
export function gateSarif(r: GateResult): Json {
  return JSON.parse(joinChunks(gateSarifChunks(r)));
}

/** One run: rules first (collected in one pass), then the results, one per line. */
function* run(tool: string, findings: Finding[], r: GateResult, refusedBy: Map<string, string[]>): Generator<string> {
  const rules: Json[] = [];
  const ruleIndex = new Map<string, number>();
  const indexes: number[] = [];
  for (const f of findings) {
    const score = securitySeverity(f, effectiveSeverity(f, r.options.unknownAs));
    let idx = ruleIndex.get(f.ruleId);
    if (idx === undefined) {
      idx = rules.length;
      ruleIndex.set(f.ruleId, idx);
      rules.push(rule(f, score));
    } else {
      const props = rules[idx].properties as Json;
      if (Number(props['security-severity']) < score) props['security-severity'] = score.toFixed(1);
    }
    indexes.push(idx);
  }
  const version = r.reports.map((rep) => rep.toolVersions?.[tool]).find((v) => v !== undefined);
  yield `{"tool":{"driver":{"name":${JSON.stringify(tool)},${version ? `"version":${JSON.stringify(version)},` : ''}"rules":`;
  yield* jsonArray(rules, (x) => x);
  yield `}},"automationDetails":${JSON.stringify({ id: `gatehouse/${tool}/` })},"results":`;
  yield* jsonArray(findings, (f, i) => {
    const sev = effectiveSeverity(f, r.options.unknownAs);
    return result(f, indexes[i], sev, securitySeverity(f, sev), r, refusedBy.get(f.fingerprint));
  });
  yield '}';
}

function rule(f: Finding, score: number): Json {
  const help = (f.references ?? []).find((u) => /^https?:\/\/\S+$/.test(u));
  const tags = ['security', f.kind, ...(f.cwes ?? []).map((c) => `external/cwe/${c.toLowerCase()}`)];
  const out: Json = {
    id: f.ruleId,
    shortDescription: { text: oneLine(f.title || f.ruleId) },
    properties: { 'security-severity': score.toFixed(1), tags },
  };
  if (f.description) out.fullDescription = { text: f.description.slice(0, 4000) };
  if (help) out.helpUri = help;
  return out;
}

function result(f: Finding, ruleIndex: number, sev: GradedSeverity, score: number, r: GateResult, refused?: string[]): Json {
  const out: Json = {
    ruleId: f.ruleId,
    ruleIndex,
    kind: 'fail',
    level: LEVEL[sev],
    message: { text: message(f) },
    partialFingerprints: { 'gatehouse/v1': f.fingerprint },
    properties: properties(f, score, r.decision.failing.has(f.fingerprint)),
  };
  const locations = location(f);
  if (locations) out.locations = locations;
  if (r.baseline && (f.status === 'open' || f.status === 'existing')) out.baselineState = f.status === 'open' ? 'new' : 'unchanged';
  const suppressions: Json[] = [];
  if (f.status === 'exempted' || f.status === 'suppressed') {
    suppressions.push({ kind: 'external', status: 'accepted', justification: f.statusReason ?? f.status });
  }
  for (const why of refused ?? []) suppressions.push({ kind: 'external', status: 'rejected', justification: why });
  if (suppressions.length > 0) out.suppressions = suppressions;
  return out;
}

function properties(f: Finding, score: number, failsGate: boolean): Json {
  const p: Json = {
    'security-severity': score.toFixed(1),
    'severity': f.severity,
    'status': f.status,
    failsGate,
    'tools': f.tools,
  };
  if (f.toolSeverity) p.toolSeverity = f.toolSeverity;
  if (f.cves?.length) p.cves = f.cves;
  if (f.cwes?.length) p.cwes = f.cwes;
  if (f.fixVersion) p.fixVersion = f.fixVersion;
  if (f.location.package) p.package = f.location.package;
  if (f.location.version) p.version = f.location.version;
  if (f.location.purl) p.purl = f.location.purl;
  if (f.location.target) p.target = f.location.target;
  return p;
}

function securitySeverity(f: Finding, sev: GradedSeverity): number {
  if (typeof f.cvss === 'number' && f.severity !== 'unknown' && severityFromCvss(f.cvss) === sev) return f.cvss;
  return BAND_SCORE[sev];
}

function message(f: Finding): string {
  const where = f.location.package
    ? ` in ${f.location.package}${f.location.version ? `@${f.location.version}` : ''}`
    : f.location.url
      ? ` at ${f.location.url}`
      : f.location.host
        ? ` on ${f.location.host}`
        : '';
  const fix = f.fixVersion ? ` (fixed in ${f.fixVersion})` : '';
  return oneLine(`${f.title || f.ruleId}${where}${fix}`);
}

function location(f: Finding): Json[] | undefined {
  const loc = f.location;
  if (loc.file) {
    const region: Json = {};
    if (isLine(loc.line)) region.startLine = loc.line;
    if (isLine(loc.line) && isLine(loc.endLine) && loc.endLine >= loc.line) region.endLine = loc.endLine;
    if (isLine(loc.line) && isLine(loc.column)) region.startColumn = loc.column;
    const physicalLocation: Json = { artifactLocation: { uri: fileUri(loc.file) } };
    if (Object.keys(region).length > 0) physicalLocation.region = region;
    return [{ physicalLocation }];
  }
  if (loc.url) return [{ physicalLocation: { artifactLocation: { uri: encodeURI(safeDecode(loc.url)) } } }];
  const logical: Json[] = [];
  if (loc.package) {
    logical.push({ name: loc.package, fullyQualifiedName: `${loc.package}${loc.version ? `@${loc.version}` : ''}`, kind: 'module' });
  }
  if (loc.host || loc.target) logical.push({ name: loc.host ?? loc.target, kind: 'resource' });
  return logical.length > 0 ? [{ logicalLocations: logical }] : undefined;
}

function isLine(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1;
}

/** A relative file path as a URI reference (spaces and other characters percent-encoded). */
/**
 * A file as a SARIF `artifactLocation.uri`: a relative reference for a path in the repository, an
 * absolute `file:` URI for an absolute path (`/conf/aws.tf` in an image, `C:/src/x.cs`), which
 * SARIF requires to carry its scheme (SARIF1004).
 */
function fileUri(file: string): string {
  const path = normPath(file);
  const encoded = path
    .split('/')
    .map((seg) => encodeURIComponent(seg).replace(/%3A/gi, ':'))
    .join('/');
  if (path.startsWith('/')) return `file://${encoded}`;
  if (/^[A-Za-z]:\//.test(path)) return `file:///${encoded}`;
  return encoded;
}

function safeDecode(u: string): string {
  try {
    return decodeURI(u);
  } catch {
    return u;
  }
}

function oneLine(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > 1000 ? `${t.slice(0, 1000)}…` : t || '(no title)';
}

/** For each finding named by an expired or rejected exemption: why that exemption did not apply. */
function refusals(outcomes: readonly ExemptionOutcome[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const o of outcomes) {
    if (o.state === 'valid') continue;
    const why = `exemption ${o.exemption.id} ${o.state}: ${o.problems.join('; ')}`;
    for (const fp of o.matched) out.set(fp, [...(out.get(fp) ?? []), why]);
  }
  return out;
}
