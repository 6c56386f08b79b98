import { ParseContext, ParsedReport, ReportError, XmlParser } from '../types';
import { streamXccdfFindings, XCCDF_NAMESPACES } from './xml-xccdf';

const FORMAT = 'openscap-xccdf';

/** Roots of an XCCDF results document: the Benchmark with its TestResult, or a bare TestResult. */
const ROOTS = new Set(['Benchmark', 'TestResult']);

/**
 * XCCDF 1.2 (and 1.1) results as `oscap xccdf eval --results` writes them: the Benchmark with
 * a `TestResult` of `rule-result` elements. Streamed: the file is several MB even for ~50 rules.
 */
export const openscapXccdfParser: XmlParser = {
  type: 'xml',
  id: FORMAT,
  detect(root): boolean {
    return ROOTS.has(root.name) && XCCDF_NAMESPACES.has(root.uri);
  },
  async parse(file: string, ctx: ParseContext): Promise<ParsedReport> {
    const findings = await streamXccdfFindings(file, {
      format: FORMAT,
      checkRoot(root) {
        if (!openscapXccdfParser.detect(root)) {
          throw new ReportError(ctx.file, `${FORMAT}: the root element is ${root.name}, not an XCCDF Benchmark or TestResult`);
        }
      },
      noResultsHint: 'this is a benchmark, not scan results: pass the file written by `oscap xccdf eval --results`',
    });
    return { format: FORMAT, tool: 'openscap', findings };
  },
};
