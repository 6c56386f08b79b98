import { severityFromCvss, severityFromText } from '../severity';
import { JsonParser, ParseContext, ParsedReport, RawFinding, Severity } from '../types';
import { finding } from './deps-finding';
import { cweIds, packageTitle, splitIds } from './deps-ids';
import { parsePurl } from './deps-purl';
import { isObject, JsonObject, Shape } from './deps-shape';
import { checkSection, Section } from './strict';

const FORMAT = 'dependency-track-fpf';
const FIX = 'export the project\'s findings from Dependency-Track (`GET /api/v1/finding/project/{uuid}/export`) and give the file as written';

/**
 * Dependency-Track's Finding Packaging Format (FPF, `version` 1.0 to 1.2, Dependency-Track 3.4 and
 * later): `{version, meta{application: "Dependency-Track", version, timestamp, baseUrl}, project{uuid,
 * name, version}, findings[{component{uuid, name, group, version, purl}, vulnerability{source,
 * vulnId, title, severity, cvssV2BaseScore, cvssV3BaseScore, cweId, cwes[], aliases[], description,
 * recommendation, references}, analysis{state, isSuppressed}, attribution, matrix}]}`. One finding per
 * entry of `findings`.
 */
const REPORT: Section = {
  required: { version: 'string', meta: 'object', project: 'object', findings: ['array', 'null'] },
};
/** One finding: a component and a vulnerability, with the analysis made in Dependency-Track. */
const FINDING: Section = {
  required: { component: 'object', vulnerability: 'object' },
  optional: { analysis: ['object', 'null'], attribution: ['object', 'null'], matrix: 'string' },
};

/** Dependency-Track's severities; UNASSIGNED is its word for "no severity". */
const SEVERITIES: Record<string, Severity> = { CRITICAL: 'critical', HIGH: 'high', MEDIUM: 'medium', LOW: 'low', INFO: 'info', UNASSIGNED: 'unknown' };

/** Alias keys of `vulnerability.aliases[]` entries. */
const ALIAS_KEYS = ['cveId', 'ghsaId', 'osvId', 'snykId', 'sonatypeId', 'gsdId', 'vulnDbId', 'internalId'];

export const dependencyTrackJson: JsonParser = {
  type: 'json',
  id: FORMAT,
  detect(doc: unknown): boolean {
    return isObject(doc) && isObject(doc.meta) && doc.meta.application === 'Dependency-Track' && isObject(doc.project);
  },
  parse(doc: unknown, ctx: ParseContext): ParsedReport {
    const shape = new Shape(ctx.file, 'dependency-track fpf', FIX);
    const o = shape.obj(doc, 'the document');
    checkSection(ctx.file, 'dependency-track fpf', 'the document', o, REPORT, FIX);
    const project = shape.optStr((o.project as JsonObject).name, 'project', 'name');
    const findings = shape.optArr(o.findings, 'findings').map((entry, i) => {
      const p = `findings[${i}]`;
      const f = shape.obj(entry, p);
      checkSection(ctx.file, 'dependency-track fpf', p, f, FINDING, FIX);
      return fpfFinding(shape, f, p, project);
    });
    return { format: FORMAT, tool: 'dependency-track', findings };
  },
};

function fpfFinding(shape: Shape, f: JsonObject, p: string, project: string | undefined): RawFinding {
  const c = f.component as JsonObject;
  const v = f.vulnerability as JsonObject;
  const name = shape.str(c.name, p, 'component.name');
  const group = shape.optStr(c.group, p, 'component.group');
  const version = shape.optStr(c.version, p, 'component.version');
  const purl = shape.optStr(c.purl, p, 'component.purl');
  const source = shape.optStr(v.source, p, 'vulnerability.source');
  const vulnId = shape.id(v.vulnId, p, 'vulnerability.vulnId');
  // npm advisories are numbered: name them as npm audit does
  const ruleId = source === 'NPM' && /^\d+$/.test(vulnId) ? `NPM-${vulnId}` : vulnId;
  const aliases: string[] = [];
  shape.optArr(v.aliases, p, 'vulnerability.aliases').forEach((a, i) => {
    const alias = shape.obj(a, `${p}.vulnerability.aliases[${i}]`);
    for (const key of ALIAS_KEYS) if (typeof alias[key] === 'string') aliases.push(alias[key] as string);
  });
  const ids = splitIds([ruleId, ...aliases], ruleId);
  const word = shape.optStr(v.severity, p, 'vulnerability.severity');
  const v3 = score(shape, v.cvssV3BaseScore, p, 'vulnerability.cvssV3BaseScore');
  const v4 = score(shape, v.cvssV4Score, p, 'vulnerability.cvssV4Score');
  const v2 = score(shape, v.cvssV2BaseScore, p, 'vulnerability.cvssV2BaseScore');
  const known = word === undefined ? undefined : SEVERITIES[word.trim().toUpperCase()];
  const cvss = v3 ?? v4 ?? v2;
  // the word is Dependency-Track's own rating (from the scores or the source); UNASSIGNED or none
  // falls back on a score; a word it does not write is unreadable (critical)
  let severity: Severity;
  if (known !== undefined && known !== 'unknown') severity = known;
  else if (word === undefined || known === 'unknown') severity = cvss !== undefined ? severityFromCvss(cvss) : 'unknown';
  else severity = severityFromText(word);
  const cwes = [v.cweId, ...shape.optArr(v.cwes, p, 'vulnerability.cwes').map((x) => (isObject(x) ? x.cweId : undefined))];
  const analysis = shape.optObj(f.analysis, p, 'analysis');
  const state = shape.optStr(analysis?.state, p, 'analysis.state');
  const suppressed = analysis?.isSuppressed === true;
  const triaged = suppressed || (state !== undefined && state !== 'NOT_SET' && state !== 'EXPLOITABLE' && state !== 'IN_TRIAGE');
  const pkg = parsePurl(purl);
  const description = [
    shape.optStr(v.title, p, 'vulnerability.title'),
    shape.optStr(v.description, p, 'vulnerability.description')?.trim(),
    shape.optStr(v.recommendation, p, 'vulnerability.recommendation')?.trim(),
    source ? `source: ${source}` : undefined,
    triaged
      ? `analysed in Dependency-Track as ${state ?? 'NOT_SET'}${suppressed ? ', suppressed' : ''}, which the gate does not honour: request an exemption instead`
      : undefined,
  ].filter(Boolean).join('\n');
  const packageName = pkg?.name ?? (group ? `${group}/${name}` : name);
  return finding({
    tool: 'dependency-track',
    kind: 'vulnerability',
    ruleId,
    title: packageTitle(ruleId, packageName, version),
    severity,
    toolSeverity: word,
    description: description || undefined,
    location: { package: packageName, version: version ?? pkg?.version, purl, ecosystem: pkg?.type, target: project },
    cves: ids.cves,
    aliases: ids.aliases,
    cwes: cweIds(cwes),
    cvss,
    references: urlsIn(shape.optStr(v.references, p, 'vulnerability.references')),
  });
}

function score(shape: Shape, value: unknown, p: string, field: string): number | undefined {
  const n = shape.optNum(value, p, field);
  if (n !== undefined && (n < 0 || n > 10)) shape.fail(p, `must be a CVSS score from 0 to 10, got ${n}`, field);
  return n;
}

/** The URLs of Dependency-Track's markdown reference list (`* [url](url)`). */
function urlsIn(text: string | undefined): string[] | undefined {
  const urls = [...new Set(text?.match(/https?:\/\/[^\s)\]"'<>]+/g) ?? [])];
  return urls.length > 0 ? urls : undefined;
}
