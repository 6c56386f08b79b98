import { severityFromCvss, severityFromText } from '../severity';
import { JsonParser, ParseContext, ParsedReport, RawFinding, Severity } from '../types';
import { finding } from './deps-finding';
import { packageTitle, splitIds } from './deps-ids';
import { JsonObject, Shape, isObject } from './deps-shape';
import { pickFixVersion } from './deps-version';
import { checkSection, Section } from './strict';

const FIX = 'produce it with `safety check --json` (safety 1.x/2.x) or `safety scan --output json` (safety 3.x)';

/**
 * safety JSON in its three shapes:
 * - safety 1.x `check --json`: an array of `[package, vulnerable_spec, installed_version, advisory, id, cvssv2?, cvssv3?]`;
 * - safety 2.x `check --json`: `{report_meta, scanned_packages, vulnerabilities[], ignored_vulnerabilities[], remediations}`,
 *   each vulnerability's `CVE` either the id or `{name, cvssv2, cvssv3}` (its scores stand in for a null `severity`);
 * - safety 3.x `scan --output json`: `{meta, scan_results: {projects[{files[]}], files[]}}`, each file's
 *   `results.dependencies[].specifications[].vulnerabilities.known_vulnerabilities[]`.
 * Rule ids are safety's own ids prefixed `PYUP-`; the CVE goes to `cves`.
 * Vulnerabilities safety marks ignored (2.x `ignored: true` or the separate `ignored_vulnerabilities`
 * list; 3.x a non-null `ignored` object) are findings too: safety ignores them because of a policy
 * file (`.safety-policy.yml`) or an `--ignore` the scanned repository controls, and only an approved
 * exemption may accept a finding. Their description says so.
 */
/** safety 2.x `check --json`: the findings are `vulnerabilities` and `ignored_vulnerabilities`. */
const REPORT_V2: Section = {
  required: { report_meta: 'object', vulnerabilities: 'array' },
  optional: {
    scanned_packages: 'object', affected_packages: 'object', announcements: ['array', 'null'], ignored_vulnerabilities: ['array', 'null'], remediations: 'object',
  },
};
/** safety 3.x `scan --output json`: the findings are under `scan_results`. */
const REPORT_V3: Section = { required: { meta: 'object', scan_results: 'object' } };
const SCAN_RESULTS: Section = { optional: { projects: ['array', 'null'], files: ['array', 'null'] } };
const PROJECT: Section = {
  optional: { id: 'string', location: 'string', policy: ['object', 'null'], upload_request_id: ['string', 'null'], files: ['array', 'null'] },
};
const FILE: Section = { optional: { type: 'string', location: 'string', categories: ['array', 'null'], results: ['object', 'null'] } };
const FILE_RESULTS: Section = { optional: { dependencies: ['array', 'null'] } };

const IGNORED = 'ignored by safety (a policy file or --ignore of the scanned repository), which the gate does not honour (request an exemption instead)';

export const safetyJson: JsonParser = {
  type: 'json',
  id: 'safety-json',
  detect(doc: unknown): boolean {
    if (Array.isArray(doc)) return doc.length > 0 && doc.every(isLegacyRow);
    if (!isObject(doc)) return false;
    if (isObject(doc.report_meta) && Array.isArray(doc.vulnerabilities)) return true;
    return isObject(doc.scan_results) && isObject(doc.meta);
  },
  /** safety 1.x writes `[]` when it finds nothing. */
  emptyReport: (doc: unknown): boolean => Array.isArray(doc) && doc.length === 0,
  parse(doc: unknown, ctx: ParseContext): ParsedReport {
    const shape = new Shape(ctx.file, 'safety json', FIX);
    let findings: RawFinding[];
    if (Array.isArray(doc)) {findings = doc.map((row, i) => legacyRow(row, `[${i}]`, shape));} else {
      const o = shape.obj(doc, 'the document');
      findings = 'scan_results' in o ? v3(o, shape, ctx.file) : v2(o, shape, ctx.file);
    }
    return { format: 'safety-json', tool: 'safety', findings };
  },
};

function isLegacyRow(row: unknown): boolean {
  return Array.isArray(row) && row.length >= 5 && row.length <= 7 && typeof row[0] === 'string' && typeof row[2] === 'string';
}

