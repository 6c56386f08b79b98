import { FindingKind, JsonParser, Location, ParseContext, ParsedReport, RawFinding } from '../types';
import { cveId, cweId, Fields, isObject, lineNumber, uniqueOrUndefined, severityOfText } from './iac-json-fields';
import { Section } from './strict';

const FORMAT = 'gitlab-security-report';
const NAME = 'gitlab security report';
const FIX = 'give the security report as the analyzer wrote it (gl-*-report.json)';

/**
 * The top level of the published schemas (2.x to 15.x). The findings are `vulnerabilities`; a
 * schema ≤ 13 DAST report also carries the ZAP report it was made from, whose alerts GitLab already
 * turned into `vulnerabilities`.
 */
const REPORT: Section = {
  required: { version: 'string', vulnerabilities: 'array' },
  optional: { remediations: ['array', 'null'], scan: 'object', schema: 'string', dependency_files: ['array', 'null'] },
  tolerated: ['@generated', '@version', 'site', 'spider'],
};

/** Report types (`scan.type`, or `category` on each vulnerability in older schemas). */
const KINDS = new Map<string, FindingKind>([
  ['sast', 'code'],
  ['coverage_fuzzing', 'code'],
  ['dependency_scanning', 'vulnerability'],
  ['container_scanning', 'vulnerability'],
  ['cluster_image_scanning', 'vulnerability'],
  ['secret_detection', 'secret'],
  ['dast', 'dast'],
  ['api_fuzzing', 'dast'],
]);

/** Identifier types that name the same vulnerability in another database. */
const ALIAS_TYPES = new Set(['ghsa', 'osv', 'osvdb', 'pysec', 'usn', 'rhsa', 'elsa', 'dsa', 'dla', 'alas', 'go']);

/**
 * Signature algorithms of `tracking.items[].signatures` (`fingerprints` in some producers), most
 * precise first, as GitLab ranks them for vulnerability tracking.
 */
const SIGNATURE_PRIORITY = ['scope_offset_compressed', 'scope_offset', 'location', 'hash'];

interface Identifier {
  type: string;
  value: string;
  name?: string;
  url?: string;
}

function identifiersOf(vuln: Fields): Identifier[] {
  const ids = vuln.objects('identifiers', true).map((id) => ({
    type: id.reqString('type').toLowerCase(),
    value: id.reqString('value'),
    name: id.optString('name'),
    url: id.optString('url'),
  }));
  if (ids.length === 0) throw vuln.error('identifiers', 'is empty; the schema requires at least one (the first is the primary identifier)');
  return ids;
}

function trackingFingerprint(vuln: Fields): string | undefined {
  const tracking = vuln.optObject('tracking');
  if (!tracking) return undefined;
  const signatures: Array<{ algorithm: string; value: string }> = [];
  for (const item of tracking.objects('items', false)) {
    for (const key of ['signatures', 'fingerprints']) {
      for (const sig of item.objects(key, false)) {
        signatures.push({ algorithm: sig.reqString('algorithm'), value: sig.reqString('value') });
      }
    }
  }
  const rank = (a: string): number => {
    const i = SIGNATURE_PRIORITY.indexOf(a);
    return i < 0 ? SIGNATURE_PRIORITY.length : i;
  };
  const best = signatures.sort((a, b) => rank(a.algorithm) - rank(b.algorithm))[0];
  return best ? `${best.algorithm}:${best.value}` : undefined;
}

function locationOf(vuln: Fields, ecosystems: Map<string, string>): Location {
  const loc = vuln.reqObject('location');
  const dependency = loc.optObject('dependency');
  const file = loc.optString('file');
  const hostname = loc.optString('hostname');
  const path = loc.optString('path');
  const os = loc.optString('operating_system');
  return {
    file,
    line: lineNumber(loc.raw('start_line')),
    endLine: lineNumber(loc.raw('end_line')),
    package: dependency?.optObject('package')?.optString('name'),
    // The schema puts the version in `dependency`; GitLab's integration guide shows it beside it.
    version: dependency?.optString('version') ?? loc.optString('version'),
    ecosystem: os ? os.split(/[:\s]/)[0].toLowerCase() : file ? ecosystems.get(file) : undefined,
    target: loc.optString('image'),
    host: hostname,
    url: hostname !== undefined && path !== undefined ? `${hostname.replace(/\/$/, '')}/${path.replace(/^\//, '')}` : undefined,
  };
}

