import { severityFromCvss, severityFromText } from '../severity';
import { JsonParser, ParseContext, ParsedReport, RawFinding, Severity } from '../types';
import { cvssScoreFromVector } from './deps-cvss';
import { finding, maxScore, worst } from './deps-finding';
import { cweIds, oneLine, packageTitle, splitIds } from './deps-ids';
import { JsonObject, Shape, isObject } from './deps-shape';
import { pickFixVersion } from './deps-version';
import { checkSection, Section } from './strict';

const FIX = 'produce it with `osv-scanner --format json`';

/**
 * osv-scanner JSON: `{results: [{source{path,type}, packages: [{package{name,version,ecosystem}, vulnerabilities[], groups[]}]}]}`
 * where `vulnerabilities` are OSV records and `groups[].ids` says which records are one vulnerability
 * under several ids (e.g. a GHSA and its PYSEC twin). One finding per group (a record in no group is
 * its own group), so a vulnerability counts once per package, as osv-scanner's own table shows it.
 * Severity: the group's `max_severity` score when given; else the worst of the records' CVSS v3/v2
 * vectors (computed), else their `database_specific.severity` label, else `unknown`.
 */
/** One scanned source of an osv-scanner report. */
const SOURCE: Section = { required: { source: 'object', packages: 'array' } };
/** One package of a source: its vulnerabilities and their groups. */
const PACKAGE: Section = {
  required: { package: 'object' },
  optional: { vulnerabilities: ['array', 'null'], groups: ['array', 'null'], dependency_groups: ['array', 'null'], licenses: ['array', 'null'], license_violations: ['array', 'null'] },
};

export const osvScannerJson: JsonParser = {
  type: 'json',
  id: 'osv-scanner-json',
  detect(doc: unknown): boolean {
    if (!isObject(doc) || !Array.isArray(doc.results)) return false;
    const first = doc.results[0];
    if (first === undefined) return Object.keys(doc).every((k) => k === 'results' || k === 'experimental_config');
    return isObject(first) && isObject(first.source) && Array.isArray(first.packages);
  },
  parse(doc: unknown, ctx: ParseContext): ParsedReport {
    const shape = new Shape(ctx.file, 'osv-scanner json', FIX);
    const o = shape.obj(doc, 'the document');
    const findings: RawFinding[] = [];
    shape.arr(o.results, 'results').forEach((res, i) => {
      const p = `results[${i}]`;
      const r = shape.obj(res, p);
      checkSection(ctx.file, 'osv-scanner json', p, r, SOURCE, FIX);
      const source = shape.obj(r.source, p, 'source');
      const file = shape.optStr(source.path, p, 'source.path');
      shape.arr(r.packages, p, 'packages').forEach((pkg, j) => {
        const pp = `${p}.packages[${j}]`;
        const po = shape.obj(pkg, pp);
        checkSection(ctx.file, 'osv-scanner json', pp, po, PACKAGE, FIX);
        findings.push(...packageFindings(po, pp, file, shape));
      });
    });
    return { format: 'osv-scanner-json', tool: 'osv-scanner', findings };
  },
};

interface Group {
  ids: string[];
  aliases: string[];
  /** osv-scanner's `max_severity`: a score as text, `""` when unknown. */
  maxSeverity?: string;
}

interface PackageInfo {
  name?: string;
  version?: string;
  ecosystem?: string;
  file?: string;
}

function packageFindings(entry: JsonObject, p: string, file: string | undefined, shape: Shape): RawFinding[] {
  const pkg = shape.obj(entry.package, p, 'package');
  const info: PackageInfo = {
    name: shape.optStr(pkg.name, p, 'package.name'),
    version: shape.optStr(pkg.version, p, 'package.version') ?? shape.optStr(pkg.commit, p, 'package.commit'),
    ecosystem: shape.optStr(pkg.ecosystem, p, 'package.ecosystem'),
    file,
  };
  const records = new Map<string, JsonObject>();
  shape.arr(entry.vulnerabilities, p, 'vulnerabilities').forEach((v, i) => {
    const rec = shape.obj(v, `${p}.vulnerabilities[${i}]`);
    records.set(shape.str(rec.id, `${p}.vulnerabilities[${i}]`, 'id'), rec);
  });
  return groupsOf(entry, records, p, shape).map((g) =>
    groupFinding(
      g,
      g.ids.map((id) => records.get(id)!),
      info,
    ),
  );
}

