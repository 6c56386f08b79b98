import { severityField, severityFromText } from '../severity';
import { JsonParser, ParseContext, ParsedReport, RawFinding } from '../types';
import { finding, maxScore } from './deps-finding';
import { packageTitle, splitIds } from './deps-ids';
import { JsonObject, Shape, isObject } from './deps-shape';
import { pickFixVersion, splitVersionList } from './deps-version';
import { checkSection, Section } from './strict';
import { suppressedNote, withNote } from './suppressed-note';

const FIX = 'produce it with `grype <target> -o json`';

/**
 * grype JSON (`grype -o json`): `{matches[], ignoredMatches[], source, distro, descriptor}`, each match
 * `{vulnerability, relatedVulnerabilities[], matchDetails[], artifact}`. Both the current model
 * (`vulnerability.fix{versions,state}`, `cvss[]`) and the early one (grype < 0.15:
 * `vulnerability.fixedInVersion`, `cvssV2`/`cvssV3`) are read.
 * `ignoredMatches` (matches an ignore rule of a grype configuration, such as a `.grype.yaml` of the
 * scanned repository, or a VEX document moved out of `matches`) are findings too, each saying which
 * rule ignored it: only an approved exemption accepts a finding. A fix `state` of `fixed` means a fix
 * exists, not that the artifact has it: those matches stay open.
 */
/** A grype report: its findings are `matches` (`ignoredMatches` are grype's own suppressions). */
const REPORT: Section = {
  required: { matches: 'array' },
  optional: { ignoredMatches: ['array', 'null'], source: ['object', 'null'], distro: ['object', 'null'], descriptor: ['object', 'null'] },
};

export const grypeJson: JsonParser = {
  type: 'json',
  id: 'grype-json',
  detect(doc: unknown): boolean {
    if (!isObject(doc) || !Array.isArray(doc.matches)) return false;
    if (isObject(doc.descriptor) && doc.descriptor.name === 'grype') return true;
    const first = doc.matches[0];
    return isObject(first) && isObject(first.vulnerability) && isObject(first.artifact);
  },
  parse(doc: unknown, ctx: ParseContext): ParsedReport {
    const shape = new Shape(ctx.file, 'grype json', FIX);
    const o = shape.obj(doc, 'the document');
    checkSection(ctx.file, 'grype json', 'the document', o, REPORT, FIX);
    const target = sourceTarget(o.source);
    const findings = shape.arr(o.matches, 'matches').map((m, i) => match(shape.obj(m, `matches[${i}]`), `matches[${i}]`, target, shape));
    shape.optArr(o.ignoredMatches, 'ignoredMatches').forEach((m, i) => {
      const p = `ignoredMatches[${i}]`;
      const ignored = shape.obj(m, p);
      findings.push(withNote(match(ignored, p, target, shape), suppressedNote(ignoreRules(ignored, p, shape))));
    });
    return { format: 'grype-json', tool: 'grype', findings };
  },
};

function match(m: JsonObject, p: string, target: string | undefined, shape: Shape): RawFinding {
  const v = shape.obj(m.vulnerability, p, 'vulnerability');
  const a = shape.obj(m.artifact, p, 'artifact');
  const ruleId = shape.str(v.id, p, 'vulnerability.id');
  const name = shape.str(a.name, p, 'artifact.name');
  const version = shape.optStr(a.version, p, 'artifact.version');
  const severity = severityField(v.severity);
  const related = shape.optArr(m.relatedVulnerabilities, p, 'relatedVulnerabilities').map((r, i) =>
    shape.obj(r, `${p}.relatedVulnerabilities[${i}]`),
  );
  const ids = splitIds([ruleId, ...related.map((r, i) => shape.optStr(r.id, `${p}.relatedVulnerabilities[${i}].id`))], ruleId);
  const locations = shape.optArr(a.locations, p, 'artifact.locations');
  const firstPath = isObject(locations[0]) ? shape.optStr(locations[0].path, `${p}.artifact.locations[0].path`) : undefined;
  const fix = shape.optObj(v.fix, p, 'vulnerability.fix');
  const fixVersions = fix
    ? shape.strList(fix.versions, p, 'vulnerability.fix.versions')
    : splitVersionList(shape.optStr(v.fixedInVersion, p, 'vulnerability.fixedInVersion'));
  const description =
    shape.optStr(v.description, p, 'vulnerability.description') ?? related.map((r) => (typeof r.description === 'string' ? r.description : undefined)).find(Boolean);
  return finding({
    tool: 'grype',
    kind: 'vulnerability',
    ruleId,
    title: packageTitle(ruleId, name, version),
    severity: severityFromText(severity),
    toolSeverity: severity,
    description,
    location: {
      package: name,
      version,
      purl: shape.optStr(a.purl, p, 'artifact.purl'),
      ecosystem: shape.optStr(a.type, p, 'artifact.type'),
      file: firstPath,
      target,
    },
    cves: ids.cves,
    aliases: ids.aliases,
    fixVersion: pickFixVersion(version, fixVersions),
    cvss: maxScore([v, ...related].map(cvssScore)) ?? legacyCvss(v),
    references: [
      ...new Set([
        ...shape.strList(v.urls, p, 'vulnerability.urls'),
        ...shape.strList(v.links, p, 'vulnerability.links'),
        ...(typeof v.dataSource === 'string' && v.dataSource ? [v.dataSource] : []),
      ]),
    ],
  });
}

/** What ignored a match: its `appliedIgnoreRules` (`{vulnerability, reason, vex-status, package{…}}`). */
function ignoreRules(m: JsonObject, p: string, shape: Shape): string {
  const rules = shape.optArr(m.appliedIgnoreRules, p, 'appliedIgnoreRules').map((rule, i) => {
    const r = shape.obj(rule, `${p}.appliedIgnoreRules[${i}]`);
    const parts = [
      typeof r.vulnerability === 'string' && r.vulnerability ? r.vulnerability : undefined,
      typeof r['vex-status'] === 'string' && r['vex-status'] ? `VEX ${r['vex-status']}` : undefined,
      typeof r.reason === 'string' && r.reason.trim() ? `"${r.reason.trim()}"` : undefined,
    ].filter(Boolean);
    return parts.length > 0 ? parts.join(' ') : 'a rule';
  });
  return `grype ignore ${rules.length > 0 ? `rules: ${rules.join(', ')}` : 'rule'}`;
}

/** Highest CVSS v3+ base score of a vulnerability record (`cvss[].metrics.baseScore`), else its v2 one. */
function cvssScore(record: JsonObject): number | undefined {
  const list: unknown = record.cvss;
  if (!Array.isArray(list)) return undefined;
  const scores = (major: (v: string) => boolean) =>
    maxScore(
      list
        .filter((c): c is JsonObject => isObject(c) && typeof c.version === 'string' && major(c.version))
        .map((c) => (isObject(c.metrics) && typeof c.metrics.baseScore === 'number' ? c.metrics.baseScore : undefined)),
    );
  return scores((v) => !v.startsWith('2')) ?? scores((v) => v.startsWith('2'));
}

function legacyCvss(v: JsonObject): number | undefined {
  for (const key of ['cvssV3', 'cvssV2']) {
    const c = v[key];
    if (isObject(c) && typeof c.baseScore === 'number') return c.baseScore;
  }
  return undefined;
}

function sourceTarget(source: unknown): string | undefined {
  if (!isObject(source)) return undefined;
  if (typeof source.target === 'string') return source.target || undefined;
  if (isObject(source.target) && typeof source.target.userInput === 'string') return source.target.userInput || undefined;
  return undefined;
}
