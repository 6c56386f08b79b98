import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { GATE_CLI_FILE } from './gate-runner';

/**
 * The bundled gatehouse CLI that synthesized pipelines run (`npx projen bundle:cli` writes it),
 * from `src/core` or `lib/core`.
 * @internal
 */
export const DEFAULT_GATE_CLI_PATH = path.resolve(__dirname, '..', '..', 'assets', GATE_CLI_FILE);

/**
 * The bundled gate as read at synth: its bytes and what it must hash to.
 * @internal
 */
export interface GateCli {
  /** Absolute path of `gatehouse.js`. */
  readonly file: string;
  /** The file's content. */
  readonly content: Buffer;
  /** sha256 (hex) of the content: the gate refuses to run anything else. */
  readonly sha256: string;
}

const cache = new Map<string, GateCli>();

/**
 * Reads and hashes the bundled gate, once per file and content. Throws when it is missing or
 * empty: a pipeline runs the exact gate that synthesized it, never one fetched later.
 * @internal
 */
export function readGateCli(file: string = DEFAULT_GATE_CLI_PATH): GateCli {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new Error(
      `the bundled gatehouse gate ${file} is missing, and pipelines with gated scans ship it: run "npx projen bundle:cli" to build it, then synthesize again`,
    );
  }
  const key = `${file}\n${stat.size}\n${stat.mtimeMs}`;
  const known = cache.get(key);
  if (known) return known;
  const content = fs.readFileSync(file);
  if (content.length === 0) {
    throw new Error(`the bundled gatehouse gate ${file} is empty: run "npx projen bundle:cli" to build it again`);
  }
  const cli: GateCli = { file, content, sha256: createHash('sha256').update(content).digest('hex') };
  cache.set(key, cli);
  return cli;
}
