import { JsonParser, ParseContext, ParsedReport, RawFinding } from '../types';
import { Fields, isObject, lineNumber, uniqueOrUndefined, severityOfText } from './iac-json-fields';
import { Section } from './strict';
import { suppressedNote } from './suppressed-note';

const FORMAT = 'tfsec-json';
const NAME = 'tfsec report';
const FIX = 'produce it with `tfsec DIR --format json`';

/** tfsec's JSON report holds its results and nothing else. */
const REPORT: Section = { required: { results: ['array', 'null'] } };

function looksLikeResult(v: unknown): boolean {
  return isObject(v) && typeof v.rule_id === 'string' && isObject(v.location);
}

/**
 * What a result is. tfsec 1.x writes `status` as a number (0 failed, 1 passed, 2 ignored: defsec's
 * scan.Status); some exporters write it as text; tfsec 0.x wrote `passed: false` or nothing at all
 * (only failures were listed). Passed results (`--include-passed`) are not findings; ignored ones (an
 * inline `tfsec:ignore` comment of the scanned code, listed with `--include-ignored`) are findings
 * like failures, saying so.
 */
function statusOf(result: Fields): 'failed' | 'passed' | 'ignored' {
  const status = result.raw('status');
  if (status === undefined || status === null) return result.optBoolean('passed') === true ? 'passed' : 'failed';
  if (status === 0 || status === 'failed') return 'failed';
  if (status === 1 || status === 'passed') return 'passed';
  if (status === 2 || status === 'ignored') return 'ignored';
  throw result.error('status', `is ${JSON.stringify(status)}; expected 0 (failed), 1 (passed) or 2 (ignored)`);
}

/** URLs in a text such as tfsec 0.x's `link`: "See https://tfsec.dev/docs/… for more information." */
function urlsIn(text: string | undefined): string[] {
  return text?.match(/https?:\/\/[^\s"'<>]+/g) ?? [];
}

/** tfsec `--format json`: `{"results": [...]}` (`null` when tfsec 0.x found nothing). */
export const tfsecParser: JsonParser = {
  type: 'json',
  id: FORMAT,
  detect(doc: unknown): boolean {
    if (!isObject(doc) || !('results' in doc)) return false;
    const results = doc.results;
    // A clean run: tfsec 0.x writes `{"results": null}`, claimed here. tfsec 1.x writes
    // `{"results": []}`, which is also osv-scanner's empty report: that parser claims it (zero
    // findings either way), so that one document never has two parsers.
    if (results === null) return Object.keys(doc).length === 1;
    return Array.isArray(results) && looksLikeResult(results[0]);
  },
  parse(doc: unknown, ctx: ParseContext): ParsedReport {
    const report = Fields.of(ctx.file, NAME, '$', doc).check(REPORT, FIX);
    const findings: RawFinding[] = [];
    for (const result of report.objects('results', false)) {
      const ruleId = result.reqString('rule_id');
      const location = result.reqObject('location');
      const status = statusOf(result);
      if (status === 'passed') continue;
      const toolSeverity = result.optString('severity');
      const longId = result.optString('long_id');
      const legacyId = result.optString('legacy_rule_id');
      findings.push({
        tool: 'tfsec',
        kind: 'misconfiguration',
        ruleId,
        title: result.optString('rule_description') ?? longId ?? ruleId,
        // 1.x: CRITICAL/HIGH/MEDIUM/LOW; 0.x: ERROR/WARNING/INFO.
        severity: severityOfText(toolSeverity),
        toolSeverity,
        description: [result.optString('description'), status === 'ignored' ? suppressedNote('a tfsec:ignore comment') : undefined].filter(Boolean).join('\n') || undefined,
        location: {
          file: location.reqString('filename'),
          line: lineNumber(location.raw('start_line')),
          endLine: lineNumber(location.raw('end_line')),
          target: result.optString('resource'),
        },
        aliases: uniqueOrUndefined([longId, legacyId].filter((id) => id !== ruleId)),
        references: uniqueOrUndefined([...result.strings('links'), ...urlsIn(result.optString('link'))]),
      });
    }
    return { format: FORMAT, tool: 'tfsec', findings };
  },
};
