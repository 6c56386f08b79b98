import { JsonParser, ParseContext, ParsedReport, RawFinding, Severity } from '../types';
import { cweId, Fields, isObject, lineNumber, uniqueOrUndefined, severityOfText } from './iac-json-fields';
import { Section } from './strict';

const FORMAT = 'kics-json';
const NAME = 'kics report';
const FIX = 'produce it with `kics scan -p DIR --report-formats json -o OUTDIR`';

/** A KICS report (its `model.Summary`): the findings are `queries`, the rest are counters. */
const REPORT: Section = {
  required: { queries: 'array' },
  optional: { kics_version: 'string', scan_id: 'string', start: 'string', end: 'string', paths: ['array', 'null'], severity_counters: 'object' },
  tolerated: ['bill_of_materials'],
};
/** One query: where it matched is `files`. */
const QUERY: Section = {
  required: { query_id: 'string', files: 'array' },
  optional: { query_name: 'string', query_url: 'string', severity: 'string', platform: 'string', cwe: ['string', 'number'], cloud_provider: 'string', category: 'string', experimental: 'boolean', description: 'string', description_id: 'string' },
};

/** Counters KICS writes at the top of every JSON report. */
const KICS_KEYS = ['kics_version', 'queries_total', 'files_scanned', 'files_parsed', 'queries_failed_to_execute'];

function kicsSeverity(text: string | undefined): Severity {
  // KICS severities: CRITICAL, HIGH, MEDIUM, LOW, INFO and TRACE (TRACE queries feed the bill of
  // materials, not findings; one that reaches `queries` is informational).
  if (text?.trim().toUpperCase() === 'TRACE') return 'info';
  return severityOfText(text);
}

/** KICS `--report-formats json`: `queries[]`, each with the `files[]` where it matched. */
export const kicsParser: JsonParser = {
  type: 'json',
  id: FORMAT,
  detect(doc: unknown): boolean {
    if (!isObject(doc) || !Array.isArray(doc.queries)) return false;
    if (KICS_KEYS.some((k) => k in doc)) return true;
    const first: unknown = doc.queries[0];
    return isObject(first) && typeof first.query_id === 'string' && Array.isArray(first.files);
  },
  parse(doc: unknown, ctx: ParseContext): ParsedReport {
    const report = Fields.of(ctx.file, NAME, '$', doc).check(REPORT, FIX);
    const findings: RawFinding[] = [];
    for (const query of report.objects('queries', true)) {
      query.check(QUERY, FIX);
      const queryId = query.reqString('query_id');
      const toolSeverity = query.optString('severity');
      const cwe = cweId(query.optStringOrNumber('cwe'));
      for (const file of query.objects('files', true)) {
        findings.push({
          tool: 'kics',
          kind: 'misconfiguration',
          ruleId: queryId,
          title: query.optString('query_name') ?? queryId,
          severity: kicsSeverity(toolSeverity),
          toolSeverity,
          description: query.optString('description'),
          location: {
            file: file.reqString('file_name'),
            line: lineNumber(file.raw('line')),
            target: file.optString('resource_name') ?? file.optString('search_key'),
          },
          cwes: cwe ? [cwe] : undefined,
          toolFingerprint: file.optString('similarity_id'),
          references: uniqueOrUndefined([query.optString('query_url')]),
        });
      }
    }
    return { format: FORMAT, tool: 'kics', findings };
  },
};
