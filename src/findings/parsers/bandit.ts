import { severityFromText } from '../severity';
import { JsonParser, Location, ParseContext, ParsedReport, RawFinding } from '../types';
import { FieldReader, isObject } from './code-json';
import { Section, sectionProblems } from './strict';

/**
 * bandit JSON (`bandit -r SRC -f json -o FILE`):
 * `{errors[], generated_at, metrics{<file>|_totals}, results[{test_id, test_name, issue_severity,
 * issue_confidence, issue_text, filename, line_number, line_range, more_info, issue_cwe?, col_offset?}]}`.
 * Severity is bandit's `issue_severity` (HIGH / MEDIUM / LOW; UNDEFINED is unknown).
 */
/** What `bandit -f json` writes: its findings are `results` (bandit's own `errors` and `metrics` beside them). */
const REPORT: Section = {
  required: { results: 'array', metrics: 'object' },
  optional: { errors: ['array', 'null'], generated_at: 'string' },
};

export const banditParser: JsonParser = {
  type: 'json',
  id: 'bandit-json',
  detect(doc: unknown): boolean {
    return isObject(doc) && Array.isArray(doc.results) && isObject(doc.metrics) && isObject(doc.metrics._totals);
  },
  parse(doc: unknown, ctx: ParseContext): ParsedReport {
    const r = new FieldReader(ctx, 'bandit json report', 'regenerate it with `bandit -r SRC -f json -o FILE`');
    const report = r.object(doc, 'the document');
    const problems = sectionProblems(report, REPORT);
    if (problems.length > 0) r.fail('the document', problems.join('; '));
    const results = r.array(report.results, 'results');
    const findings: RawFinding[] = [];
    for (let i = 0; i < results.length; i++) {
      const path = `results[${i}]`;
      const res = r.object(results[i], path);
      const ruleId = r.text(res, 'test_id', path);
      const severityText = r.text(res, 'issue_severity', path);
      const location: Location = { file: r.text(res, 'filename', path) };
      const line = r.position(res, 'line_number', path);
      if (line !== undefined) location.line = line;
      const range = r.optArray(res, 'line_range', path);
      const last = range && range.length > 0 ? range[range.length - 1] : undefined;
      if (typeof last === 'number' && line !== undefined && last > line) location.endLine = last;
      // bandit >= 1.7.3 adds `col_offset`, 0-based
      if (r.optPosition(res, 'col_offset', path) !== undefined || res.col_offset === 0) location.column = (res.col_offset as number) + 1;

      const text = r.string(res, 'issue_text', path);
      const name = r.optString(res, 'test_name', path);
      const confidence = r.optString(res, 'issue_confidence', path);
      const finding: RawFinding = {
        tool: 'bandit',
        kind: 'code',
        ruleId,
        title: text.trim() !== '' ? text.trim() : name ?? ruleId,
        severity: severityFromText(severityText),
        toolSeverity: severityText,
        location,
      };
      const about = [name && `${ruleId} ${name}`, confidence && `confidence ${confidence}`].filter(Boolean).join(', ');
      if (about !== '') finding.description = about;
      const cwe = r.optObject(res, 'issue_cwe', path);
      if (cwe && Number.isInteger(cwe.id) && (cwe.id as number) > 0) finding.cwes = [`CWE-${cwe.id}`];
      const more = r.optString(res, 'more_info', path);
      if (more) finding.references = [more];
      findings.push(finding);
    }
    return { format: 'bandit-json', tool: 'bandit', findings };
  },
};
