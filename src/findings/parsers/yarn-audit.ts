import { JsonParser, ParseContext, ParsedReport, RawFinding, ReportError, Severity } from '../types';
import { finding } from './deps-finding';
import { cweIds, packageTitle, splitIds } from './deps-ids';
import { isObject, JsonObject, Shape } from './deps-shape';
import { checkSection, Section } from './strict';

const FORMAT = 'yarn-audit-json';
const FIX = 'produce it with `yarn audit --json` (yarn 1) or `yarn npm audit --json` (yarn 2+) and give its standard output as written';
const SEVERITIES: Record<string, Severity> = { critical: 'critical', high: 'high', moderate: 'medium', low: 'low', info: 'info' };
const GHSA = /GHSA(?:-[23456789cfghjmpqrvwx]{4}){3}/;

/**
 * yarn audit JSON in its two shapes, both JSON Lines:
 * - yarn 1 `yarn audit --json`: `{type, data}` lines; `auditAdvisory` lines carry `{resolution{id, path,
 *   dev}, advisory{id, title, module_name, severity, cves[], cwe, github_advisory_id?, findings[{version,
 *   paths[]}], patched_versions, url}}` and the last line is the `auditSummary`. A report without its
 *   summary is truncated; `error` lines (the audit could not run) make it bad input.
 * - yarn 2+ `yarn npm audit --json`: one `{value: <package>, children{ID, Issue, URL?, Severity,
 *   Vulnerable Versions, Tree Versions[], Dependents[]}}` line per advisory; `ID`s ending in
 *   `(deprecation)` are deprecated packages (kind other), not vulnerabilities.
 * One finding per advisory × installed version (yarn 1 repeats an advisory for each dependency path).
 */
/** The data of a yarn 1 `auditAdvisory` line. */
const ADVISORY_DATA: Section = { required: { advisory: 'object' }, optional: { resolution: 'object' } };
/** The advisory of a yarn 2+ line. */
const BERRY_CHILDREN: Section = {
  required: { ID: ['string', 'number'], Severity: 'string' },
  optional: { 'Issue': 'string', 'URL': 'string', 'Vulnerable Versions': 'string', 'Tree Versions': 'array', 'Dependents': 'array' },
};

export const yarnAuditJson: JsonParser = {
  type: 'json',
  id: FORMAT,
  detect(doc: unknown): boolean {
    const first = Array.isArray(doc) ? doc[0] : doc;
    return isYarn1Line(first) || isBerryLine(first);
  },
  parse(doc: unknown, ctx: ParseContext): ParsedReport {
    const shape = new Shape(ctx.file, 'yarn audit json', FIX);
    const lines = Array.isArray(doc) ? doc : [doc];
    const findings = isBerryLine(lines[0]) ? berry(shape, ctx.file, lines) : yarn1(shape, ctx, lines);
    return { format: FORMAT, tool: 'yarn-audit', findings };
  },
};

function isYarn1Line(v: unknown): boolean {
  return isObject(v) && typeof v.type === 'string' && ['auditAdvisory', 'auditSummary', 'auditAction', 'info', 'warning', 'error'].includes(v.type) && 'data' in v && Object.keys(v).length === 2;
}

function isBerryLine(v: unknown): boolean {
  return isObject(v) && typeof v.value === 'string' && isObject(v.children) && 'Severity' in v.children;
}

function severityOf(shape: Shape, word: unknown, p: string, field: string): { severity: Severity; word: string } {
  const text = shape.str(word, p, field);
  const severity = SEVERITIES[text.trim().toLowerCase()];
  if (!severity) shape.fail(p, `must be info, low, moderate, high or critical, got ${JSON.stringify(text)}`, field);
  return { severity, word: text };
}

