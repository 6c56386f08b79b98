import { JsonParser, ParseContext, ParsedReport, RawFinding } from '../types';
import { finding } from './deps-finding';
import { packageTitle, splitIds } from './deps-ids';
import { JsonObject, Shape, isObject } from './deps-shape';
import { pickFixVersion } from './deps-version';
import { checkSection, Section } from './strict';

const FIX = 'produce it with `pip-audit --format json`';

/**
 * pip-audit JSON: `{dependencies: [{name, version, vulns: [{id, fix_versions[], aliases[], description}]}], fixes[]}`
 * (pip-audit 2.x), or the bare `dependencies` array of pip-audit 1.x.
 * pip-audit gives no severity: findings are `unknown`, which the gate counts as high unless told
 * otherwise. Dependencies pip-audit could not audit (`skip_reason`, e.g. not on PyPI) carry no
 * vulnerability and make no finding.
 */
/** pip-audit 2.x: the findings are the `vulns` of each dependency. */
const REPORT: Section = { required: { dependencies: 'array' }, optional: { fixes: ['array', 'null'] } };
/** One audited dependency: its vulnerabilities, or why it was skipped. */
const DEPENDENCY: Section = {
  required: { name: 'string' },
  optional: { version: 'string', vulns: 'array', skip_reason: 'string' },
};

export const pipAuditJson: JsonParser = {
  type: 'json',
  id: 'pip-audit-json',
  detect(doc: unknown): boolean {
    if (Array.isArray(doc)) return doc.length > 0 && isDependency(doc[0]);
    if (!isObject(doc) || !Array.isArray(doc.dependencies) || 'bomFormat' in doc || 'spdxVersion' in doc) return false;
    if (doc.dependencies.length > 0) return isDependency(doc.dependencies[0]);
    return Object.keys(doc).every((k) => k === 'dependencies' || k === 'fixes');
  },
  /** pip-audit before 2.0 writes `[]` for a project without dependencies. */
  emptyReport: (doc: unknown): boolean => Array.isArray(doc) && doc.length === 0,
  parse(doc: unknown, ctx: ParseContext): ParsedReport {
    const shape = new Shape(ctx.file, 'pip-audit json', FIX);
    if (!Array.isArray(doc)) checkSection(ctx.file, 'pip-audit json', 'the document', shape.obj(doc, 'the document'), REPORT, FIX);
    const deps = Array.isArray(doc) ? doc : shape.arr(shape.obj(doc, 'the document').dependencies, 'dependencies');
    const base = Array.isArray(doc) ? '' : 'dependencies';
    const findings: RawFinding[] = [];
    deps.forEach((d, i) => {
      const dep = shape.obj(d, `${base}[${i}]`);
      checkSection(ctx.file, 'pip-audit json', `${base}[${i}]`, dep, DEPENDENCY, FIX);
      findings.push(...dependency(dep, `${base}[${i}]`, shape));
    });
    return { format: 'pip-audit-json', tool: 'pip-audit', findings };
  },
};

function isDependency(d: unknown): boolean {
  return isObject(d) && typeof d.name === 'string' && (Array.isArray(d.vulns) || typeof d.skip_reason === 'string');
}

function dependency(d: JsonObject, p: string, shape: Shape): RawFinding[] {
  const name = shape.str(d.name, p, 'name');
  if (d.vulns === undefined && typeof d.skip_reason === 'string') return [];
  const version = shape.str(d.version, p, 'version');
  return shape.arr(d.vulns, p, 'vulns').map((entry, i) => {
    const q = `${p}.vulns[${i}]`;
    const v = shape.obj(entry, q);
    const ruleId = shape.str(v.id, q, 'id');
    const ids = splitIds([ruleId, ...shape.strList(v.aliases, q, 'aliases')], ruleId);
    const description = shape.optStr(v.description, q, 'description');
    return finding({
      tool: 'pip-audit',
      kind: 'vulnerability',
      ruleId,
      title: packageTitle(ruleId, name, version),
      severity: 'unknown',
      description,
      location: { package: name, version, ecosystem: 'pypi' },
      cves: ids.cves,
      aliases: ids.aliases,
      fixVersion: pickFixVersion(version, shape.strList(v.fix_versions, q, 'fix_versions')),
    });
  });
}