function scannerOf(fields: Fields | undefined): string | undefined {
  const id = fields?.optString('id') ?? fields?.optString('name');
  return id?.toLowerCase();
}

/**
 * GitLab security reports (SAST, dependency scanning, container scanning, secret detection, DAST,
 * API fuzzing, coverage fuzzing): `{version, scan: {scanner, type}, vulnerabilities: [...]}`.
 * Reports from before schema 14 have no `scan` and may name the type in each vulnerability's
 * `category`. Top-level keys of the published schema versions (2.x to 15.x), all accepted:
 * `version`, `vulnerabilities`, `remediations`, `scan`, `schema` (15.x), `dependency_files`
 * (dependency scanning up to 14.x); GitLab DAST reports up to schema 13 also carry the ZAP report
 * they were made from (`@generated`, `@version`, `site`, `spider`), which is not read twice: the
 * GitLab vulnerabilities are the findings.
 */
export const gitlabParser: JsonParser = {
  type: 'json',
  id: FORMAT,
  detect(doc: unknown): boolean {
    if (!isObject(doc) || typeof doc.version !== 'string' || !Array.isArray(doc.vulnerabilities)) return false;
    // CycloneDX has a numeric `version` and `bomFormat`; safety 2.x/3.x has `report_meta`.
    if ('bomFormat' in doc || 'report_meta' in doc) return false;
    if (isObject(doc.scan) || 'remediations' in doc || 'dependency_files' in doc) return true;
    const first: unknown = doc.vulnerabilities[0];
    return isObject(first) && Array.isArray(first.identifiers) && isObject(first.location);
  },
  parse(doc: unknown, ctx: ParseContext): ParsedReport {
    const report = Fields.of(ctx.file, NAME, '$', doc).check(REPORT, FIX);
    report.reqString('version');
    const scan = report.optObject('scan');
    const scanType = scan?.optString('type');
    const reportTool = scannerOf(scan?.optObject('scanner'));
    const ecosystems = new Map<string, string>();
    for (const depFile of report.objects('dependency_files', false)) {
      const path = depFile.optString('path');
      const manager = depFile.optString('package_manager');
      if (path && manager) ecosystems.set(path, manager.toLowerCase());
    }
    const findings: RawFinding[] = report.objects('vulnerabilities', true).map((vuln) => {
      const ids = identifiersOf(vuln);
      const type = scanType ?? vuln.optString('category');
      const location = locationOf(vuln, ecosystems);
      const kind: FindingKind =
        (type !== undefined ? KINDS.get(type) : undefined) ?? (location.package ? 'vulnerability' : location.host ? 'dast' : 'code');
      // `cve` on the vulnerability is a deprecated compare key, not always a CVE id: keep real ids only.
      const cves = uniqueOrUndefined([...ids.map((id) => cveId(id.value)), cveId(vuln.optString('cve'))]);
      const primary = ids[0];
      // `confidence` (and its `Ignore` value in old schemas) and `flags` are a scanner's own hints,
      // not a person's triage: such vulnerabilities stay findings (fail closed).
      const toolSeverity = vuln.optString('severity');
      // schema <= 13 DAST vulnerabilities have no name: their primary identifier names the ZAP rule
      const title = vuln.optString('name') ?? vuln.optString('message') ?? primary.name ?? primary.value;
      return {
        tool: reportTool ?? scannerOf(vuln.optObject('scanner')) ?? 'gitlab',
        kind,
        // The first identifier is the primary one; a package vulnerability is named by its CVE when it has one.
        ruleId: kind === 'vulnerability' && cves ? cves[0] : primary.value,
        title,
        // Critical | High | Medium | Low | Info | Unknown; a missing severity is unknown.
        severity: severityOfText(toolSeverity),
        toolSeverity,
        description: vuln.optString('description'),
        location,
        cves,
        aliases: uniqueOrUndefined(ids.filter((id) => ALIAS_TYPES.has(id.type)).map((id) => id.value)),
        cwes: uniqueOrUndefined(ids.filter((id) => id.type === 'cwe').map((id) => cweId(id.value))),
        toolFingerprint: trackingFingerprint(vuln),
        references: uniqueOrUndefined([
          ...vuln.objects('links', false).map((link) => link.optString('url')),
          ...ids.map((id) => id.url),
        ]),
      };
    });
    return { format: FORMAT, tool: reportTool ?? 'gitlab', findings };
  },
};
