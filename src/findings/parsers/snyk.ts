import { JsonParser, ParseContext, ParsedReport, RawFinding, ReportError, Severity } from '../types';
import { finding } from './deps-finding';
import { cweIds, packageTitle, splitIds } from './deps-ids';
import { isObject, JsonObject, Shape } from './deps-shape';
import { pickFixVersion } from './deps-version';
import { checkSection, Section } from './strict';

const FORMAT = 'snyk-json';
const FIX = 'produce it with `snyk test --json` (or `snyk container test --json`) and give its standard output as written';
const SEVERITIES: Record<string, Severity> = { critical: 'critical', high: 'high', medium: 'medium', low: 'low' };

/**
 * One tested project: the findings are `vulnerabilities`, those a `.snyk` file ignores
 * (`filtered.ignore`) and, for `snyk container test`, the projects of the applications found in the
 * image (`applications[]`, the same shape).
 */
const PROJECT: Section = {
  required: { ok: 'boolean', vulnerabilities: 'array' },
  optional: { filtered: ['object', 'null'], applications: ['array', 'null'] },
  tolerated: ['licensesPolicy', 'ignoreSettings', 'remediation', 'docker', 'policy', 'summary', 'meta'],
};
/** What snyk left out of `vulnerabilities`: `ignore` (a `.snyk` policy) and `patch` (patched). */
const FILTERED: Section = { optional: { ignore: ['array', 'null'], patch: ['array', 'null'] } };

/**
 * Snyk CLI JSON (`snyk test --json`, `snyk container test --json`): one project
 * `{ok, vulnerabilities[], dependencyCount, packageManager, projectName, displayTargetFile, path,
 * filtered{ignore[], patch[]}, …}`, or an array of them with `--all-projects` / several targets.
 * Each vulnerability `{id, title, severity (low|medium|high|critical), packageName, version, from[],
 * fixedIn[], nearestFixedInVersion?, identifiers{CVE[], CWE[], GHSA[]…}, cvssScore, references[{url}],
 * type?}`; `type: "license"` entries are license-policy issues (kind other). Snyk repeats a
 * vulnerability for every dependency path (`from`): dedup merges them.
 * Vulnerabilities a `.snyk` policy file ignores (`filtered.ignore`) are findings too: that file is
 * part of the scanned repository, and only an approved exemption may accept a finding.
 * Snyk's error object (`{ok: false, error}`) is rejected: a test that did not run is not a clean test.
 */
export const snykJson: JsonParser = {
  type: 'json',
  id: FORMAT,
  detect(doc: unknown): boolean {
    if (Array.isArray(doc)) return doc.length > 0 && isProject(doc[0]);
    return isProject(doc) || isSnykError(doc);
  },
  parse(doc: unknown, ctx: ParseContext): ParsedReport {
    const shape = new Shape(ctx.file, 'snyk json', FIX);
    const projects = Array.isArray(doc) ? doc.map((p, i) => [p, `[${i}]`] as const) : [[doc, ''] as const];
    const findings: RawFinding[] = [];
    for (const [value, p] of projects) {
      const o = shape.obj(value, p || 'the document');
      if (isSnykError(o)) throw new ReportError(ctx.file, `snyk json: ${p ? `${p}: ` : ''}the test did not run (${String(o.error).trim()}); fix it and run \`snyk test --json\` again`);
      findings.push(...project(shape, ctx.file, o, p));
    }
    return { format: FORMAT, tool: 'snyk', findings };
  },
};

function isProject(v: unknown): boolean {
  return isObject(v) && Array.isArray(v.vulnerabilities) && typeof v.ok === 'boolean' && ('dependencyCount' in v || 'packageManager' in v);
}

function isSnykError(v: unknown): v is JsonObject {
  return isObject(v) && v.ok === false && typeof v.error === 'string' && !('vulnerabilities' in v);
}

