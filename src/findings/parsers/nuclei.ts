import { JsonParser, ParseContext, ParsedReport, RawFinding, Severity } from '../types';
import { addUnique, cwesIn } from './code-ids';
import { FieldReader, isObject } from './code-json';
import { Section } from './strict';

const FORMAT = 'nuclei-json';
const SEVERITIES: Record<string, Severity> = { critical: 'critical', high: 'high', medium: 'medium', low: 'low', info: 'info', unknown: 'unknown' };

/**
 * Nuclei JSON results: JSON Lines (`nuclei -jsonl` / `-json` before 3.0, one result per line) or the
 * array `-json-export` writes. Each result `{template-id, info{name, severity, description, reference,
 * classification{cve-id, cwe-id, cvss-score}}, matcher-name?, type, host, matched-at, …}`; nuclei
 * 2.0–2.2 wrote `templateID` and `matched` instead. One finding per result; the rule is
 * `template-id:matcher-name` as nuclei prints it, so each matcher at one URL stays a finding.
 * Severity is the template's (info, low, medium, high, critical, unknown). `request`, `response`,
 * `curl-command`, `extracted-results` and `meta` (default-login templates put the credentials
 * there) are never copied into a finding.
 */
/**
 * One nuclei result (`output.ResultEvent`). Each result is one finding, so unknown keys (nuclei adds
 * many: `meta`, `extracted-results`, fuzzing details) cannot hide others; a known key in another case
 * (`Info`, `Template-ID`) is bad input.
 */
const RESULT: Section = {
  required: { info: 'object', timestamp: 'string' },
  optional: {
    'template-id': 'string',
    'templateID': 'string',
    'template': 'string',
    'template-url': 'string',
    'template-path': 'string',
    'matcher-name': 'string',
    'type': 'string',
    'host': 'string',
    'ip': 'string',
    'url': 'string',
    'matched-at': 'string',
    'matched': 'string',
  },
  others: 'any',
};

export const nucleiJson: JsonParser = {
  type: 'json',
  id: FORMAT,
  detect(doc: unknown): boolean {
    return isResult(doc) || (Array.isArray(doc) && doc.length > 0 && isResult(doc[0]));
  },
  parse(doc: unknown, ctx: ParseContext): ParsedReport {
    const r = new FieldReader(ctx, 'nuclei json', 'write nuclei\'s results with `nuclei -jsonl -o FILE` (or `-json-export FILE`) and give the file as written');
    const list = Array.isArray(doc) ? doc : [doc];
    return { format: FORMAT, tool: 'nuclei', findings: list.map((item, i) => result(r, item, Array.isArray(doc) ? `[${i}]` : 'the document')) };
  },
};

function isResult(v: unknown): boolean {
  return isObject(v) && isObject(v.info) && (typeof v['template-id'] === 'string' || typeof v.templateID === 'string') && 'timestamp' in v;
}

function result(r: FieldReader, value: unknown, p: string): RawFinding {
  const o = r.section(r.object(value, p), p, RESULT);
  const template = r.optString(o, 'template-id', p) ?? r.text(o, 'templateID', p);
  if (template.trim() === '') r.fail(`${p}.template-id`, 'must not be empty');
  const info = r.object(o.info, `${p}.info`);
  const word = r.text(info, 'severity', `${p}.info`);
  const severity = SEVERITIES[word.trim().toLowerCase()];
  if (!severity) r.fail(`${p}.info.severity`, `must be info, low, medium, high, critical or unknown, got ${JSON.stringify(word)}`);
  const matcher = r.optString(o, 'matcher-name', p);
  const name = r.optString(info, 'name', `${p}.info`);
  // javascript templates (nuclei 3) report `url` and `ip` without `host` or `matched-at`; some dns
  // results name no target at all
  const url = r.optString(o, 'matched-at', p) ?? r.optString(o, 'matched', p) ?? r.optString(o, 'url', p);
  const host = r.optString(o, 'host', p) ?? r.optString(o, 'ip', p);
  const classification = isObject(info.classification) ? info.classification : {};
  const finding: RawFinding = {
    tool: 'nuclei',
    kind: 'dast',
    ruleId: matcher ? `${template}:${matcher}` : template,
    title: `${name ?? template}${matcher ? ` (${matcher})` : ''}`,
    severity,
    toolSeverity: word,
    location: {},
  };
  if (url ?? host) finding.location.url = url ?? host;
  if (host) finding.location.host = host;
  const description = r.optString(info, 'description', `${p}.info`)?.trim();
  if (description) finding.description = description;
  const cves = strings(classification['cve-id']).map((c) => c.toUpperCase()).filter((c) => /^CVE-\d{4}-\d{4,}$/.test(c));
  if (cves.length > 0) finding.cves = [...new Set(cves)];
  const cwes = cwesIn(strings(classification['cwe-id']));
  if (cwes) finding.cwes = cwes;
  const score = classification['cvss-score'];
  if (typeof score === 'number' && score >= 0 && score <= 10) finding.cvss = score;
  let refs: string[] | undefined;
  for (const ref of references(info.reference)) refs = addUnique(refs, ref);
  if (refs) finding.references = refs;
  return finding;
}

/** A value that nuclei writes as a string, a list of strings or null. */
function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** `reference` is a list of URLs, or (nuclei 2.x) one string of `- url` lines. */
function references(v: unknown): string[] {
  return strings(v).flatMap((s) => s.split('\n')).map((s) => s.replace(/^\s*-\s*/, '').trim()).filter((s) => /^https?:\/\//.test(s));
}

