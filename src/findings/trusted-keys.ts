import { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { MAX_YAML_ALIASES, yamlProblem } from './exemptions';
import { idProblem, identityKey } from './identity';
import { ioProblem, statReport } from './read';
import { ed25519PublicKey } from './signing';
import { ReportError } from './types';

/**
 * Public keys that exemption signatures must verify against. Either keys bound to approvers (a
 * YAML/JSON map approver → PEM or list of PEMs: the signature must verify with the approver's own
 * key) or a PEM bundle of keys trusted for every approver.
 */
export interface TrustedKeys {
  readonly file: string;
  /** Keys per approver identity key (`identityKey`); empty when the file is a plain PEM bundle. */
  readonly byApprover: ReadonlyMap<string, readonly KeyObject[]>;
  /** Keys trusted for any approver (a plain PEM bundle). */
  readonly anyApprover: readonly KeyObject[];
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/**
 * Reads `--trusted-keys FILE`. A file without a single usable key is bad input, and so is any key
 * that is not a valid ed25519 public key (a point of small order, the identity, a non-canonical
 * encoding, a point off the curve: see `ed25519PointProblem`), an approver id with an invisible or
 * control character, and two approver ids that look alike (same identity key).
 */
export function readTrustedKeys(file: string): TrustedKeys {
  statReport(file, 'trusted keys');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ReportError(file, ioProblem(e, 'trusted keys'));
  }
  if (text.trimStart().startsWith('-----BEGIN')) {
    const blocks = text.match(PEM_BLOCK) ?? [];
    if (blocks.length === 0) throw new ReportError(file, 'has no complete PEM block (-----BEGIN … -----END …)');
    const keys = blocks.map((b, i) => wrap(file, () => ed25519PublicKey(b, `PEM block ${i + 1}`)));
    return { file, byApprover: new Map(), anyApprover: keys };
  }
  let doc: unknown;
  try {
    doc = parseYaml(text, { maxAliasCount: MAX_YAML_ALIASES });
  } catch (e) {
    if (/alias/i.test(String((e as Error)?.message))) throw new ReportError(file, `is not a usable trusted keys file: ${yamlProblem(e)}`);
    throw new ReportError(file, `is neither PEM nor a YAML/JSON map of approver to key: ${(e as Error).message.split('\n')[0]}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new ReportError(file, 'must be PEM public keys or a YAML/JSON map of approver id to PEM public key');
  }
  const byApprover = new Map<string, KeyObject[]>();
  const names = new Map<string, string>();
  for (const [approver, value] of Object.entries(doc as Record<string, unknown>)) {
    const bad = idProblem(approver, 'approver');
    if (bad) throw new ReportError(file, bad);
    const pems = Array.isArray(value) ? value : [value];
    const keys = pems.map((pem, i) => {
      if (typeof pem !== 'string') throw new ReportError(file, `key ${i + 1} of approver "${approver}" must be a PEM string`);
      return wrap(file, () => ed25519PublicKey(pem, `key ${i + 1} of approver "${approver}"`));
    });
    if (keys.length === 0) throw new ReportError(file, `approver "${approver}" has no key`);
    const id = identityKey(approver);
    const other = names.get(id);
    if (other !== undefined && other.trim() !== approver.trim()) {
      throw new ReportError(file, `approvers "${other}" and "${approver}" look alike (same letters after Unicode normalization and confusable folding): one id per person`);
    }
    names.set(id, approver);
    byApprover.set(id, [...(byApprover.get(id) ?? []), ...keys]);
  }
  if (byApprover.size === 0) throw new ReportError(file, 'names no approver key');
  return { file, byApprover, anyApprover: [] };
}

/** The keys an approver's signature may verify with. */
export function keysFor(trusted: TrustedKeys, approver: string): readonly KeyObject[] {
  if (trusted.anyApprover.length > 0) return trusted.anyApprover;
  if (idProblem(approver, 'approver')) return [];
  return trusted.byApprover.get(identityKey(approver)) ?? [];
}

function wrap<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw new ReportError(file, (e as Error).message);
  }
}