function project(shape: Shape, file: string, o: JsonObject, p: string): RawFinding[] {
  const at = (key: string) => (p ? `${p}.${key}` : key);
  checkSection(file, 'snyk json', p || 'the document', o, PROJECT, FIX);
  const manager = shape.optStr(o.packageManager, p, 'packageManager');
  const target = shape.optStr(o.displayTargetFile, p, 'displayTargetFile') ?? shape.optStr(o.projectName, p, 'projectName');
  const out = shape.arr(o.vulnerabilities, p, 'vulnerabilities').map((v, i) => vulnerability(shape, v, at(`vulnerabilities[${i}]`), manager, target, false));
  const filtered = shape.optObj(o.filtered, p, 'filtered');
  if (filtered) checkSection(file, 'snyk json', at('filtered'), filtered, FILTERED, FIX);
  shape.optArr(filtered?.ignore, at('filtered'), 'ignore').forEach((v, i) => out.push(vulnerability(shape, v, at(`filtered.ignore[${i}]`), manager, target, true)));
  // `snyk container test` (--app-vulns, the default since 2023): each application found in the image
  shape.optArr(o.applications, p, 'applications').forEach((app, i) => {
    const ap = at(`applications[${i}]`);
    out.push(...project(shape, file, shape.obj(app, ap), ap));
  });
  return out;
}

function vulnerability(
  shape: Shape,
  value: unknown,
  p: string,
  manager: string | undefined,
  target: string | undefined,
  ignored: boolean,
): RawFinding {
  const v = shape.obj(value, p);
  const id = shape.str(v.id, p, 'id');
  const word = shape.str(v.severity, p, 'severity');
  const severity = SEVERITIES[word.toLowerCase()];
  if (!severity) shape.fail(p, `must be low, medium, high or critical, got ${JSON.stringify(word)}`, 'severity');
  const name = shape.optStr(v.packageName, p, 'packageName') ?? shape.optStr(v.name, p, 'name');
  const version = shape.optStr(v.version, p, 'version');
  const ids = shape.optObj(v.identifiers, p, 'identifiers') ?? {};
  const idList: string[] = [];
  // identifier lists hold strings; old NSP advisory ids are numbers
  for (const key of Object.keys(ids)) {
    if (key === 'CWE') continue;
    shape.optArr(ids[key], `${p}.identifiers`, key).forEach((x, j) => idList.push(key === 'NSP' ? `NSP-${shape.id(x, `${p}.identifiers`, `${key}[${j}]`)}` : shape.str(x, `${p}.identifiers`, `${key}[${j}]`)));
  }
  const split = splitIds(idList, id);
  const from = shape.strList(v.from, p, 'from');
  const nearest = shape.optStr(v.nearestFixedInVersion, p, 'nearestFixedInVersion');
  const cvss = shape.optNum(v.cvssScore, p, 'cvssScore');
  if (cvss !== undefined && (cvss < 0 || cvss > 10)) shape.fail(p, `must be a CVSS score from 0 to 10, got ${cvss}`, 'cvssScore');
  const license = v.type === 'license';
  const title = shape.optStr(v.title, p, 'title');
  return finding({
    tool: 'snyk',
    kind: license ? 'other' : 'vulnerability',
    ruleId: id,
    title: license ? `${title ?? id} in ${name ?? 'a package'}` : `${title ? `${title}: ` : ''}${packageTitle(id, name, version)}`,
    severity,
    toolSeverity: word,
    description: [
      from.length > 1 ? `introduced through ${from.join(' > ')}` : undefined,
      ignored ? 'ignored by a .snyk policy file, which the gate does not honour (request an exemption instead)' : undefined,
    ].filter(Boolean).join('\n') || undefined,
    location: { package: name, version, ecosystem: manager, file: target },
    cves: split.cves,
    aliases: split.aliases,
    cwes: cweIds(shape.strList(ids.CWE, `${p}.identifiers`, 'CWE')),
    fixVersion: nearest ?? pickFixVersion(version, shape.strList(v.fixedIn, p, 'fixedIn')),
    cvss,
    references: shape.optArr(v.references, p, 'references').flatMap((ref, i) => {
      const url = isObject(ref) ? shape.optStr(ref.url, `${p}.references[${i}]`, 'url') : undefined;
      return url ? [url] : [];
    }),
  });
}
