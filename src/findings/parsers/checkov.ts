import { severityFromCvss } from '../severity';
import { FindingKind, JsonParser, ParseContext, ParsedReport, RawFinding, Severity } from '../types';
import { cveId, Fields, isObject, lineNumber, uniqueOrUndefined, severityOfText } from './iac-json-fields';
import { Section } from './strict';
import { suppressedNote, withNote } from './suppressed-note';

const FORMAT = 'checkov-json';
const NAME = 'checkov report';
const FIX = 'produce it with `checkov -d DIR -o json`';

/** One framework's report (checkov's `Report.get_dict`): its findings are in `results`. */
const FRAMEWORK: Section = {
  required: { check_type: 'string', results: 'object' },
  optional: { summary: 'object', url: 'string' },
};
/** The check lists of a framework report. */
const RESULTS: Section = {
  required: { failed_checks: 'array' },
  optional: { passed_checks: 'array', skipped_checks: 'array', parsing_errors: 'array' },
};
/** What checkov prints when it found nothing to scan: counters only. */
const BARE_SUMMARY: Section = {
  required: { checkov_version: 'string', failed: 'number' },
  optional: { passed: 'number', skipped: 'number', parsing_errors: 'number', resource_count: 'number' },
  others: 'none',
};

/** One framework's report: `{check_type, results: {failed_checks, …}, summary}`. */
function looksLikeFrameworkReport(v: unknown): boolean {
  return isObject(v) && typeof v.check_type === 'string' && 'results' in v;
}

/**
 * What checkov prints when it found nothing to scan: only the summary counters,
 * e.g. `{"passed": 0, "failed": 0, "skipped": 0, "parsing_errors": 0, "resource_count": 0, "checkov_version": "…"}`.
 */
function looksLikeBareSummary(v: unknown): boolean {
  return isObject(v) && typeof v.checkov_version === 'string' && typeof v.failed === 'number' && !('results' in v);
}

function kindOf(checkType: string): FindingKind {
  if (checkType === 'secrets') return 'secret';
  if (checkType.startsWith('sca_')) return 'vulnerability';
  return 'misconfiguration';
}

function severityOf(check: Fields): { severity: Severity; toolSeverity?: string } {
  const raw = check.raw('severity');
  // OSS checkov without a platform key writes `severity: null`: no severity is `unknown` (fail closed).
  if (raw === undefined || raw === null) return { severity: 'unknown' };
  if (typeof raw !== 'string') throw check.error('severity', 'must be a string or null');
  return { severity: severityOfText(raw), toolSeverity: raw };
}

function failedCheck(check: Fields, checkType: string, expected: 'FAILED' | 'SKIPPED' = 'FAILED'): RawFinding {
  const checkId = check.reqString('check_id');
  const result = check.optObject('check_result')?.optString('result');
  if (result !== undefined && result !== expected) {
    throw check.error('check_result.result', `is ${JSON.stringify(result)} in ${expected === 'FAILED' ? 'failed' : 'skipped'}_checks; expected ${expected}`);
  }
  const range = check.optArray('file_line_range') ?? [];
  const { severity, toolSeverity } = severityOf(check);
  const finding: RawFinding = {
    tool: 'checkov',
    kind: kindOf(checkType),
    ruleId: checkId,
    title: check.optString('check_name') ?? checkId,
    severity,
    toolSeverity,
    description: check.optString('description') ?? check.optString('short_description'),
    location: {
      file: check.optString('file_path') ?? check.optString('repo_file_path'),
      line: lineNumber(range[0]),
      endLine: lineNumber(range[1]),
      target: check.optString('resource'),
    },
    references: uniqueOrUndefined([check.optString('guideline')]),
  };
  const vuln = check.optObject('vulnerability_details');
  if (vuln) {
    // SCA checks (check_type sca_package / sca_image) carry the package and CVE.
    const id = vuln.optString('id');
    const cvss = vuln.optNumber('cvss');
    finding.cves = uniqueOrUndefined([cveId(id)]);
    finding.aliases = id && !cveId(id) ? [id] : undefined;
    finding.cvss = cvss;
    finding.fixVersion = vuln.optString('fixed_version');
    finding.location.package = vuln.optString('package_name');
    finding.location.version = vuln.optString('package_version');
    if (finding.severity === 'unknown' && cvss !== undefined) finding.severity = severityFromCvss(cvss);
  }
  return finding;
}

function parseFrameworkReport(report: Fields): RawFinding[] {
  report.check(FRAMEWORK, FIX);
  const checkType = report.reqString('check_type');
  const results = report.reqObject('results').check(RESULTS, FIX);
  // `skipped_checks` are checks suppressed by a `checkov:skip=` comment of the scanned code (checks
  // the command line skips are not run, so not listed): findings too, saying so. `passed_checks` and
  // `parsing_errors` are not findings.
  const failed = results.objects('failed_checks', true).map((check) => failedCheck(check, checkType));
  const skipped = results.objects('skipped_checks', false).map((check) => {
    const comment = check.optObject('check_result')?.optString('suppress_comment');
    return withNote(failedCheck(check, checkType, 'SKIPPED'), suppressedNote(`a checkov skip comment${comment ? `: "${comment}"` : ''}`));
  });
  return [...failed, ...skipped];
}

/** checkov `-o json`: one framework report object, or an array of them (one per check_type). */
export const checkovParser: JsonParser = {
  type: 'json',
  id: FORMAT,
  detect(doc: unknown): boolean {
    if (Array.isArray(doc)) return doc.length > 0 && doc.every(looksLikeFrameworkReport);
    return looksLikeFrameworkReport(doc) || looksLikeBareSummary(doc);
  },
  parse(doc: unknown, ctx: ParseContext): ParsedReport {
    const reports = Array.isArray(doc) ? doc : [doc];
    const findings: RawFinding[] = [];
    reports.forEach((item, i) => {
      const path = Array.isArray(doc) ? `$[${i}]` : '$';
      const report = Fields.of(ctx.file, NAME, path, item);
      if (looksLikeBareSummary(item)) {
        // A summary without results can only stand for an empty scan.
        report.check(BARE_SUMMARY, FIX);
        if (report.optNumber('failed') !== 0) {
          throw report.error('failed', 'counts failed checks but the report has no results; re-run checkov with -o json');
        }
        return;
      }
      findings.push(...parseFrameworkReport(report));
    });
    return { format: FORMAT, tool: 'checkov', findings };
  },
};
