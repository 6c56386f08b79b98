import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, sign, verify } from 'node:crypto';
import { ed25519PointProblem } from './ed25519-point';

/**
 * Canonical JSON: object keys sorted (recursively), no whitespace, `undefined` members dropped,
 * dates as ISO strings. Two semantically equal exemptions give the same bytes, whatever YAML
 * formatting or key order the file uses.
 */
export function canonicalJson(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
  if (typeof value === 'bigint') return JSON.stringify(value.toString());
  return JSON.stringify(value) ?? 'null';
}

/** The bytes an exemption signature covers: the canonical JSON of every field but `signature`. */
export function signingPayload(entry: Record<string, unknown>): Buffer {
  const fields: Record<string, unknown> = { ...entry };
  delete fields.signature;
  return Buffer.from(canonicalJson(fields), 'utf8');
}

/** Signs an exemption with an ed25519 private key (PEM); returns the base64 signature. */
export function signExemption(entry: Record<string, unknown>, privateKeyPem: string): string {
  return signBytes(signingPayload(entry), privateKeyPem);
}

/** Signs bytes with an ed25519 private key (PEM); returns the base64 signature. */
export function signBytes(bytes: Uint8Array, privateKeyPem: string): string {
  const key = createPrivateKey(privateKeyPem);
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`the signing key is ${key.asymmetricKeyType ?? 'not an asymmetric key'}, not ed25519: create one with \`gatehouse exemption keygen\``);
  }
  return sign(null, bytes, key).toString('base64');
}

/** True when `signature` (base64) verifies over the exemption with one of `keys`. */
export function verifyExemption(entry: Record<string, unknown>, signature: string, keys: readonly KeyObject[]): boolean {
  return verifyBytes(signingPayload(entry), signature, keys);
}

/** True when `signature` (base64 of 64 bytes) verifies over `bytes` with one of `keys`. */
export function verifyBytes(payload: Uint8Array, signature: string, keys: readonly KeyObject[]): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signature.trim())) return false;
  const sig = Buffer.from(signature.trim(), 'base64');
  if (sig.length !== 64) return false;
  return keys.some((k) => {
    try {
      return verify(null, payload, k, sig);
    } catch {
      return false;
    }
  });
}

/** A new ed25519 key pair as PEM (PKCS#8 private, SPKI public). */
/**
 * The public key of an approver's ed25519 private key (PEM), or a usage error naming the fix: the
 * key every `approve` / `sign` command takes with `--key`.
 */
export function signingKeyOf(privateKeyPem: string, usageError: (message: string) => Error): KeyObject {
  try {
    const key = createPrivateKey(privateKeyPem);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`it is a ${key.asymmetricKeyType} key, not ed25519`);
    return createPublicKey(key);
  } catch (e) {
    throw usageError(`--key is not an ed25519 private key in PEM (${(e as Error).message}): create one with \`gatehouse exemption keygen\``);
  }
}

export function generateEd25519Pem(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** Parses an ed25519 public key from PEM; throws a lowercase message naming what is wrong. */
export function ed25519PublicKey(pem: string, what: string): KeyObject {
  if (/-----BEGIN (ENCRYPTED |RSA |EC |OPENSSH )?PRIVATE KEY-----/.test(pem)) {
    throw new Error(`${what} is a private key: trust public keys only (the approver keeps the private key)`);
  }
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (e) {
    throw new Error(`${what} is not a PEM public key (${(e as Error).message})`);
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`${what} is a ${key.asymmetricKeyType} key: exemption signatures use ed25519`);
  }
  const problem = ed25519PointProblem(Buffer.from(key.export({ format: 'jwk' }).x ?? '', 'base64url'));
  if (problem) throw new Error(`${what} is not a usable ed25519 public key: it ${problem}; replace it with the public key of a key pair made by \`gatehouse exemption keygen\``);
  return key;
}
