import { severityField, severityFromText } from '../severity';
import { JsonParser, ParseContext, ParsedReport, RawFinding, ReportError } from '../types';
import { finding } from './deps-finding';
import { cweIds, splitIds } from './deps-ids';
import { JsonObject, Shape, isObject } from './deps-shape';
import { checkSection, Section } from './strict';

const FIX = 'produce it with `npm audit --json`';
const GHSA = /GHSA(?:-[23456789cfghjmpqrvwx]{4}){3}/;

/** npm 7+ (`auditReportVersion` 2): the findings are the packages of `vulnerabilities`. */
const NPM7: Section = {
  required: { auditReportVersion: 'number', vulnerabilities: 'object' },
  optional: { metadata: 'object' },
};
/** One package of an npm 7+ report: its own advisories are the objects of `via`. */
const NPM7_PACKAGE: Section = {
  required: { via: 'array' },
  optional: { name: 'string', severity: 'string', isDirect: 'boolean', range: 'string', nodes: 'array', effects: 'array', fixAvailable: ['boolean', 'object'] },
};
/** npm 6: the findings are the advisories of `advisories`. */
const NPM6: Section = {
  required: { advisories: 'object', metadata: 'object' },
  optional: { actions: 'array', muted: 'array', runId: 'string' },
};
/** One npm 6 advisory: its installed versions are `findings`. */
const NPM6_ADVISORY: Section = {
  required: { module_name: 'string', findings: 'array' },
  optional: { id: ['number', 'string'], cves: ['array', 'null'], cwe: ['string', 'array', 'null'], github_advisory_id: ['string', 'null'] },
  tolerated: ['found_by', 'reported_by', 'metadata'],
};

/**
 * npm audit JSON, one finding per advisory × vulnerable package (× installed version for npm 6):
 * - npm 7+ (`auditReportVersion` 2): `vulnerabilities{<name>: {severity, via[], range, nodes[], fixAvailable}}`.
 *   `via` holds advisory objects for the package's own advisories and plain package names for the
 *   dependencies it is vulnerable through; those names are the same advisory seen along the chain,
 *   so they make no finding of their own.
 * - npm 6: `advisories{<id>: {module_name, severity, cves[], cwe, findings[{version, paths[]}]}}`.
 * npm's error object (`{error: {summary, detail}}`, e.g. when the registry refuses the audit
 * endpoint) is rejected: an audit that did not run is not a clean audit.
 */
export const npmAuditJson: JsonParser = {
  type: 'json',
  id: 'npm-audit-json',
  detect(doc: unknown): boolean {
    if (!isObject(doc)) return false;
    if (typeof doc.auditReportVersion === 'number' && isObject(doc.vulnerabilities)) return true;
    if (isObject(doc.advisories) && isObject(doc.metadata) && ('actions' in doc || 'muted' in doc)) return true;
    return isNpmError(doc);
  },
  parse(doc: unknown, ctx: ParseContext): ParsedReport {
    const shape = new Shape(ctx.file, 'npm audit json', FIX);
    const o = shape.obj(doc, 'the document');
    if (isNpmError(o)) {
      const e = o.error as JsonObject;
      const why = String(e.summary).trim() || String(e.code ?? 'unknown error');
      throw new ReportError(ctx.file, `npm audit json: the audit did not run (${why}); fix the registry access and run \`npm audit --json\` again`);
    }
    const npm7Report = 'auditReportVersion' in o;
    checkSection(ctx.file, 'npm audit json', 'the document', o, npm7Report ? NPM7 : NPM6, FIX);
    const findings = npm7Report ? npm7(o, shape, ctx.file) : npm6(o, shape, ctx.file);
    return { format: 'npm-audit-json', tool: 'npm-audit', findings };
  },
};

function isNpmError(doc: JsonObject): boolean {
  const e = doc.error;
  return isObject(e) && typeof e.summary === 'string' && ('detail' in e || 'code' in e) && !('vulnerabilities' in doc) && !('advisories' in doc);
}