function yarn1(shape: Shape, ctx: ParseContext, lines: unknown[]): RawFinding[] {
  const out: RawFinding[] = [];
  const seen = new Set<string>();
  let summary = false;
  lines.forEach((line, i) => {
    const p = `line ${i + 1}`;
    const o = shape.obj(line, p);
    if (!isYarn1Line(o)) shape.fail(p, 'is not a yarn audit line ({type, data})');
    if (o.type === 'error') throw new ReportError(ctx.file, `yarn audit json: the audit did not run (${String(o.data).trim()}); fix it and run \`yarn audit --json\` again`);
    if (o.type === 'auditSummary') {
      shape.obj(shape.obj(o.data, p, 'data').vulnerabilities, p, 'data.vulnerabilities');
      summary = true;
    }
    if (o.type !== 'auditAdvisory') return;
    const data = shape.obj(o.data, p, 'data');
    checkSection(ctx.file, 'yarn audit json', `${p}.data`, data, ADVISORY_DATA, FIX);
    const a = shape.obj(data.advisory, p, 'data.advisory');
    const ap = `${p}.data.advisory`;
    const id = shape.id(a.id, ap, 'id');
    const name = shape.str(a.module_name, ap, 'module_name');
    const { severity, word } = severityOf(shape, a.severity, ap, 'severity');
    const ghsa = shape.optStr(a.github_advisory_id, ap, 'github_advisory_id') ?? GHSA.exec(shape.optStr(a.url, ap, 'url') ?? '')?.[0];
    const ruleId = ghsa ?? `NPM-${id}`;
    const ids = splitIds([...shape.strList(a.cves, ap, 'cves'), ghsa, `NPM-${id}`], ruleId);
    const cwe = Array.isArray(a.cwe) ? shape.strList(a.cwe, ap, 'cwe') : [shape.optStr(a.cwe, ap, 'cwe')];
    const versions = shape.optArr(a.findings, ap, 'findings').map((f, j) => shape.str(shape.obj(f, `${ap}.findings[${j}]`).version, `${ap}.findings[${j}]`, 'version'));
    for (const version of versions.length > 0 ? versions : [undefined]) {
      const key = `${ruleId}\u0000${name}\u0000${version ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const title = shape.optStr(a.title, ap, 'title');
      const patched = shape.optStr(a.patched_versions, ap, 'patched_versions');
      out.push(
        finding({
          tool: 'yarn-audit',
          kind: 'vulnerability',
          ruleId,
          title: `${title ? `${title}: ` : ''}${packageTitle(ruleId, name, version)}`,
          severity,
          toolSeverity: word,
          description: [shape.optStr(a.overview, ap, 'overview')?.trim(), patched ? `patched versions: ${patched}` : undefined].filter(Boolean).join('\n') || undefined,
          location: { package: name, version, ecosystem: 'npm' },
          cves: ids.cves,
          aliases: ids.aliases,
          cwes: cweIds(cwe.filter((c): c is string => c !== undefined)),
          references: [shape.optStr(a.url, ap, 'url')].filter((u): u is string => u !== undefined),
        }),
      );
    }
  });
  if (!summary) shape.fail('the report', 'has no auditSummary line (yarn writes it last): the report is truncated or not yarn audit output');
  return out;
}

function berry(shape: Shape, file: string, lines: unknown[]): RawFinding[] {
  return lines.flatMap((line, i) => {
    const p = `line ${i + 1}`;
    const o = shape.obj(line, p);
    if (!isBerryLine(o)) shape.fail(p, 'is not a yarn npm audit line ({value, children})');
    const name = shape.str(o.value, p, 'value');
    const c = o.children as JsonObject;
    checkSection(file, 'yarn audit json', `${p}.children`, c, BERRY_CHILDREN, FIX);
    const id = shape.id(c.ID, p, 'children.ID');
    const { severity, word } = severityOf(shape, c.Severity, p, 'children.Severity');
    const deprecation = /\(deprecation\)\s*$/.test(id);
    const url = shape.optStr(c.URL, p, 'children.URL');
    const ghsa = GHSA.exec(url ?? '')?.[0];
    const ruleId = deprecation ? `deprecated:${name}` : ghsa ?? `NPM-${id}`;
    const ids = splitIds([ghsa, deprecation ? undefined : `NPM-${id}`], ruleId);
    const issue = shape.optStr(c.Issue, p, 'children.Issue');
    const range = shape.optStr(c['Vulnerable Versions'], p, 'children.Vulnerable Versions');
    const versions = shape.strList(c['Tree Versions'], p, 'children.Tree Versions');
    return (versions.length > 0 ? versions : [undefined]).map((version) =>
      finding({
        tool: 'yarn-audit',
        kind: deprecation ? 'other' : 'vulnerability',
        ruleId,
        title: deprecation ? `deprecated package ${name}${version ? `@${version}` : ''}` : `${issue ? `${issue.split('\n', 1)[0].slice(0, 120)}: ` : ''}${packageTitle(ruleId, name, version)}`,
        severity,
        toolSeverity: word,
        description: [issue, range ? `vulnerable versions: ${range}` : undefined].filter(Boolean).join('\n') || undefined,
        location: { package: name, version, ecosystem: 'npm' },
        aliases: ids.aliases,
        references: url ? [url] : undefined,
      }),
    );
  });
}
