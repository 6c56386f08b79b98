import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Name of the bundled gate beside this file (bundled) or in the package's assets folder. */
const GATE_FILE = 'gatehouse.js';

/**
 * The bundled gatehouse gate the local engine runs: `gatehouse.js` beside the bundled local CLI
 * (`assets/`), or the package's `assets/gatehouse.js` when running from source or the compiled
 * library. Throws with the fix when it is missing.
 */
export function findGateCli(explicit?: string): string {
  const candidates = explicit ? [resolve(explicit)] : [join(__dirname, GATE_FILE), resolve(__dirname, '..', '..', 'assets', GATE_FILE)];
  for (const c of candidates) if (existsSync(c)) return c;
  throw new Error(`the bundled gatehouse gate is missing (looked for ${candidates.join(', ')}): run "npx projen bundle:cli" to build it`);
}

/** A trust source as the model holds it. */
export interface TrustSourceLike {
  readonly kind: string;
  readonly content?: string;
  describe(): string;
}

/** Kinds of trust source the local engine can read: only content written in the definition. */
export const LOCAL_TRUST_KINDS = ['inline'];

/** Why a trust source cannot be read here, or undefined. */
export function trustSourceProblem(where: string, what: string, source: TrustSourceLike): string | undefined {
  if (LOCAL_TRUST_KINDS.includes(source.kind)) return undefined;
  return `${where} ${what} come from ${source.describe()}, which the local engine cannot read (it holds no AWS or Kubernetes credentials): ` +
    'give the same content with TrustSource.inline(...) in the definition you run here';
}

/** A fresh trust folder (0700) outside the source tree, removed by `remove`. */
export function makeTrustDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-trust-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes one trust file, readable by its owner only, never over an existing file. */
export function writeTrustFile(path: string, content: string): void {
  writeFileSync(path, content, { mode: 0o400, flag: 'wx' });
}

/** Values a gate run emitted (`--emit-env`): `GATE_VERDICT` and one `GATE_<SEVERITY>` count each. */
export function readGateValues(file: string): { [name: string]: string } {
  const out: { [name: string]: string } = {};
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return out;
  }
  for (const line of text.split('\n')) {
    const m = /^(GATE_[A-Z]+)=([A-Za-z0-9]+)$/.exec(line.trim());
    if (m) out[m[1]] = m[2];
  }
  return out;
}

/** The gate's arguments with `--emit-env FILE` before the `--` that starts the reports. */
export function withEmitEnv(args: string[], envFile: string): string[] {
  const at = args.indexOf('--');
  const cut = at < 0 ? args.length : at;
  return [...args.slice(0, cut), '--emit-env', envFile, ...args.slice(cut)];
}
