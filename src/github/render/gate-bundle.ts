import { GATE_BUNDLE_PATH } from './names';
import { DEFAULT_GATE_CLI_PATH, readGateCli } from '../../core/gate-cli';

/** The bundled gate as the workflow ships it: committed beside the workflow, checked by sha256 before it runs. */
export interface StepShipping {
  /** Repository path of the bundle. */
  readonly path: string;
  /** Its content. */
  readonly content: Buffer;
  /** sha256 (hex) of the content: the gate job refuses anything else. */
  readonly sha256: string;
}

/** Reads the bundled gate of this version of gatehouse (throws when it is missing: never fetched later). */
export function readGateShipping(file: string = DEFAULT_GATE_CLI_PATH): StepShipping {
  const cli = readGateCli(file);
  return { path: GATE_BUNDLE_PATH, content: cli.content, sha256: cli.sha256 };
}
