/**
 * The image that runs the bundled gatehouse gate (`gatehouse.js` needs only Node.js 20 or later),
 * pinned by digest. Override per pipeline with `defaults.gateImage`.
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
