import { severityField, severityFromText } from '../severity';
import { Location, RawFinding } from '../types';
import { finding, maxScore } from './deps-finding';
import { cweIds, distinct, packageTitle, splitIds } from './deps-ids';
import { ItemPath, JsonObject, Shape, isObject } from './deps-shape';
import { pickFixVersion, splitVersionList } from './deps-version';
import { Section } from './strict';

/**
 * What one trivy `Results[]` entry may hold (trivy's `types.Result`): a `Target`, and its findings
 * only under trivy's own keys. A key trivy does not write that holds a list (`vulnerabilities`,
 * `Vulns`) is bad input, never skipped.
 */
export const TRIVY_RESULT: Section = {
  required: { Target: 'string' },
  optional: {
    Class: 'string',
    Type: 'string',
    Packages: ['array', 'null'],
    Vulnerabilities: ['array', 'null'],
    MisconfSummary: ['object', 'null'],
    Misconfigurations: ['array', 'null'],
    Secrets: ['array', 'null'],
    Licenses: ['array', 'null'],
    CustomResources: ['array', 'null'],
    ExperimentalModifiedFindings: ['array', 'null'],
  },
};

/** Where a trivy `Results[]` entry sits: the scanned artifact and, in Kubernetes reports, the resource. */
export interface TrivyScope {
  /** `ArtifactName` (image, directory, repository) of the report. */
  artifact?: string;
  /** Kubernetes resource as `namespace/Kind/name` (or `Kind/name` when cluster-scoped). */
  resource?: string;
}

/**
 * Vulnerability statuses (trivy docs, "Filtering → By Status") that are not open findings.
 * Only `not_affected`: the vendor says this package is not affected on this platform.
 * `fixed` stays open on purpose: in trivy it means "a fixed version has been released" while the
 * installed version is still vulnerable (`--ignore-unfixed` shows only `fixed` ones), so it is the
 * most actionable status there is. Every other or unknown status stays open: fail closed.
 */
const NOT_OPEN_VULN_STATUSES = new Set(['not_affected']);

/**
 * Misconfiguration statuses that are not findings: `PASS` (a check that passed, present with
 * `--include-non-failures`) and `EXCEPTION` (excepted by the user's own trivy exception policy, a
 * tool-side suppression like an accepted SARIF suppression). Anything else is treated as a failure.
 */
const NOT_OPEN_MISCONF_STATUSES = new Set(['PASS', 'EXCEPTION']);

/**
 * Normalizes one `Results[]` entry of a trivy JSON report (any schema version). Its findings are
 * appended to `out` when given (no intermediate list: a result can hold tens of thousands).
 */
