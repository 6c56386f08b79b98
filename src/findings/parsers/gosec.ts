import { JsonParser, Location, ParseContext, ParsedReport, RawFinding, Severity } from '../types';
import { cwesIn } from './code-ids';
import { FieldReader, isObject, JsonObject } from './code-json';
import { Section } from './strict';

const FORMAT = 'gosec-json';
const SEVERITIES: Record<string, Severity> = { HIGH: 'high', MEDIUM: 'medium', LOW: 'low' };

/**
 * gosec JSON (`gosec -fmt=json -out=FILE ./...`): `{Golang errors{}, Issues[], Stats{files, lines, nosec,
 * found}, GosecVersion?}`, each issue `{severity, confidence (HIGH|MEDIUM|LOW), cwe{id, url} (gosec 2.x;
 * `ID`/`URL` in early 2.x), rule_id, details, file, code, line ("79" or "79-81"), column, nosec?,
 * suppressions?}`. One finding per issue at its file and line. Issues gosec reports as suppressed
 * (`#nosec` with `-track-suppressions`: `suppressions[]`, or `nosec: true`) are findings too: an
 * in-source marker is not an approved exemption. `code` (the source lines, possibly a hard-coded
 * credential) is never copied into a finding.
 */
/** gosec's report (`report.Info`): the findings are `Issues`. */
const REPORT: Section = {
  required: { Issues: 'array', Stats: 'object' },
  optional: { 'Golang errors': ['object', 'null'], 'GosecVersion': 'string' },
};

export const gosecJson: JsonParser = {
  type: 'json',
  id: FORMAT,
  detect(doc: unknown): boolean {
    return isObject(doc) && Array.isArray(doc.Issues) && isObject(doc.Stats);
  },
  parse(doc: unknown, ctx: ParseContext): ParsedReport {
    const r = new FieldReader(ctx, 'gosec json', 'produce it with `gosec -fmt=json -out=FILE ./...` and give the file as written');
    const o = r.section(r.object(doc, 'the document'), 'the document', REPORT);
    const issues = r.array(o.Issues, 'Issues');
    return { format: FORMAT, tool: 'gosec', findings: issues.map((item, i) => issue(r, item, `Issues[${i}]`)) };
  },
};

function issue(r: FieldReader, value: unknown, p: string): RawFinding {
  const o = r.object(value, p);
  const ruleId = r.text(o, 'rule_id', p).trim();
  const word = r.text(o, 'severity', p);
  const severity = SEVERITIES[word.trim().toUpperCase()];
  if (!severity) r.fail(`${p}.severity`, `must be LOW, MEDIUM or HIGH, got ${JSON.stringify(word)}`);
  const file = r.text(o, 'file', p);
  const location: Location = { file, ...lines(r, o, p) };
  const column = numberText(r, o, 'column', p);
  if (column !== undefined && location.line !== undefined) location.column = column;
  const cwe = isObject(o.cwe) ? (o.cwe.id ?? o.cwe.ID) : undefined;
  const details = r.optString(o, 'details', p)?.trim();
  const confidence = r.optString(o, 'confidence', p);
  const suppressions = r.optArray(o, 'suppressions', p) ?? [];
  const suppressed = suppressions.length > 0 || r.optBoolean(o, 'nosec', p) === true;
  const finding: RawFinding = {
    tool: 'gosec',
    kind: 'code',
    ruleId,
    title: details ? `${ruleId}: ${details}` : ruleId,
    severity,
    toolSeverity: word,
    location,
    description: [
      details,
      confidence ? `confidence: ${confidence}` : undefined,
      suppressed ? 'suppressed in the source (#nosec), which the gate does not honour (request an exemption instead)' : undefined,
    ].filter(Boolean).join('\n'),
  };
  const cwes = cwesIn([typeof cwe === 'string' && /^\d+$/.test(cwe) ? Number(cwe) : cwe]);
  if (cwes) finding.cwes = cwes;
  return finding;
}

/** `line` is `"79"` or a range `"79-81"` (a number in some producers). */
function lines(r: FieldReader, o: JsonObject, p: string): Pick<Location, 'line' | 'endLine'> {
  const v = o.line;
  const text = typeof v === 'number' ? String(v) : v;
  const m = typeof text === 'string' ? /^\s*(\d+)(?:\s*-\s*(\d+))?\s*$/.exec(text) : null;
  if (!m) r.fail(`${p}.line`, `must be a line number or range such as "79-81", got ${JSON.stringify(v) ?? 'nothing'}`);
  const line = Number(m[1]);
  const end = m[2] === undefined ? undefined : Number(m[2]);
  if (line === 0) return {};
  return end !== undefined && end > line ? { line, endLine: end } : { line };
}

function numberText(r: FieldReader, o: JsonObject, key: string, p: string): number | undefined {
  const v = o[key];
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 0) r.fail(`${p}.${key}`, `must be a whole number, got ${JSON.stringify(v)}`);
  return n > 0 ? n : undefined;
}
