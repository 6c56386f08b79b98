import { selectJsonParser, selectXmlParser } from './detect';
import { InternalError } from './errors';
import { collectGarbage, endLargeInput, LARGE_REPORT_BYTES, tuneForLargeInput } from './memory';
import { ALL_PARSERS } from './parsers';
import { sniffXmlRoot } from './parsers/xml-detect';
import { checkDuplicateKeys, checkXmlBytes, countKeyColons, parseJsonText, readHead, readJsonText } from './read';
import { toolVersionsOf } from './tool-version';
import { JsonParser, ParsedReport, Parser, RawFinding, ReportError, SEVERITIES, XmlParser } from './types';

/**
 * Reads one report and parses it with the one parser that recognizes its content. Every way the
 * file can be bad — missing, empty, binary, not UTF-8, truncated, unrecognized, schema-invalid —
 * is a `ReportError` naming the file; a defect of a parser is wrapped the same way, so a report
 * gatehouse could not read never passes a gate.
 */
export async function loadReport(file: string, parsers: readonly Parser[] = ALL_PARSERS, expect?: readonly string[]): Promise<ParsedReport> {
  const head = readHead(file);
  let report: ParsedReport;
  if (head.kind === 'json') {
    // one large copy at a time: the bytes are dropped once decoded, the text once parsed
    const large = head.size >= LARGE_REPORT_BYTES;
    if (large) tuneForLargeInput();
    let text: string | undefined = readJsonText(file, head);
    if (large) collectGarbage();
    // keys are counted in the text before the tree exists and in the tree once the text is gone
    const colons = countKeyColons(text);
    let doc = parseJsonText(file, text);
    text = undefined;
    if (large) {
      // the tree is built: the findings and outputs that follow allocate many small objects
      endLargeInput();
      collectGarbage();
    }
    doc = checkDuplicateKeys(file, doc, colons, () => readJsonText(file, head));
    const parser = expected(file, selectJsonParser(file, doc, parsers), expect, parsers, doc);
    report = guard(file, parser.id, () => parser.parse(doc, { file }));
    const versions = toolVersionsOf(report.format, report.tool, doc);
    if (Object.keys(versions).length > 0) report.toolVersions = versions;
  } else {
    checkXmlBytes(file, head);
    const root = await sniffXmlRoot(file);
    if (!root) {
      throw new ReportError(file, 'is not well-formed XML up to its root element (or it declares entities, which are refused)');
    }
    const parser = expected(file, selectXmlParser(file, root, parsers), expect, parsers);
    try {
      report = await parser.parse(file, { file });
    } catch (e) {
      throw asReportError(file, parser.id, e);
    }
  }
  return checked(file, report);
}

/**
 * The parser to use when the gate expects one of `expect` (format ids): the detected one when it is
 * expected; an expected format whose empty report is this document (`[]`, detected as gitleaks');
 * otherwise bad input naming what the file is and what was expected.
 */
function expected<P extends JsonParser | XmlParser>(
  file: string,
  parser: P,
  expect: readonly string[] | undefined,
  parsers: readonly Parser[],
  doc?: unknown,
): P {
  if (!expect || expect.includes(parser.id)) return parser;
  if (parser.type === 'json') {
    const empty = parsers.find((p): p is JsonParser => p.type === 'json' && expect.includes(p.id) && p.emptyReport?.(doc) === true);
    if (empty) return empty as P;
  }
  throw new ReportError(file, `is ${parser.id}, but this gate expects ${expect.join(' or ')}: give the scanner's own report`);
}

function guard(file: string, format: string, fn: () => ParsedReport): ParsedReport {
  try {
    return fn();
  } catch (e) {
    throw asReportError(file, format, e);
  }
}

function asReportError(file: string, format: string, e: unknown): Error {
  if (e instanceof ReportError || e instanceof InternalError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new ReportError(file, `is not a valid ${format} report: ${message}`);
}

const KNOWN = new Set<string>(SEVERITIES);

/** A parser's output, checked: findings must be a list of findings with a tool, a kind and a rule. */
function checked(file: string, report: ParsedReport): ParsedReport {
  if (!report || !Array.isArray(report.findings)) {
    throw new InternalError(`${file}: internal error: parser returned no findings list (please report this)`);
  }
  for (const f of report.findings as RawFinding[]) {
    if (!f || typeof f.tool !== 'string' || typeof f.ruleId !== 'string' || typeof f.kind !== 'string') {
      throw new InternalError(`${file}: internal error: parser ${report.format} returned a finding without tool, kind or rule id (please report this)`);
    }
    if (!KNOWN.has(f.severity)) f.severity = 'unknown';
    if (!f.location) f.location = {};
  }
  return report;
}