function legacyRow(row: unknown, p: string, shape: Shape): RawFinding {
  const r = shape.arr(row, p);
  if (r.length < 5) shape.fail(p, `must have 5 to 7 entries, got ${r.length}`);
  const name = shape.str(r[0], `${p}[0]`);
  const version = shape.str(r[2], `${p}[2]`);
  const advisory = shape.optStr(r[3], `${p}[3]`);
  const id = shape.id(r[4], `${p}[4]`);
  const cvss = scoreOf({ cvssv2: r[5], cvssv3: r[6] });
  return vulnFinding({ id, name, version, advisory, spec: shape.optStr(r[1], `${p}[1]`), ...cvss });
}

function v2(o: JsonObject, shape: Shape, file: string): RawFinding[] {
  checkSection(file, 'safety json', 'the document', o, REPORT_V2, FIX);
  const out: RawFinding[] = [];
  const seen = new Set<string>();
  const entries: Array<[unknown, string]> = [
    ...shape.arr(o.vulnerabilities, 'vulnerabilities').map((e, i): [unknown, string] => [e, `vulnerabilities[${i}]`]),
    ...shape.optArr(o.ignored_vulnerabilities, 'ignored_vulnerabilities').map((e, i): [unknown, string] => [e, `ignored_vulnerabilities[${i}]`]),
  ];
  entries.forEach(([entry, p]) => {
    const v = shape.obj(entry, p);
    const ignored = v.ignored === true || p.startsWith('ignored_');
    // an ignored vulnerability may be listed in both lists: one finding
    const key = JSON.stringify([v.vulnerability_id, v.package_name, v.analyzed_version]);
    if (seen.has(key)) return;
    seen.add(key);
    const version = shape.optStr(v.analyzed_version, p, 'analyzed_version');
    const sev = shape.optObj(v.severity, p, 'severity');
    // `CVE` is the id (older 2.x), or `{name, cvssv2, cvssv3}` (safety.models `Cve`), or null
    const cveObj = isObject(v.CVE) ? v.CVE : undefined;
    const cve = cveObj ? shape.optStr(cveObj.name, p, 'CVE.name') : shape.optStr(v.CVE, p, 'CVE');
    if (cveObj) {
      shape.optObj(cveObj.cvssv2, p, 'CVE.cvssv2');
      shape.optObj(cveObj.cvssv3, p, 'CVE.cvssv3');
    }
    out.push(
      vulnFinding({
        id: shape.id(v.vulnerability_id, p, 'vulnerability_id'),
        name: shape.str(v.package_name, p, 'package_name'),
        version,
        advisory: shape.optStr(v.advisory, p, 'advisory'),
        cve,
        spec: typeof v.vulnerable_spec === 'string' ? v.vulnerable_spec : shape.strList(v.vulnerable_spec, p, 'vulnerable_spec').join(','),
        fixVersion: pickFixVersion(version, shape.strList(v.fixed_versions, p, 'fixed_versions')),
        url: shape.optStr(v.more_info_url, p, 'more_info_url'),
        ignored,
        ...scoreOf(sev ?? cveObj ?? {}),
      }),
    );
  });
  return out;
}

