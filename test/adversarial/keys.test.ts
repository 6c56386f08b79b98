import { createPublicKey, verify } from 'node:crypto';
import { ensureCli, exemption, gatehouse, workspace } from './trust-support';
import { BANDIT } from '../findings/support';

/**
 * Weak ed25519 keys. With a point of small order as the public key, one constant signature verifies
 * for every message: whoever can put such a key into the trusted keys "signs" any exemption
 * without a private key. The gate must refuse the key itself (exit 2, naming the entry).
 */

beforeAll(() => ensureCli());
const w = workspace();
afterAll(() => w.cleanup());

const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const pem = (hex: string) => createPublicKey({ key: Buffer.concat([SPKI_PREFIX, Buffer.from(hex, 'hex')]), format: 'der', type: 'spki' }).export({ type: 'spki', format: 'pem' }).toString();

/** Every encoding of a point of small order (canonical ones first), as 32-byte hex. */
const SMALL_ORDER: Array<[string, string]> = [
  ['identity (order 1)', '0100000000000000000000000000000000000000000000000000000000000000'],
  ['order 2', 'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'],
  ['order 4, x positive', '0000000000000000000000000000000000000000000000000000000000000000'],
  ['order 4, x negative', '0000000000000000000000000000000000000000000000000000000000000080'],
  ['order 8 (1)', 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a'],
  ['order 8 (2)', 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa'],
  ['order 8 (3)', '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05'],
  ['order 8 (4)', '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85'],
  ['identity, sign bit set (non-canonical)', '0100000000000000000000000000000000000000000000000000000000000080'],
  ['order 2, sign bit set (non-canonical)', 'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff'],
  ['y = p (≡ 0, non-canonical)', 'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'],
  ['y = p, sign bit set (non-canonical)', 'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff'],
  ['y = p + 1 (≡ identity, non-canonical)', 'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'],
  ['y = p + 1, sign bit set (non-canonical)', 'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff'],
];

/** R = the identity point, s = 0: verifies for any message under the identity key. */
const CONSTANT_SIGNATURE = Buffer.concat([Buffer.from(SMALL_ORDER[0][1], 'hex'), Buffer.alloc(32)]);

test('node:crypto alone accepts the constant signature under the identity key, for any message', () => {
  // documents why the gate checks keys itself: OpenSSL's ed25519 verify does not refuse small-order keys
  const key = createPublicKey(pem(SMALL_ORDER[0][1]));
  for (const message of ['an exemption', 'another exemption', '']) {
    expect(verify(null, Buffer.from(message), key, CONSTANT_SIGNATURE)).toBe(true);
  }
});

test('a trusted key of small order with a constant signature no longer verifies an arbitrary exemption: exit 2 naming the entry', () => {
  const keys = w.yaml('keys-identity.yaml', { 'sec.bob': pem(SMALL_ORDER[0][1]) });
  const forged = { ...exemption('dev.mallory', 'sec.bob'), signature: CONSTANT_SIGNATURE.toString('base64') };
  const ex = w.yaml('ex-forged.yaml', { exemptions: [forged] });
  const r = gatehouse(w.dir, 'gate', '--exemptions', ex, '--approvers', 'sec.bob', '--trusted-keys', keys, BANDIT);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/keys-identity\.yaml: key 1 of approver "sec\.bob" is not a usable ed25519 public key: it is the identity point/);
});

test.each(SMALL_ORDER)('a trusted key that is %s is refused (exit 2), in a key map and in a PEM bundle', (what, hex) => {
  const key = pem(hex); // node:crypto loads every one of these encodings as a public key
  const map = w.yaml(`map-${hex.slice(0, 6)}-${hex.slice(-2)}.yaml`, { 'sec.bob': key });
  const bundle = w.file(`bundle-${hex.slice(0, 6)}-${hex.slice(-2)}.pem`, key);
  const ex = w.yaml('ex-any.yaml', { exemptions: [{ ...exemption('dev.mallory', 'sec.bob'), signature: CONSTANT_SIGNATURE.toString('base64') }] });
  for (const keys of [map, bundle]) {
    const r = gatehouse(w.dir, 'gate', '--exemptions', ex, '--approvers', 'sec.bob', '--trusted-keys', keys, BANDIT);
    expect({ what, keys, code: r.code }).toEqual({ what, keys, code: 2 });
    expect(r.stderr).toMatch(/is not a usable ed25519 public key/);
  }
});
