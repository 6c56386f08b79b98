import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { UsageError } from '../../../src/findings/errors';
import { approveExemption, requestExemption } from '../../../src/findings/exemption-file';
import { decideExemptions } from '../../../src/findings/exemption-rules';
import { readExemptions } from '../../../src/findings/exemptions';
import { canonicalJson, generateEd25519Pem, signExemption, verifyExemption } from '../../../src/findings/signing';
import { readTrustedKeys } from '../../../src/findings/trusted-keys';
import { tempDir } from '../support';

const t = tempDir();
afterAll(() => t.cleanup());

const NOW = Date.parse('2026-06-15T12:00:00Z');
const bob = generateEd25519Pem();
const eve = generateEd25519Pem();
const carol = generateEd25519Pem();

const request = {
  id: 'EX-7',
  rule: 'CVE-2024-0001',
  package: 'openssl',
  reason: 'not reachable from the app',
  requestedBy: 'dev.alice',
  expires: '2026-08-31',
};

/** A fresh exemptions file with EX-7 (for pipeline `web`) requested and approved by sec.bob with `key`. */
function approvedFile(name: string, key = bob.privateKeyPem): string {
  const file = `${t.dir}/${name}`;
  requestExemption(file, { ...request, pipeline: ['web'] }, NOW);
  approveExemption(file, { id: 'EX-7', approver: 'sec.bob', privateKeyPem: key }, NOW);
  return file;
}

function decideWith(file: string, keysFile?: string) {
  const [d] = decideExemptions(readExemptions(file), {
    now: NOW,
    pipeline: 'web',
    approvers: new Set(['sec.bob', 'sec.carol']),
    trustedKeys: keysFile ? readTrustedKeys(keysFile) : undefined,
  });
  return d;
}

const keysByApprover = t.file('keys.yaml', stringify({ 'sec.bob': bob.publicKeyPem, 'sec.carol': [carol.publicKeyPem] }));

describe('canonical JSON', () => {
  test('sorts keys recursively and ignores formatting', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 'x'], c: null } })).toBe('{"a":{"c":null,"d":[1,"x"]},"b":1}');
    expect(canonicalJson({ a: undefined, b: 2 })).toBe('{"b":2}');
  });
});

describe('signatures', () => {
  test('verify over every field but the signature, with the signer key only', () => {
    const entry = { id: 'EX-1', rule: 'B101', approvedBy: 'sec.bob' };
    const sig = signExemption(entry, bob.privateKeyPem);
    expect(verifyExemption({ ...entry, signature: sig }, sig, [createPublic(bob.publicKeyPem)])).toBe(true);
    expect(verifyExemption({ ...entry, rule: 'B102' }, sig, [createPublic(bob.publicKeyPem)])).toBe(false);
    expect(verifyExemption(entry, sig, [createPublic(eve.publicKeyPem)])).toBe(false);
    expect(verifyExemption(entry, 'not base64!', [createPublic(bob.publicKeyPem)])).toBe(false);
    expect(verifyExemption(entry, sig.slice(4), [createPublic(bob.publicKeyPem)])).toBe(false);
  });

  test('fails to sign with a key that is not ed25519', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => signExemption({}, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString())).toThrow(/not ed25519/);
  });
});

describe('request and approve', () => {
  test('request writes an unapproved entry; approve signs it; trusted keys then accept it', () => {
    const file = approvedFile('ok.yaml');
    const doc = parse(readFileSync(file, 'utf8'));
    expect(doc.exemptions[0]).toMatchObject({ id: 'EX-7', requestedBy: 'dev.alice', approvedBy: 'sec.bob', approvedAt: '2026-06-15T12:00:00Z', expires: '2026-08-31' });
    expect(doc.exemptions[0].signature).toMatch(/^[A-Za-z0-9+/]{86}==$/);
    expect(decideWith(file, keysByApprover)).toMatchObject({ state: 'valid', problems: [] });
  });

  test('a plain PEM bundle of trusted keys works for any approver', () => {
    const file = approvedFile('bundle.yaml');
    const pem = t.file('trusted.pem', `${eve.publicKeyPem}${bob.publicKeyPem}`);
    expect(decideWith(file, pem).state).toBe('valid');
  });

  test('keeps comments and other entries of an existing file', () => {
    const file = t.file('kept.yaml', '# security exemptions\nexemptions:\n  - id: OLD\n    rule: B101 # assert\n    reason: r\n    requestedBy: a\n    expires: "2026-07-01"\n');
    requestExemption(file, request, NOW);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('# security exemptions');
    expect(text).toContain('# assert');
    expect(parse(text).exemptions.map((e: { id: string }) => e.id)).toEqual(['OLD', 'EX-7']);
  });

  test('fails to request a duplicate id, a past expiry, or no rule', () => {
    const file = approvedFile('dup.yaml');
    expect(() => requestExemption(file, request, NOW)).toThrow(/already exists/);
    expect(() => requestExemption(`${t.dir}/past.yaml`, { ...request, expires: '2026-01-01' }, NOW)).toThrow(/in the past/);
    expect(() => requestExemption(`${t.dir}/norule.yaml`, { ...request, rule: undefined }, NOW)).toThrow(UsageError);
  });

  test('fails to approve your own request', () => {
    const file = `${t.dir}/self.yaml`;
    requestExemption(file, request, NOW);
    expect(() => approveExemption(file, { id: 'EX-7', approver: 'Dev.Alice', privateKeyPem: bob.privateKeyPem }, NOW)).toThrow(
      /requested exemption EX-7 \(as dev\.alice\) and cannot approve it/,
    );
  });

  test('fails to approve an unknown id, an expired request, or with a key that is not a private ed25519 key', () => {
    const file = `${t.dir}/exp.yaml`;
    requestExemption(file, request, NOW);
    expect(() => approveExemption(file, { id: 'EX-8', approver: 'sec.bob', privateKeyPem: bob.privateKeyPem }, NOW)).toThrow(/no exemption with id "EX-8"/);
    expect(() => approveExemption(file, { id: 'EX-7', approver: 'sec.bob', privateKeyPem: bob.privateKeyPem }, Date.parse('2027-02-01'))).toThrow(/is in the past/);
    expect(() => approveExemption(file, { id: 'EX-7', approver: 'sec.bob', privateKeyPem: bob.publicKeyPem }, NOW)).toThrow(/not an ed25519 private key/);
  });
});

