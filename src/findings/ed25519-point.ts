/* eslint-disable no-bitwise -- field and scalar arithmetic over bytes and bigints */
/**
 * Checks an ed25519 public key as a curve point (RFC 8032 §5.1.3 decoding, then its order).
 *
 * Verification (node:crypto / OpenSSL) accepts some keys that no key pair produces: with the
 * identity point or another point of small order as the public key, one constant signature (for
 * the identity: R = identity, s = 0) verifies for every message, so a trusted-keys entry holding
 * such a key would let anyone "sign" any exemption. A key is refused unless it is the canonical
 * encoding of a point on the curve that lies in the prime-order subgroup (as every key made by
 * `a·B` does): that excludes the 8 points of small order under all their encodings (canonical and
 * not), non-canonical encodings, points off the curve, and points with a small-order component.
 */

const P = 2n ** 255n - 19n;
/** Order of the prime-order subgroup. */
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const D = mod(-121665n * inverse(121666n));
const SQRT_M1 = pow(2n, (P - 1n) / 4n);

function mod(a: bigint): bigint {
  const r = a % P;
  return r >= 0n ? r : r + P;
}

function pow(base: bigint, exp: bigint): bigint {
  let result = 1n;
  let b = mod(base);
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % P;
    b = (b * b) % P;
    e >>= 1n;
  }
  return result;
}

function inverse(a: bigint): bigint {
  return pow(a, P - 2n);
}

/** A point in extended coordinates (X:Y:Z:T), x = X/Z, y = Y/Z, xy = T/Z. */
interface Point {
  readonly X: bigint;
  readonly Y: bigint;
  readonly Z: bigint;
  readonly T: bigint;
}

const IDENTITY: Point = { X: 0n, Y: 1n, Z: 1n, T: 0n };

/** Point addition (add-2008-hwcd-3, a = −1), complete on ed25519. */
function add(p: Point, q: Point): Point {
  const a = mod((p.Y - p.X) * (q.Y - q.X));
  const b = mod((p.Y + p.X) * (q.Y + q.X));
  const c = mod(2n * D * p.T * q.T);
  const d = mod(2n * p.Z * q.Z);
  const e = b - a;
  const f = d - c;
  const g = d + c;
  const h = b + a;
  return { X: mod(e * f), Y: mod(g * h), Z: mod(f * g), T: mod(e * h) };
}

function multiply(p: Point, n: bigint): Point {
  let result = IDENTITY;
  let addend = p;
  let k = n;
  while (k > 0n) {
    if (k & 1n) result = add(result, addend);
    addend = add(addend, addend);
    k >>= 1n;
  }
  return result;
}

function isIdentity(p: Point): boolean {
  return mod(p.X) === 0n && mod(p.Y - p.Z) === 0n;
}

/**
 * Why a 32-byte ed25519 public key is unsafe to trust, or undefined when it is a valid key.
 */
export function ed25519PointProblem(raw: Uint8Array): string | undefined {
  if (raw.length !== 32) return `is ${raw.length} bytes, not the 32 of an ed25519 public key`;
  const bytes = Uint8Array.from(raw);
  const sign = bytes[31] >> 7;
  bytes[31] &= 0x7f;
  let y = 0n;
  for (let i = 31; i >= 0; i--) y = (y << 8n) | BigInt(bytes[i]);
  if (y >= P) return 'is a non-canonical encoding (y ≥ 2^255 − 19): no key pair has it';
  // x² = (y² − 1) / (d·y² + 1)
  const y2 = mod(y * y);
  const u = mod(y2 - 1n);
  const v = mod(D * y2 + 1n);
  let x = mod(u * pow(v, 3n) * pow(u * pow(v, 7n), (P - 5n) / 8n));
  const vx2 = mod(v * x * x);
  if (vx2 !== u) {
    if (vx2 === mod(-u)) x = mod(x * SQRT_M1);
    else return 'is not a point on the ed25519 curve';
  }
  if (x === 0n && sign === 1) return 'is a non-canonical encoding (x = 0 with the sign bit set): no key pair has it';
  if (Number(x & 1n) !== sign) x = P - x;
  const point: Point = { X: x, Y: y, Z: 1n, T: mod(x * y) };
  if (isIdentity(point)) return 'is the identity point: a constant signature would verify for every message';
  if (isIdentity(multiply(point, 8n))) return 'is a point of small order: a constant signature would verify for every message';
  if (!isIdentity(multiply(point, L))) return 'is not in the prime-order subgroup (it has a small-order component): no key pair has it';
  return undefined;
}