export function trivyResultFindings(result: unknown, path: string, scope: TrivyScope, shape: Shape, out: RawFinding[] = []): RawFinding[] {
  const r = shape.obj(result, path);
  const target = shape.str(r.Target, path, 'Target');
  const cls = shape.optStr(r.Class, path, 'Class');
  const type = shape.optStr(r.Type, path, 'Type');
  // Config and secret targets are files (or, in Kubernetes reports, resources such as `Service/web`,
  // qualified with the namespace so that two namespaces' resources stay two findings).
  const file = scope.resource ?? target;
  // Packages sit in an artifact: the scanned image/directory, or in Kubernetes reports the image the
  // result names (one vulnerable image used by several workloads is one thing to fix).
  const artifact = scope.resource ? target : scope.artifact;

  const vulns = shape.optArr(r.Vulnerabilities, path, 'Vulnerabilities');
  if (vulns.length > 0) {
    const where: VulnerabilityWhere = {
      list: `${path}.Vulnerabilities`,
      // OS packages live in the image, not in a file; language packages in their lock/manifest file.
      file: cls !== 'os-pkgs' && !scope.resource ? target : undefined,
      ecosystem: type,
      target: artifact ?? (cls === 'os-pkgs' ? target : undefined),
    };
    for (let i = 0; i < vulns.length; i++) {
      const f = vulnerability(vulns[i], i, where, shape);
      if (f) out.push(f);
    }
  }

  shape.optArr(r.Misconfigurations, path, 'Misconfigurations').forEach((m, i) => {
    const f = misconfiguration(shape.obj(m, `${path}.Misconfigurations[${i}]`), `${path}.Misconfigurations[${i}]`, shape);
    if (f) out.push(finding({ ...f, location: { ...f.location, file, target: scope.artifact } }));
  });

  shape.optArr(r.Secrets, path, 'Secrets').forEach((s, i) => {
    const p = `${path}.Secrets[${i}]`;
    const o = shape.obj(s, p);
    const ruleId = shape.str(o.RuleID, p, 'RuleID');
    const severity = severityField(o.Severity);
    // `Match` holds the (masked) secret line: it is deliberately not copied into the finding.
    out.push(
      finding({
        tool: 'trivy',
        kind: 'secret',
        ruleId,
        title: shape.optStr(o.Title, p, 'Title') ?? ruleId,
        severity: severityFromText(severity),
        toolSeverity: severity,
        description: shape.optStr(o.Category, p, 'Category'),
        location: {
          file,
          line: positive(shape.optNum(o.StartLine, p, 'StartLine')),
          endLine: positive(shape.optNum(o.EndLine, p, 'EndLine')),
          target: scope.artifact,
        },
      }),
    );
  });

  shape.optArr(r.Licenses, path, 'Licenses').forEach((l, i) => {
    const p = `${path}.Licenses[${i}]`;
    const o = shape.obj(l, p);
    const name = shape.str(o.Name, p, 'Name');
    const pkg = shape.optStr(o.PkgName, p, 'PkgName');
    const category = shape.optStr(o.Category, p, 'Category');
    const severity = severityField(o.Severity);
    out.push(
      finding({
        tool: 'trivy',
        kind: 'other',
        ruleId: name,
        title: `license ${name}${category ? ` (${category})` : ''}${pkg ? ` in ${pkg}` : ''}`,
        severity: severityFromText(severity),
        toolSeverity: severity,
        location: { file: shape.optStr(o.FilePath, p, 'FilePath') ?? file, package: pkg, target: scope.artifact },
        references: linkList(shape.optStr(o.Link, p, 'Link')),
      }),
    );
  });
  return out;
}

/** What the vulnerabilities of one result share: their list's path and the location fields the result gives. */
interface VulnerabilityWhere {
  readonly list: string;
  /** The file when the vulnerability names none (`PkgPath`). */
  readonly file: string | undefined;
  readonly ecosystem: string | undefined;
  readonly target: string | undefined;
}

/**
 * One vulnerability as a finding, built directly in its final form: no `undefined` field, no empty
 * list (as `finding` would leave it), the fields in the order `finding` gives. Its path is composed
 * only when a field is bad (a 100 MB report holds tens of thousands of vulnerabilities).
 */
