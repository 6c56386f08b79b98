/**
 * The image that runs the bundled gatehouse gate (`gatehouse.js` needs only Node.js 20 or later),
 * pinned by digest. Override per pipeline with `defaults.gateImage`. CodePipeline gates, which
 * also need the AWS CLI, run in CodeBuild's managed image instead while this default is kept.
 */
export const DEFAULT_GATE_IMAGE =
  'node:22.14.0-bookworm-slim@sha256:bac8ff0b5302b06924a5e288fb4ceecef9c8bb0bb92515985d2efdc3a2447052';

/** Folder (relative to the source root) where a gate writes its outputs: `<dir>/<stage>-<step>/`. */
export const GATE_OUTPUT_ROOT = '.gatehouse/gate';

/** Name of the bundled gate file engines ship with the pipeline. */
export const GATE_CLI_FILE = 'gatehouse.js';

/** Output folder of the gate that follows `stepName` in `stageName` (or the stage gate, `stepName` undefined). */
export function gateOutputDir(stageName: string, stepName?: string): string {
  return `${GATE_OUTPUT_ROOT}/${stageName}-${stepName ?? 'stage-gate'}`;
}

/** What a gate needs to know of the scans whose reports it reads. */
export interface GateScanReports {
  /** Report files the scan writes. */
  readonly findingsReports: string[];
  /** Format ids of those reports (empty: any). */
  readonly findingsFormats: string[];
}

/** The report files a gate over `scans` decides over: each scan's findings reports, once, in step order. */
export function gateReports(scans: GateScanReports[]): string[] {
  return [...new Set(scans.flatMap((s) => s.findingsReports))];
}

/**
 * The formats a gate accepts for each of its reports (`GateArgsOptions.reportFormats`): the
 * `findingsFormats` of the scans that write it, joined with `,`. Undefined (any format) when a
 * report's writer declares none: the gate's `--expect-format` cannot say "any" for one report only.
 */
export function gateReportFormats(scans: GateScanReports[], reports: string[]): string[] | undefined {
  const out: string[] = [];
  for (const report of reports) {
    const writers = scans.filter((s) => s.findingsReports.includes(report));
    if (writers.length === 0 || writers.some((s) => s.findingsFormats.length === 0)) return undefined;
    out.push([...new Set(writers.flatMap((s) => s.findingsFormats))].join(','));
  }
  return out;
}
