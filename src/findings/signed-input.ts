import { readFileSync, writeFileSync } from 'node:fs';
import { parse as parseYaml, stringify } from 'yaml';
import { UsageError } from './errors';
import { idProblem, identityKey } from './identity';
import { ioProblem, statReport } from './read';
import { signBytes, signingKeyOf, verifyBytes } from './signing';
import { keysFor, TrustedKeys } from './trusted-keys';
import { ReportError } from './types';

/**
 * Detached signatures of gate inputs that come from the repository (a VEX document, a baseline):
 * `FILE.sig` next to `FILE`, YAML `{signedBy: <approver id>, signature: <base64 ed25519 signature
 * over `gatehouse-signed-<vex|baseline>-v1\\n` followed by the exact bytes of FILE>}`. Such an input changes a verdict only when its signature verifies
 * with a key trusted for `signedBy`, who must be on the approvers list.
 */

/**
 * What a detached signature covers: a context line naming the kind of input, then the file's exact
 * bytes. The context keeps a signature made for one kind of input (a baseline) from being reused
 * for another (a VEX document) when one file happens to read as both.
 */
export function signedMessage(what: string, bytes: Uint8Array): Buffer {
  const kind = what === 'baseline' ? 'baseline' : 'vex';
  return Buffer.concat([Buffer.from(`gatehouse-signed-${kind}-v1\n`, 'utf8'), bytes]);
}

/** The signature file of an input. */
export function signatureFileOf(file: string): string {
  return `${file}.sig`;
}

/** A parsed `FILE.sig`. */
export interface DetachedSignature {
  readonly file: string;
  readonly signedBy: string;
  readonly signature: string;
}

/** How far an input is trusted, and why. */
export type InputTrust =
  | { readonly trusted: true; readonly via: 'signature'; readonly signedBy: string }
  | { readonly trusted: true; readonly via: 'pipeline' }
  | { readonly trusted: false; readonly problem: string };

/** What signatures are checked against. */
export interface TrustContext {
  readonly approvers?: ReadonlySet<string>;
  readonly trustedKeys?: TrustedKeys;
}

/**
 * Reads `FILE.sig`: undefined when there is none; a `ReportError` (exit 2) when it exists but is
 * not a well-formed signature file (unreadable, empty, not YAML, missing or extra fields, a
 * signature that is not 64 bytes of base64).
 */