describe('tamper evidence with --trusted-keys', () => {
  test('fails an unsigned exemption', () => {
    const file = `${t.dir}/unsigned.yaml`;
    writeFileSync(file, stringify({ exemptions: [{ ...request, pipeline: 'web', approvedBy: 'sec.bob', approvedAt: '2026-06-15T12:00:00Z' }] }));
    expect(decideWith(file).state).toBe('valid'); // without trusted keys, signatures are not required
    const d = decideWith(file, keysByApprover);
    expect(d.state).toBe('rejected');
    expect(d.problems).toEqual([expect.stringMatching(/is not signed/)]);
  });

  test.each([
    ['the expiry pushed out', (e: Record<string, unknown>) => (e.expires = '2026-09-01')],
    ['the approval time moved later', (e: Record<string, unknown>) => (e.approvedAt = '2026-06-15T12:00:01Z')],
    ['the pipeline scope widened', (e: Record<string, unknown>) => (e.pipeline = ['web', 'api'])],
    ['the package widened away', (e: Record<string, unknown>) => delete e.package],
    ['the rule changed', (e: Record<string, unknown>) => (e.rule = 'CVE-2024-9999')],
    ['a field added', (e: Record<string, unknown>) => (e.path = '**')],
    ['the approver swapped to another trusted approver', (e: Record<string, unknown>) => (e.approvedBy = 'sec.carol')],
  ])('fails an exemption edited after signing: %s', (_what, edit) => {
    const file = approvedFile(`edited-${_what.replace(/\W+/g, '-')}.yaml`);
    const doc = parse(readFileSync(file, 'utf8'));
    edit(doc.exemptions[0]);
    writeFileSync(file, stringify(doc));
    const d = decideWith(file, keysByApprover);
    expect(d.state).toBe('rejected');
    expect(d.problems).toEqual([expect.stringMatching(/signature does not verify/)]);
  });

  test('fails an exemption signed by an untrusted key', () => {
    const file = approvedFile('eve.yaml', eve.privateKeyPem);
    const d = decideWith(file, keysByApprover);
    expect(d.state).toBe('rejected');
    expect(d.problems).toEqual([expect.stringMatching(/signature does not verify with the trusted key of sec\.bob/)]);
  });

  test('fails an exemption signed with another approver\'s trusted key', () => {
    const file = approvedFile('carol-key.yaml', carol.privateKeyPem);
    expect(decideWith(file, keysByApprover).state).toBe('rejected');
  });

  test('fails an approver without a trusted key', () => {
    const file = approvedFile('nokey.yaml');
    const only = t.file('only-carol.yaml', stringify({ 'sec.carol': carol.publicKeyPem }));
    expect(decideWith(file, only).problems).toEqual([expect.stringMatching(/no trusted key for approver sec\.bob/)]);
  });

  test('a valid signature does not rescue an expired exemption', () => {
    const file = approvedFile('sig-expired.yaml');
    const [d] = decideExemptions(readExemptions(file), {
      now: Date.parse('2027-01-02T00:00:00Z'),
      approvers: new Set(['sec.bob']),
      trustedKeys: readTrustedKeys(keysByApprover),
    });
    expect(d.state).toBe('expired');
  });
});

describe('trusted keys file', () => {
  test('fails on a private key, a non-ed25519 key, garbage, and an empty map', () => {
    expect(() => readTrustedKeys(t.file('priv.pem', bob.privateKeyPem))).toThrow(/is a private key/);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(() => readTrustedKeys(t.file('rsa.pem', rsa))).toThrow(/rsa key: exemption signatures use ed25519/);
    expect(() => readTrustedKeys(t.file('junk.yaml', 'sec.bob: hello'))).toThrow(/not a PEM public key/);
    expect(() => readTrustedKeys(t.file('emptymap.yaml', '{}'))).toThrow(/names no approver key/);
    expect(() => readTrustedKeys(t.file('cut.pem', bob.publicKeyPem.slice(0, 60)))).toThrow(/no complete PEM block/);
  });
});

function createPublic(pem: string) {
  return readTrustedKeys(t.file(`k-${Math.random().toString(36).slice(2)}.pem`, pem)).anyApprover[0];
}