function v3(o: JsonObject, shape: Shape, file: string): RawFinding[] {
  checkSection(file, 'safety json', 'the document', o, REPORT_V3, FIX);
  const results = shape.obj(o.scan_results, 'scan_results');
  checkSection(file, 'safety json', 'scan_results', results, SCAN_RESULTS, FIX);
  const out: RawFinding[] = [];
  const files: Array<[unknown, string]> = [];
  shape.optArr(results.projects, 'scan_results.projects').forEach((proj, i) => {
    const p = `scan_results.projects[${i}]`;
    const project = shape.obj(proj, p);
    checkSection(file, 'safety json', p, project, PROJECT, FIX);
    shape.optArr(project.files, p, 'files').forEach((f, j) => files.push([f, `${p}.files[${j}]`]));
  });
  shape.optArr(results.files, 'scan_results.files').forEach((f, j) => files.push([f, `scan_results.files[${j}]`]));
  for (const [entry, p] of files) {
    const scanned = shape.obj(entry, p);
    checkSection(file, 'safety json', p, scanned, FILE, FIX);
    const location = shape.optStr(scanned.location, p, 'location');
    const res = shape.optObj(scanned.results, p, 'results');
    if (res) checkSection(file, 'safety json', `${p}.results`, res, FILE_RESULTS, FIX);
    shape.optArr(res?.dependencies, p, 'results.dependencies').forEach((dep, i) => {
      const dp = `${p}.results.dependencies[${i}]`;
      const d = shape.obj(dep, dp);
      const name = shape.str(d.name, dp, 'name');
      shape.optArr(d.specifications, dp, 'specifications').forEach((spec, j) => {
        const sp = `${dp}.specifications[${j}]`;
        const s = shape.obj(spec, sp);
        const raw = shape.optStr(s.raw, sp, 'raw');
        const vulns = shape.optObj(s.vulnerabilities, sp, 'vulnerabilities');
        const remediation = shape.optObj(vulns?.remediation, sp, 'vulnerabilities.remediation');
        const recommended = shape.optStr(remediation?.recommended, sp, 'vulnerabilities.remediation.recommended');
        shape.optArr(vulns?.known_vulnerabilities, sp, 'vulnerabilities.known_vulnerabilities').forEach((kv, k) => {
          const vp = `${sp}.vulnerabilities.known_vulnerabilities[${k}]`;
          const v = shape.obj(kv, vp);
          const cve = shape.optObj(v.cve, vp, 'cve');
          out.push(
            vulnFinding({
              id: shape.id(v.id, vp, 'id'),
              name,
              version: pinnedVersion(raw),
              advisory: shape.optStr(cve?.advisory, vp, 'cve.advisory'),
              cve: shape.optStr(cve?.name, vp, 'cve.name'),
              spec: shape.optStr(v.vulnerable_spec, vp, 'vulnerable_spec'),
              fixVersion: recommended,
              file: location,
              ignored: v.ignored !== undefined && v.ignored !== null && v.ignored !== false,
              ...scoreOf(cve ?? {}),
            }),
          );
        });
      });
    });
  }
  return out;
}

interface SafetyVuln {
  id: string;
  name: string;
  version?: string;
  advisory?: string;
  cve?: string;
  spec?: string;
  fixVersion?: string;
  url?: string;
  file?: string;
  /** safety ignored it (policy file or `--ignore`). */
  ignored?: boolean;
  severity: Severity;
  toolSeverity?: string;
  cvss?: number;
}

function vulnFinding(v: SafetyVuln): RawFinding {
  const ruleId = `PYUP-${v.id}`;
  const ids = splitIds([v.cve], ruleId);
  return finding({
    tool: 'safety',
    kind: 'vulnerability',
    ruleId,
    title: packageTitle(ruleId, v.name, v.version),
    severity: v.severity,
    toolSeverity: v.toolSeverity,
    description: [v.advisory, v.spec ? `vulnerable versions: ${v.spec}` : undefined, v.ignored ? IGNORED : undefined].filter(Boolean).join('\n') || undefined,
    location: { package: v.name, version: v.version, ecosystem: 'pypi', file: v.file },
    cves: ids.cves,
    fixVersion: v.fixVersion,
    cvss: v.cvss,
    references: v.url ? [v.url] : undefined,
  });
}

/** Severity from safety's `cvssv3` (score, else its `base_severity`), else `cvssv2`; `unknown` without either. */
function scoreOf(sev: { cvssv2?: unknown; cvssv3?: unknown }): Pick<SafetyVuln, 'severity' | 'toolSeverity' | 'cvss'> {
  const c3 = isObject(sev.cvssv3) ? sev.cvssv3 : undefined;
  const c2 = isObject(sev.cvssv2) ? sev.cvssv2 : undefined;
  const score3 = typeof c3?.base_score === 'number' ? c3.base_score : undefined;
  const label = typeof c3?.base_severity === 'string' ? c3.base_severity : undefined;
  if (score3 !== undefined) return { severity: severityFromCvss(score3), toolSeverity: label, cvss: score3 };
  if (label) return { severity: severityFromText(label), toolSeverity: label };
  const score2 = typeof c2?.base_score === 'number' ? c2.base_score : undefined;
  if (score2 !== undefined) return { severity: severityFromCvss(score2), cvss: score2 };
  return { severity: 'unknown' };
}

/** `django==1.8.0` → `1.8.0`; unpinned specifications have no single installed version. */
function pinnedVersion(raw: string | undefined): string | undefined {
  const m = raw ? /===?\s*([^\s,;]+)\s*$/.exec(raw) : null;
  return m ? m[1] : undefined;
}
