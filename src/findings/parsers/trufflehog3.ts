import { severityFromText } from '../severity';
import { JsonParser, Location, ParseContext, ParsedReport, RawFinding } from '../types';
import { FieldReader, isObject, JsonObject } from './code-json';
import { Section } from './strict';

/**
 * trufflehog3 JSON (the Python `trufflehog3` project, 3.x: `trufflehog3 --format json --output FILE`):
 * an array of issues `{rule: {id, message, severity, pattern?}, path, line, secret, context, id,
 * branch?, message?, author?, commit?, date?}` (trufflehog3/models.py `Issue`). `line` is the line
 * number as a string; `id` is a UUID trufflehog3 derives from the rule, path and secret. This is a
 * different tool than trufflehog v3 (trufflesecurity, format `trufflehog-json`); trufflehog3 2.x
 * wrote trufflehog 2's format (`trufflehog2-json`). An empty result is `[]` (claimed by gitleaks:
 * zero findings either way).
 *
 * Severity is the rule's `LOW` / `MEDIUM` / `HIGH`. `secret` and `context` hold the secret and are
 * never copied into a finding, nor are the commit author and message.
 */
/** One trufflehog3 3.x issue (`models.Issue`). */
const ISSUE: Section = {
  required: { rule: 'object', path: 'string', secret: 'string' },
  optional: {
    line: ['string', 'number', 'null'],
    context: ['object', 'null'],
    id: 'string',
    branch: ['string', 'null'],
    message: ['string', 'null'],
    author: ['string', 'null'],
    commit: ['string', 'null'],
    date: ['string', 'null'],
  },
};

export const trufflehog3Parser: JsonParser = {
  type: 'json',
  id: 'trufflehog3-json',
  detect(doc: unknown): boolean {
    return Array.isArray(doc) && doc.length > 0 && isIssue(doc[0]);
  },
  parse(doc: unknown, ctx: ParseContext): ParsedReport {
    const r = new FieldReader(ctx, 'trufflehog3 json report', 'regenerate it with `trufflehog3 --format json --output FILE`');
    const list = r.array(doc, 'the document');
    return { format: 'trufflehog3-json', tool: 'trufflehog3', findings: list.map((item, i) => issue(r, item, `[${i}]`)) };
  },
};

function isIssue(value: unknown): boolean {
  return isObject(value) && isObject(value.rule) && typeof value.rule.id === 'string' && typeof value.path === 'string' && 'secret' in value;
}

function issue(r: FieldReader, value: unknown, path: string): RawFinding {
  const item = r.section(r.object(value, path), path, ISSUE);
  const rule = r.object(item.rule, `${path}.rule`);
  const ruleId = r.text(rule, 'id', `${path}.rule`);
  const message = r.optString(rule, 'message', `${path}.rule`);
  const toolSeverity = r.text(rule, 'severity', `${path}.rule`);
  const severity = severityFromText(toolSeverity);
  if (severity === 'unknown' || severity === 'critical' || severity === 'info') {
    r.fail(`${path}.rule.severity`, `must be LOW, MEDIUM or HIGH, got ${JSON.stringify(toolSeverity)}`);
  }
  r.string(item, 'secret', path);
  const file = r.text(item, 'path', path);
  const location: Location = { file };
  const line = lineOf(r, item, path);
  if (line !== undefined) location.line = line;
  const commit = r.optString(item, 'commit', path);
  const branch = r.optString(item, 'branch', path);
  const id = r.optString(item, 'id', path);
  const finding: RawFinding = {
    tool: 'trufflehog3',
    kind: 'secret',
    ruleId,
    title: message && message.trim() !== '' ? message.trim() : ruleId,
    severity,
    toolSeverity,
    location,
    description: [`trufflehog3 rule ${ruleId}`, commit ? `commit ${commit}` : undefined, branch ? `branch ${branch}` : undefined]
      .filter(Boolean)
      .join(', '),
  };
  if (id) finding.toolFingerprint = id;
  return finding;
}

/** `line` is a decimal string (`"3"`), or absent; 0 means no line. */
function lineOf(r: FieldReader, item: JsonObject, path: string): number | undefined {
  const value = item.line;
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number') return r.position(item, 'line', path);
  if (typeof value !== 'string' || !/^\d+$/.test(value)) r.fail(`${path}.line`, `must be a line number, got ${JSON.stringify(value)}`);
  const n = Number(value);
  return n > 0 ? n : undefined;
}
