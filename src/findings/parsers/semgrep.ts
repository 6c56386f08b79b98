import { severityFromText } from '../severity';
import { JsonParser, Location, ParseContext, ParsedReport, RawFinding, Severity } from '../types';
import { cwesIn, firstLine } from './code-ids';
import { FieldReader, isObject, JsonObject } from './code-json';
import { Section } from './strict';
import { suppressedNote, withNote } from './suppressed-note';

/**
 * semgrep JSON (`semgrep scan --json`): `{results[{check_id, path, start{line,col}, end{…},
 * extra{message, severity, metadata{cwe, references, …}, fingerprint, lines, is_ignored}}], errors[], paths, version}`.
 */
/** semgrep's `cli_output` (semgrep-interfaces): the findings are `results`. */
const REPORT: Section = {
  required: { results: 'array', errors: 'array' },
  optional: {
    version: 'string',
    paths: 'object',
    time: ['object', 'null'],
    explanations: ['array', 'null'],
    rules_by_engine: ['array', 'null'],
    engine_requested: ['string', 'null'],
    interfile_languages_used: ['array', 'null'],
    skipped_rules: ['array', 'null'],
    subprojects: ['array', 'null'],
    mcp_scan_results: ['object', 'null'],
    profiling_results: ['array', 'null'],
  },
};

export const semgrepParser: JsonParser = {
  type: 'json',
  id: 'semgrep-json',
  detect(doc: unknown): boolean {
    if (!isObject(doc) || !Array.isArray(doc.results) || !Array.isArray(doc.errors) || 'metrics' in doc) return false;
    const first = doc.results[0];
    return first === undefined || (isObject(first) && typeof first.check_id === 'string');
  },
  parse(doc: unknown, ctx: ParseContext): ParsedReport {
    const r = new FieldReader(ctx, 'semgrep json report', 'regenerate it with `semgrep scan --json --output FILE`');
    const report = r.section(r.object(doc, 'the document'), 'the document', REPORT);
    const errors = r.array(report.errors, 'errors');
    for (let i = 0; i < errors.length; i++) {
      // semgrep's error levels: "warn" (a file it could not parse, a timeout) leaves the scan usable;
      // "error" is fatal (bad rules or config), so the results cannot be trusted: fail closed.
      const err = r.object(errors[i], `errors[${i}]`);
      if (typeof err.level === 'string' && err.level.toLowerCase() === 'error') {
        const what = [typeof err.type === 'string' ? err.type : Array.isArray(err.type) ? String(err.type[0]) : undefined, typeof err.message === 'string' ? firstLine(err.message) : undefined]
          .filter(Boolean)
          .join(': ');
        r.fail(`errors[${i}]`, `is a fatal semgrep error (${what || 'no message'}), so the scan did not complete; fix the semgrep run`);
      }
    }
    const results = r.array(report.results, 'results');
    const findings: RawFinding[] = [];
    for (let i = 0; i < results.length; i++) findings.push(parseResult(r, r.object(results[i], `results[${i}]`), `results[${i}]`));
    return { format: 'semgrep-json', tool: 'semgrep', findings };
  },
};

/**
 * Semgrep's severities: CRITICAL / HIGH / MEDIUM / LOW, and the older ERROR / WARNING / INFO,
 * which semgrep documents as High / Medium / Low (semgrep.dev/docs/kb/rules/understand-severities).
 */
const SEVERITIES: Record<string, Severity> = {
  CRITICAL: 'critical',
  HIGH: 'high',
  ERROR: 'high',
  MEDIUM: 'medium',
  WARNING: 'medium',
  LOW: 'low',
  INFO: 'low',
};

function parseResult(r: FieldReader, res: JsonObject, path: string): RawFinding {
  const ruleId = r.text(res, 'check_id', path);
  const location: Location = { file: r.text(res, 'path', path) };
  const start = r.object(res.start, `${path}.start`);
  const line = r.position(start, 'line', `${path}.start`);
  if (line !== undefined) location.line = line;
  const col = r.optPosition(start, 'col', `${path}.start`);
  if (col !== undefined && line !== undefined) location.column = col;
  const end = r.optObject(res, 'end', path);
  const endLine = end ? r.optPosition(end, 'line', `${path}.end`) : undefined;
  if (endLine !== undefined && line !== undefined && endLine > line) location.endLine = endLine;

  const extra = r.object(res.extra, `${path}.extra`);
  const message = r.string(extra, 'message', `${path}.extra`);
  const severityText = r.text(extra, 'severity', `${path}.extra`);
  const metadata = r.optObject(extra, 'metadata', `${path}.extra`) ?? {};
  const finding: RawFinding = {
    tool: 'semgrep',
    kind: metadata.product === 'secrets' || metadata.category === 'secrets' ? 'secret' : 'code',
    ruleId,
    title: firstLine(message) ?? ruleId,
    severity: SEVERITIES[severityText.trim().toUpperCase()] ?? severityFromText(severityText),
    toolSeverity: severityText,
    location,
  };
  if (message.trim() !== finding.title) finding.description = message;
  const cwes = cwesIn(Array.isArray(metadata.cwe) ? metadata.cwe : [metadata.cwe]);
  if (cwes) finding.cwes = cwes;
  const refs = references(metadata);
  if (refs) finding.references = refs;
  // OSS runs without a Semgrep login write the literal "requires login" here: not a fingerprint.
  const fingerprint = r.optString(extra, 'fingerprint', `${path}.extra`);
  if (fingerprint && fingerprint !== 'requires login') finding.toolFingerprint = fingerprint;
  // with `--disable-nosem` semgrep reports the results a `nosemgrep` comment marks, `is_ignored: true`
  return withNote(finding, r.optBoolean(extra, 'is_ignored', `${path}.extra`) === true ? suppressedNote('a nosemgrep comment') : undefined);
}

function references(metadata: JsonObject): string[] | undefined {
  const out: string[] = [];
  const refs = metadata.references;
  for (const ref of Array.isArray(refs) ? refs : [refs]) if (typeof ref === 'string' && ref !== '') out.push(ref);
  for (const key of ['source-rule-url', 'shortlink', 'source']) {
    const url = metadata[key];
    if (typeof url === 'string' && /^https?:\/\//.test(url) && !out.includes(url)) out.push(url);
  }
  return out.length > 0 ? out : undefined;
}
