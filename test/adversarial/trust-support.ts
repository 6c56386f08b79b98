import { spawnSync } from 'node:child_process';
import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { signedMessage } from '../../src/findings/signed-input';
import { generateEd25519Pem, signExemption } from '../../src/findings/signing';
import { ensureBundledCli } from '../findings/cli/bundled-cli';
import { ROOT, tempDir } from '../findings/support';

/**
 * Helpers of the adversarial trust suites: the real CLI (assets/gatehouse.js, built by
 * `npx projen bundle:cli`), key pairs, and exemptions signed the way `gatehouse exemption approve`
 * signs them (so an attack can forge exactly the file an attacker would commit).
 */

export const CLI = join(ROOT, 'assets', 'gatehouse.js');

/** Builds the CLI when this suite runs on its own. */
export function ensureCli(): void {
  ensureBundledCli();
}

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node assets/gatehouse.js ARGS` in `cwd`. */
export function gatehouse(cwd: string, ...args: string[]): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export type KeyPair = ReturnType<typeof generateEd25519Pem>;

/** ISO date-time `days` from now, without milliseconds. */
export function isoAt(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
}

/** ISO date `days` from now. */
export function dayAt(days: number): string {
  return isoAt(days).slice(0, 10);
}

/**
 * An approved exemption of bandit's B602 (the one high finding of the bandit sample) requested by
 * `requestedBy`, approved yesterday by `approvedBy`, expiring in 30 days; `over` changes any field.
 * Signed with `key` when given.
 */
export function exemption(requestedBy: string, approvedBy: string, over: Record<string, unknown> = {}, key?: KeyPair): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    id: 'EX-1',
    rule: 'B602',
    reason: 'reviewed: the command is a constant',
    requestedBy,
    requestedAt: isoAt(-2),
    approvedBy,
    approvedAt: isoAt(-1),
    expires: dayAt(30),
    ...over,
  };
  if (key) entry.signature = signExemption(entry, key.privateKeyPem);
  return entry;
}

/** A temp folder with helpers to write the files an attack commits. */
export function workspace(): ReturnType<typeof tempDir> & { yaml(name: string, doc: unknown): string; json(name: string, doc: unknown): string } {
  const t = tempDir();
  return {
    ...t,
    yaml: (name, doc) => t.file(name, stringify(doc)),
    json: (name, doc) => t.file(name, JSON.stringify(doc)),
  };
}

/**
 * Writes `FILE.sig` as an attacker would: `signedBy` any name, signed with `key` over the file's
 * bytes (what `gatehouse vex sign` / `baseline sign` write, made without the CLI).
 */
export function writeSignature(file: string, signedBy: string, key: KeyPair, kind: 'VEX document' | 'baseline' = file.includes('baseline') ? 'baseline' : 'VEX document'): void {
  // what `gatehouse vex sign` signs: the context line, then the file's bytes (see signedMessage)
  const signature = sign(null, signedMessage(kind, readFileSync(file)), createPrivateKey(key.privateKeyPem)).toString('base64');
  writeFileSync(`${file}.sig`, stringify({ signedBy, signature }));
}
