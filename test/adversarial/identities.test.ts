import { dayAt, ensureCli, exemption, gatehouse, isoAt, workspace } from './trust-support';
import { generateEd25519Pem } from '../../src/findings/signing';
import { BANDIT } from '../findings/support';

/**
 * Who may approve an exemption, tried as the app team would. sec.bob is a security approver with a
 * trusted key; the gate fails on bandit's one high finding (B602) unless an exemption applies.
 * Every case commits a correctly signed exemption: only the identities or dates are the attack.
 */

beforeAll(() => ensureCli());
const w = workspace();
afterAll(() => w.cleanup());

const bob = generateEd25519Pem();
const mallory = generateEd25519Pem();
const keys = w.yaml('trusted-keys.yaml', { 'sec.bob': bob.publicKeyPem });

function gate(entry: Record<string, unknown>, ...extra: string[]) {
  const ex = w.yaml(`ex-${Math.random().toString(36).slice(2)}.yaml`, { exemptions: [entry] });
  return gatehouse(w.dir, 'gate', '--exemptions', ex, '--approvers', 'sec.bob', '--trusted-keys', keys, ...extra, BANDIT);
}

test('control: an exemption requested by a developer and approved by sec.bob passes the gate', () => {
  expect(gate(exemption('dev.alice', 'sec.bob', {}, bob)).code).toBe(0);
});

describe('self-approval through a look-alike of the approver\'s own name fails the gate', () => {
  test.each([
    ['a zero-width space (U+200B)', 'sec.bob\u200b', /U\+200B/],
    ['a zero-width joiner (U+200D)', 'sec.\u200dbob', /U\+200D/],
    ['a word joiner (U+2060)', 'sec.bob\u2060', /U\+2060/],
    ['a byte-order mark (U+FEFF)', '\ufeffsec.bob', /U\+FEFF/],
    ['a right-to-left override (U+202E)', 'sec.\u202ebob', /U\+202E/],
    ['a Cyrillic е (U+0435)', 's\u0435c.bob', /approved by its own requester/],
    ['Cyrillic о and Latin b as Cyrillic Ь', 's\u0435c.\u042c\u043eb', /approved by its own requester/],
    ['fullwidth forms', '\uff53\uff45\uff43\uff0e\uff42\uff4f\uff42', /approved by its own requester/],
    ['upper case and a digit zero', 'SEC.B0B', /approved by its own requester/],
  ])('requestedBy with %s', (_what, requester, why) => {
    const r = gate(exemption(requester, 'sec.bob', {}, bob));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(why);
  });
});

test('an impostor that looks like an approver on the approvers list fails the gate (exit 2: the list is refused)', () => {
  // sec.bоb with a Cyrillic о slipped into the approvers list and the key map, holding mallory's key
  const both = w.yaml('keys-impostor.yaml', { 'sec.bob': bob.publicKeyPem, 'sec.b\u043eb': mallory.publicKeyPem });
  const ex = w.yaml('ex-impostor.yaml', { exemptions: [exemption('dev.mallory', 'sec.b\u043eb', {}, mallory)] });
  const listed = gatehouse(w.dir, 'gate', '--exemptions', ex, '--approvers', 'sec.bob,sec.b\u043eb', '--trusted-keys', both, BANDIT);
  expect(listed.code).toBe(2);
  expect(listed.stderr).toMatch(/look alike/);
  // with an honest list, the same key map is refused too: one key entry impersonates another
  const keysOnly = gatehouse(w.dir, 'gate', '--exemptions', ex, '--approvers', 'sec.bob', '--trusted-keys', both, BANDIT);
  expect(keysOnly.code).toBe(2);
  expect(keysOnly.stderr).toMatch(/keys-impostor\.yaml: approvers "sec\.bob" and "sec\.bоb" look alike/);
});

describe('dates', () => {
  test('an expiry of 9999-12-31 fails the gate: longer than the maximum lifetime (90 days by default)', () => {
    const r = gate(exemption('dev.alice', 'sec.bob', { expires: '9999-12-31' }, bob));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/expires 9999-12-31 is more than 90 days after approval/);
  });

  test('an expiry of 2027-02-30 fails the gate, as a date and as a date-time', () => {
    for (const expires of ['2027-02-30T00:00:00Z', '2027-02-30']) {
      const r = gate(exemption('dev.alice', 'sec.bob', { expires }, bob));
      expect({ expires, code: r.code }).toEqual({ expires, code: 1 });
      expect(r.stdout).toMatch(/is not a real ISO date/);
    }
  });

  test('a date-time on the 31st of a 30-day month (rolled over to the 1st by Date.parse) fails the gate', () => {
    // the next 30-day month at least ten days ahead, so the rolled-over instant is still in the future
    const d = new Date(Date.now() + 10 * 86_400_000);
    for (;;) {
      if ([3, 5, 8, 10].includes(d.getUTCMonth())) break;
      d.setUTCMonth(d.getUTCMonth() + 1, 1);
    }
    const expires = `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-31T00:00:00Z`;
    const r = gate(exemption('dev.alice', 'sec.bob', { expires }, bob));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`expires "${expires}" is not a real ISO date`);
  });

  test('an exemption dated in the future to stretch its lifetime fails the gate', () => {
    const r = gate(exemption('dev.alice', 'sec.bob', { approvedAt: isoAt(300), expires: dayAt(380) }, bob));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/approvedAt .* is in the future/);
  });
});

describe('pipeline scope', () => {
  test('an exemption for pipeline A used in pipeline B fails the gate', () => {
    const r = gate(exemption('dev.alice', 'sec.bob', { pipeline: 'payments-api' }, bob), '--pipeline', 'web-frontend');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/out of scope: it is for pipeline payments-api, not web-frontend/);
  });

  test('control: the same exemption passes in pipeline A', () => {
    expect(gate(exemption('dev.alice', 'sec.bob', { pipeline: ['payments-api', 'web-frontend'] }, bob), '--pipeline', 'payments-api').code).toBe(0);
  });
});