function npm7(o: JsonObject, shape: Shape, file: string): RawFinding[] {
  const out: RawFinding[] = [];
  const vulns = shape.obj(o.vulnerabilities, 'vulnerabilities');
  for (const [key, entry] of Object.entries(vulns)) {
    const p = `vulnerabilities[${JSON.stringify(key)}]`;
    const v = shape.obj(entry, p);
    checkSection(file, 'npm audit json', p, v, NPM7_PACKAGE, FIX);
    const pkg = shape.optStr(v.name, p, 'name') ?? key;
    const seen = new Set<string>();
    shape.arr(v.via, p, 'via').forEach((via, i) => {
      if (typeof via === 'string') return; // vulnerable through dependency `via`: reported under that package
      const a = shape.obj(via, `${p}.via[${i}]`);
      const source = shape.id(a.source, `${p}.via[${i}].source`);
      const url = shape.optStr(a.url, `${p}.via[${i}].url`);
      const advisoryPkg = shape.optStr(a.name, `${p}.via[${i}].name`) ?? pkg;
      if (seen.has(`${source}|${advisoryPkg}`)) return;
      seen.add(`${source}|${advisoryPkg}`);
      const ruleId = GHSA.exec(url ?? '')?.[0] ?? `NPM-${source}`;
      const severity = severityField(a.severity);
      const cvss = shape.optObj(a.cvss, `${p}.via[${i}].cvss`);
      const score = shape.optNum(cvss?.score, `${p}.via[${i}].cvss.score`);
      out.push(
        finding({
          tool: 'npm-audit',
          kind: 'vulnerability',
          ruleId,
          title: shape.optStr(a.title, `${p}.via[${i}].title`) ?? ruleId,
          severity: severityFromText(severity),
          toolSeverity: severity,
          description: rangeText(shape.optStr(a.range, `${p}.via[${i}].range`)),
          location: { package: advisoryPkg, ecosystem: 'npm', file: firstNode(v.nodes) },
          aliases: ruleId === `NPM-${source}` ? undefined : [`NPM-${source}`],
          cwes: cweIds(shape.optArr(a.cwe, `${p}.via[${i}].cwe`)),
          fixVersion: fixOf(v.fixAvailable, advisoryPkg),
          cvss: score && score > 0 ? score : undefined,
          references: url ? [url] : undefined,
        }),
      );
    });
  }
  return out;
}

function npm6(o: JsonObject, shape: Shape, file: string): RawFinding[] {
  const out: RawFinding[] = [];
  for (const [key, entry] of Object.entries(shape.obj(o.advisories, 'advisories'))) {
    const p = `advisories[${JSON.stringify(key)}]`;
    const a = shape.obj(entry, p);
    checkSection(file, 'npm audit json', p, a, NPM6_ADVISORY, FIX);
    const id = shape.id(a.id, p, 'id');
    const pkg = shape.str(a.module_name, p, 'module_name');
    const url = shape.optStr(a.url, p, 'url');
    const ghsa = shape.optStr(a.github_advisory_id, p, 'github_advisory_id') ?? GHSA.exec(url ?? '')?.[0];
    const cves = shape.strList(a.cves, p, 'cves');
    const ruleId = ghsa ?? (cves.length === 1 ? cves[0].toUpperCase() : `NPM-${id}`);
    const ids = splitIds([ruleId, ...cves, `NPM-${id}`], ruleId);
    const severity = severityField(a.severity);
    const cwe = typeof a.cwe === 'string' ? [a.cwe] : shape.optArr(a.cwe, p, 'cwe');
    const patched = shape.optStr(a.patched_versions, p, 'patched_versions');
    const versions = new Set<string>();
    shape.arr(a.findings, p, 'findings').forEach((f, i) => {
      const version = shape.str(shape.obj(f, `${p}.findings[${i}]`).version, `${p}.findings[${i}].version`);
      if (versions.has(version)) return;
      versions.add(version);
      out.push(
        finding({
          tool: 'npm-audit',
          kind: 'vulnerability',
          ruleId,
          title: shape.optStr(a.title, p, 'title') ?? ruleId,
          severity: severityFromText(severity),
          toolSeverity: severity,
          description: shape.optStr(a.overview, p, 'overview')?.trim(),
          location: { package: pkg, version, ecosystem: 'npm' },
          cves: ids.cves,
          aliases: ids.aliases,
          cwes: cweIds(cwe),
          fixVersion: patched && patched !== '<0.0.0' ? patched : undefined,
          references: url ? [url] : undefined,
        }),
      );
    });
  }
  return out;
}

/** `fixAvailable` is `true`, `false` or `{name, version, isSemVerMajor}` (the upgrade that fixes it). */
function fixOf(fix: unknown, pkg: string): string | undefined {
  if (!isObject(fix) || typeof fix.version !== 'string') return undefined;
  const major = fix.isSemVerMajor === true ? ' (semver major)' : '';
  return fix.name === pkg ? `${fix.version}${major}` : `${String(fix.name)}@${fix.version}${major}`;
}

function firstNode(nodes: unknown): string | undefined {
  return Array.isArray(nodes) && typeof nodes[0] === 'string' ? nodes[0] : undefined;
}

function rangeText(range: string | undefined): string | undefined {
  return range ? `vulnerable versions: ${range}` : undefined;
}