/** The package's groups, each naming at least one of its records; a record in no group is its own group. */
function groupsOf(entry: JsonObject, records: Map<string, JsonObject>, p: string, shape: Shape): Group[] {
  const grouped = new Set<string>();
  const groups: Group[] = [];
  shape.optArr(entry.groups, p, 'groups').forEach((g, i) => {
    const gp = `${p}.groups[${i}]`;
    const group = shape.obj(g, gp);
    const ids = shape.strList(group.ids, gp, 'ids').filter((id) => records.has(id));
    if (ids.length === 0) shape.fail(gp, 'names no vulnerability of this package', 'ids');
    ids.forEach((id) => grouped.add(id));
    const max = group.max_severity;
    const maxSeverity = typeof max === 'number' ? String(max) : shape.optStr(max, gp, 'max_severity');
    groups.push({ ids, aliases: shape.strList(group.aliases, gp, 'aliases'), maxSeverity });
  });
  for (const id of records.keys()) if (!grouped.has(id)) groups.push({ ids: [id], aliases: [] });
  return groups;
}

function groupFinding(g: Group, recs: JsonObject[], pkg: PackageInfo): RawFinding {
  const ruleId = g.ids[0];
  const ids = splitIds([...g.ids, ...g.aliases, ...recs.flatMap((r) => strings(r.aliases))], ruleId);
  const scores = recs.map(recordScore);
  const labels = recs.map((r) => (isObject(r.database_specific) ? text(r.database_specific.severity) : undefined));
  const groupScore = g.maxSeverity?.trim() ? Number(g.maxSeverity) : NaN;
  const first = (key: string) => recs.map((r) => text(r[key])).find(Boolean);
  return finding({
    tool: 'osv-scanner',
    kind: 'vulnerability',
    ruleId,
    title: oneLine(first('summary')) ?? packageTitle(ruleId, pkg.name, pkg.version),
    severity: groupSeverity(groupScore, g.maxSeverity, scores, labels),
    toolSeverity: Number.isFinite(groupScore) ? g.maxSeverity : labels.find(Boolean),
    description: first('details'),
    location: { package: pkg.name, version: pkg.version, ecosystem: pkg.ecosystem, file: pkg.file },
    cves: ids.cves,
    aliases: ids.aliases,
    cwes: cweIds(recs.flatMap((r) => (isObject(r.database_specific) ? strings(r.database_specific.cwe_ids) : []))),
    fixVersion: pickFixVersion(pkg.version, recs.flatMap((r) => fixedVersions(r, pkg.name))),
    cvss: Number.isFinite(groupScore) ? groupScore : maxScore(scores),
    references: [...new Set(recs.flatMap(referenceUrls))],
  });
}

/** The group's `max_severity` score; else the worst computed CVSS score; else the worst label; else unknown. */
function groupSeverity(
  groupScore: number,
  maxSeverity: string | undefined,
  scores: Array<number | undefined>,
  labels: Array<string | undefined>,
): Severity {
  if (Number.isFinite(groupScore)) return severityFromCvss(groupScore);
  // `max_severity` is a score as text, or "" when osv-scanner does not know: anything else is unreadable
  if (maxSeverity?.trim()) return 'critical';
  if (scores.some((s) => s !== undefined)) return worst(scores.map((s) => (s === undefined ? 'unknown' : severityFromCvss(s))));
  return worst(labels.map((l) => severityFromText(l)));
}

function referenceUrls(rec: JsonObject): string[] {
  if (!Array.isArray(rec.references)) return [];
  return rec.references.map((ref) => (isObject(ref) ? text(ref.url) : undefined)).filter((u): u is string => u !== undefined);
}

/** Highest CVSS v3/v2 base score computed from an OSV record's `severity[].score` vectors. */
function recordScore(rec: JsonObject): number | undefined {
  if (!Array.isArray(rec.severity)) return undefined;
  return maxScore(rec.severity.map((s) => (isObject(s) && typeof s.score === 'string' ? cvssScoreFromVector(s.score) : undefined)));
}

/** `fixed` events of the record's ECOSYSTEM/SEMVER ranges for this package (GIT ranges fix commits, not versions). */
function fixedVersions(rec: JsonObject, name: string | undefined): string[] {
  if (!Array.isArray(rec.affected)) return [];
  const out: string[] = [];
  for (const a of rec.affected) {
    if (!isObject(a)) continue;
    const affectedName = isObject(a.package) && typeof a.package.name === 'string' ? a.package.name : undefined;
    if (name && affectedName && affectedName.toLowerCase() !== name.toLowerCase()) continue;
    for (const r of Array.isArray(a.ranges) ? a.ranges : []) {
      if (!isObject(r) || r.type === 'GIT' || !Array.isArray(r.events)) continue;
      for (const e of r.events) if (isObject(e) && typeof e.fixed === 'string') out.push(e.fixed);
    }
  }
  return out;
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}