function vulnerability(item: unknown, i: number, where: VulnerabilityWhere, shape: Shape): RawFinding | undefined {
  const path = new ItemPath(where.list, i);
  const v = shape.obj(item, path);
  const ruleId = shape.str(v.VulnerabilityID, path, 'VulnerabilityID');
  const status = shape.optStr(v.Status, path, 'Status');
  if (status && NOT_OPEN_VULN_STATUSES.has(status)) return undefined;
  const pkg = shape.str(v.PkgName, path, 'PkgName');
  const version = shape.optStr(v.InstalledVersion, path, 'InstalledVersion');
  const severity = severityField(v.Severity);
  const ident = shape.optObj(v.PkgIdentifier, path, 'PkgIdentifier');
  const vendorIds = shape.strItems(v.VendorIDs, path, 'VendorIDs');
  const ids = splitIds(vendorIds.length === 0 ? [ruleId] : [ruleId, ...vendorIds], ruleId);
  const title = shape.optStr(v.Title, path, 'Title') ?? packageTitle(ruleId, pkg, version);
  const description = shape.optStr(v.Description, path, 'Description');
  const purl = shape.optStr(ident?.PURL, path, 'PkgIdentifier.PURL');
  const file = shape.optStr(v.PkgPath, path, 'PkgPath') ?? where.file;
  const cwes = cweIds(shape.strItems(v.CweIDs, path, 'CweIDs'));
  const fixVersion = pickFixVersion(version, splitVersionList(shape.optStr(v.FixedVersion, path, 'FixedVersion')));
  const cvss = cvssOf(v, shape.optStr(v.SeveritySource, path, 'SeveritySource'));
  const references = linkList(shape.optStr(v.PrimaryURL, path, 'PrimaryURL'), shape.strItems(v.References, path, 'References'));

  const location: Location = { package: pkg };
  if (version !== undefined) location.version = version;
  if (purl !== undefined) location.purl = purl;
  if (file !== undefined) location.file = file;
  if (where.ecosystem !== undefined) location.ecosystem = where.ecosystem;
  if (where.target !== undefined) location.target = where.target;
  // the location is set after the optional fields that precede it
  const f = { tool: 'trivy', kind: 'vulnerability', ruleId, title, severity: severityFromText(severity) } as RawFinding;
  if (severity !== undefined) f.toolSeverity = severity;
  if (description !== undefined) f.description = description;
  f.location = location;
  if (ids.cves.length > 0) f.cves = ids.cves;
  if (ids.aliases.length > 0) f.aliases = ids.aliases;
  if (cwes.length > 0) f.cwes = cwes;
  if (fixVersion !== undefined) f.fixVersion = fixVersion;
  if (cvss !== undefined) f.cvss = cvss;
  if (references.length > 0) f.references = references;
  return f;
}

/** The CVSS score from the source trivy took the severity from, else the highest v3/v4 score given. */
function cvssOf(v: JsonObject, source: string | undefined): number | undefined {
  if (!isObject(v.CVSS)) return undefined;
  const score = (entry: unknown): number | undefined =>
    isObject(entry) ? (num(entry.V40Score) ?? num(entry.V3Score) ?? num(entry.V2Score)) : undefined;
  const fromSource = source ? score(v.CVSS[source]) : undefined;
  return fromSource ?? maxScore(Object.values(v.CVSS).map(score));
}

function misconfiguration(m: JsonObject, p: string, shape: Shape): RawFinding | undefined {
  const status = shape.optStr(m.Status, p, 'Status');
  if (status && NOT_OPEN_MISCONF_STATUSES.has(status)) return undefined;
  const avdId = shape.optStr(m.AVDID, p, 'AVDID');
  const ruleId = shape.optStr(m.ID, p, 'ID') ?? shape.str(avdId, p, 'ID');
  const severity = severityField(m.Severity);
  const cause = shape.optObj(m.CauseMetadata, p, 'CauseMetadata');
  const message = shape.optStr(m.Message, p, 'Message');
  const description = shape.optStr(m.Description, p, 'Description');
  return {
    tool: 'trivy',
    kind: 'misconfiguration',
    ruleId,
    title: shape.optStr(m.Title, p, 'Title') ?? ruleId,
    severity: severityFromText(severity),
    toolSeverity: severity,
    description: message && description ? `${description}\n${message}` : (message ?? description),
    location: {
      line: positive(shape.optNum(cause?.StartLine, p, 'CauseMetadata.StartLine')),
      endLine: positive(shape.optNum(cause?.EndLine, p, 'CauseMetadata.EndLine')),
    },
    aliases: avdId && avdId !== ruleId ? [avdId] : undefined,
    references: linkList(shape.optStr(m.PrimaryURL, p, 'PrimaryURL'), shape.strList(m.References, p, 'References')),
  };
}

function linkList(primary: string | undefined, more: readonly string[] = []): string[] {
  if (more.length === 0) return primary ? [primary] : [];
  // concat and slice allocate the list at its size (a spread grows it step by step)
  return distinct(primary ? [primary].concat(more) : more.slice());
}

function positive(n: number | undefined): number | undefined {
  return n !== undefined && n > 0 ? n : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
