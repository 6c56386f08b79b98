import { ParseContext, ParsedReport, ReportError, XmlParser } from '../types';
import { streamXccdfFindings } from './xml-xccdf';

const FORMAT = 'openscap-arf';

/** Asset Reporting Format 1.1 namespace. */
const ARF_NAMESPACE = 'http://scap.nist.gov/schema/asset-reporting-format/1.1';

/**
 * ARF results as `oscap xccdf eval --results-arf` writes them: an `asset-report-collection` whose
 * reports hold the XCCDF TestResult (plus OVAL results), and whose report requests hold the source
 * data stream with the Benchmark that gives rule titles and severities. Streamed: ~8 MB is usual.
 */
export const openscapArfParser: XmlParser = {
  type: 'xml',
  id: FORMAT,
  detect(root): boolean {
    return root.name === 'asset-report-collection' && root.uri === ARF_NAMESPACE;
  },
  async parse(file: string, ctx: ParseContext): Promise<ParsedReport> {
    const findings = await streamXccdfFindings(file, {
      format: FORMAT,
      checkRoot(root) {
        if (!openscapArfParser.detect(root)) {
          throw new ReportError(ctx.file, `${FORMAT}: the root element is ${root.name}, not an ARF asset-report-collection`);
        }
      },
      noResultsHint: 'an ARF from `oscap xccdf eval --results-arf` holds one per evaluation; re-run the scan',
    });
    return { format: FORMAT, tool: 'openscap', findings };
  },
};