export function readDetachedSignature(file: string): DetachedSignature | undefined {
  const sigFile = signatureFileOf(file);
  let text: string;
  try {
    text = readFileSync(sigFile, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ReportError(sigFile, ioProblem(e, 'signature'));
  }
  statReport(sigFile, 'signature');
  let doc: unknown;
  try {
    doc = parseYaml(text, { uniqueKeys: true, maxAliasCount: 10 });
  } catch (e) {
    throw new ReportError(sigFile, `is not a signature file (YAML with signedBy and signature): ${(e as Error).message.split('\n')[0]}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new ReportError(sigFile, 'is not a signature file: expected YAML `signedBy: <approver id>` and `signature: <base64 ed25519>`');
  }
  const fields = doc as Record<string, unknown>;
  const extra = Object.keys(fields).filter((k) => k !== 'signedBy' && k !== 'signature');
  if (extra.length > 0) throw new ReportError(sigFile, `has unknown field(s) ${extra.map((k) => `"${k}"`).join(', ')}: a signature file has signedBy and signature only`);
  const { signedBy, signature } = fields;
  if (typeof signedBy !== 'string' || signedBy.trim() === '') throw new ReportError(sigFile, 'has no signedBy (the approver id that signed)');
  if (typeof signature !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(signature.trim()) || Buffer.from(signature.trim(), 'base64').length !== 64) {
    throw new ReportError(sigFile, 'has no valid signature: expected the base64 of a 64-byte ed25519 signature');
  }
  return { file: sigFile, signedBy, signature: signature.trim() };
}

/**
 * Whether an input from the repository may change the verdict: only when `FILE.sig` holds a
 * signature over exactly `bytes` by an approver on the approvers list, with a key trusted for that
 * approver. A malformed `FILE.sig` throws (exit 2); every other shortfall returns the problem.
 */
export function checkSignedInput(file: string, bytes: Uint8Array, what: string, ctx: TrustContext): InputTrust {
  const sig = readDetachedSignature(file);
  if (!sig) return { trusted: false, problem: `${what} ${file} is not signed (no ${signatureFileOf(file)}): sign it with \`gatehouse ${what === 'baseline' ? 'baseline' : 'vex'} sign\`, or have the pipeline deliver it as a trusted input` };
  const badId = idProblem(sig.signedBy.replace(/^[ \t]+|[ \t]+$/g, ''), 'signedBy');
  if (badId) return { trusted: false, problem: `${sig.file}: ${badId}` };
  if (!ctx.approvers || !ctx.trustedKeys) {
    return { trusted: false, problem: `${what} ${file} is signed by ${sig.signedBy}, but the signature cannot be checked without --approvers and --trusted-keys` };
  }
  const approvers = new Set([...ctx.approvers].map(identityKey));
  if (!approvers.has(identityKey(sig.signedBy))) {
    return { trusted: false, problem: `${what} ${file} is signed by ${sig.signedBy}, who is not a security approver (--approvers)` };
  }
  const keys = keysFor(ctx.trustedKeys, sig.signedBy);
  if (keys.length === 0) return { trusted: false, problem: `${what} ${file} is signed by ${sig.signedBy}, who has no trusted key in ${ctx.trustedKeys.file}` };
  if (!verifyBytes(signedMessage(what, bytes), sig.signature, keys)) {
    return { trusted: false, problem: `the signature of ${what} ${file} does not verify with the trusted key of ${sig.signedBy}: the file was changed after signing, or signed by another key` };
  }
  return { trusted: true, via: 'signature', signedBy: sig.signedBy };
}

/** Reads a whole input file as bytes (one read: the bytes checked are the bytes used). */
export function readInputBytes(file: string, what: string): Buffer {
  statReport(file, what);
  try {
    return readFileSync(file);
  } catch (e) {
    throw new ReportError(file, ioProblem(e, what));
  }
}

/**
 * Decodes a JSON input's bytes: UTF-8 (a BOM is skipped) or UTF-16 with its BOM; invalid bytes and
 * NUL characters are errors, never replaced.
 */
export function decodeJsonBytes(file: string, buf: Buffer, what: string): string {
  let text: string;
  try {
    if (buf[0] === 0xff && buf[1] === 0xfe) text = new TextDecoder('utf-16le', { fatal: true }).decode(buf.subarray(2));
    else if (buf[0] === 0xfe && buf[1] === 0xff) text = new TextDecoder('utf-16be', { fatal: true }).decode(buf.subarray(2));
    else text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(buf);
  } catch {
    throw new ReportError(file, `is not valid text (binary or corrupt bytes): expected a JSON ${what}`);
  }
  if (text.includes('\u0000')) throw new ReportError(file, `is binary (it contains NUL characters), not a JSON ${what}`);
  return text;
}

/**
 * `gatehouse vex sign` / `gatehouse baseline sign`: writes `FILE.sig` with a signature over the exact
 * bytes of FILE by `signer`'s ed25519 private key. Returns the signature file.
 */
export function signInputFile(file: string, signer: string, privateKeyPem: string, what: string): string {
  const badId = idProblem(signer, '--signer');
  if (badId) throw new UsageError(badId);
  if (signer.trim() === '') throw new UsageError('--signer names nobody: give your approver id');
  let bytes: Buffer;
  try {
    bytes = readInputBytes(file, what);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const publicKey = signingKeyOf(privateKeyPem, (m) => new UsageError(m));
  const message = signedMessage(what, bytes);
  const signature = signBytes(message, privateKeyPem);
  if (!verifyBytes(message, signature, [publicKey])) throw new Error(`internal error: the signature of ${file} does not verify`);
  const sigFile = signatureFileOf(file);
  try {
    writeFileSync(sigFile, stringify({ signedBy: signer.trim(), signature }));
  } catch (e) {
    throw new UsageError(`cannot write ${sigFile} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return sigFile;
}
