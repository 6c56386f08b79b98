/* eslint-disable no-bitwise -- building point encodings byte by byte */
import { stringify } from 'yaml';
import { checkApprovers, parseApprovers } from '../../../src/findings/approvers';
import { CONFUSABLES, CONFUSABLES_VERSION } from '../../../src/findings/confusables.generated';
import { exceedsLifetime, expiryInstant, parseIsoTime, parseMaxDays } from '../../../src/findings/dates';
import { ed25519PointProblem } from '../../../src/findings/ed25519-point';
import { UsageError } from '../../../src/findings/errors';
import { approveExemption, requestExemption } from '../../../src/findings/exemption-file';
import { decideExemptions, ExemptionContext } from '../../../src/findings/exemption-rules';
import { parseExemptions, readExemptions } from '../../../src/findings/exemptions';
import { idProblem, identityKey, samePerson, skeleton } from '../../../src/findings/identity';
import { generateEd25519Pem } from '../../../src/findings/signing';
import { readTrustedKeys } from '../../../src/findings/trusted-keys';
import { tempDir } from '../support';

const t = tempDir();
afterAll(() => t.cleanup());

const NOW = Date.parse('2026-06-15T12:00:00Z');
const ctx: ExemptionContext = { now: NOW, approvers: new Set(['sec.bob']) };
const base = {
  id: 'EX-1',
  rule: 'CVE-2024-0001',
  reason: 'not reachable',
  requestedBy: 'dev.alice',
  approvedBy: 'sec.bob',
  approvedAt: '2026-06-01T09:00:00Z',
  expires: '2026-08-15',
};

function decide(fields: Record<string, unknown>, c: ExemptionContext = ctx) {
  const [e] = parseExemptions('ex.yaml', stringify({ exemptions: [fields] }));
  return decideExemptions([e], c)[0];
}

describe('identity keys', () => {
  test('the confusables table is Unicode data: known prototypes', () => {
    expect(CONFUSABLES_VERSION).toBe('13.0.0');
    expect(CONFUSABLES.split('\n').filter((l) => l !== '')).toHaveLength(6311);
    expect(skeleton('\u0430')).toBe('a'); // Cyrillic а
    expect(skeleton('\u03bf')).toBe('o'); // Greek ο
    expect(skeleton('I')).toBe('l');
    expect(skeleton('m')).toBe('rn');
  });

  test.each([
    ['case', 'Sec.Bob'],
    ['Cyrillic letters', 's\u0435c.b\u043eb'],
    ['fullwidth forms', '\uff53\uff45\uff43\uff0e\uff42\uff4f\uff42'],
    ['a digit zero for o', 'sec.b0b'],
    ['mathematical bold', '\ud835\udc2c\ud835\udc1e\ud835\udc1c.\ud835\udc1b\ud835\udc28\ud835\udc1b'],
    ['surrounding and doubled blanks', '  sec.bob '],
  ])('names that differ by %s are the same person', (_what, other) => {
    expect(samePerson('sec.bob', other)).toBe(true);
  });

  test('capital I and small l are one letter (skeleton before case folding)', () => {
    expect(samePerson('dev.lena', 'dev.Iena')).toBe(true);
    expect(identityKey('STRASSE')).toBe(identityKey('straße'));
  });

  test('different people stay different', () => {
    expect(samePerson('sec.bob', 'sec.rob')).toBe(false);
    expect(samePerson('dev.alice', 'dev.alicia')).toBe(false);
  });

  test('invisible, format and control characters are refused, named as U+XXXX', () => {
    expect(idProblem('sec.bob', 'approvedBy')).toBeUndefined();
    for (const [ch, name] of [['\u200b', 'U+200B'], ['\u200d', 'U+200D'], ['\u2060', 'U+2060'], ['\ufeff', 'U+FEFF'], ['\u202e', 'U+202E'], ['\u0007', 'U+0007'], ['\u3164', 'U+3164'], ['\ufe0f', 'U+FE0F'], ['\u034f', 'U+034F']]) {
      expect(idProblem(`sec${ch}.bob`, 'approvedBy')).toContain(name);
    }
  });
});

describe('exemption identities', () => {
  test('self-approval through a look-alike is caught', () => {
    expect(decide({ ...base, requestedBy: 's\u0435c.bob' }).problems).toEqual([expect.stringMatching(/is approved by its own requester \(sec\.bob is s.c\.bob\)/)]);
  });

  test('an approver on the list matches by identity key: fullwidth sec.bob is sec.bob', () => {
    expect(decide({ ...base, approvedBy: '\uff53\uff45\uff43\uff0e\uff42\uff4f\uff42' }).state).toBe('valid');
  });

  test('a name with an invisible character is rejected, naming the character', () => {
    const d = decide({ ...base, requestedBy: 'sec.bob\u200b' });
    expect(d.state).toBe('rejected');
    expect(d.problems).toEqual([expect.stringContaining('requestedBy "sec.bob\u200b" contains an invisible, format or control character (U+200B)')]);
    expect(decide({ ...base, approvedBy: 'sec.bob\u2060' }).problems).toEqual([
      expect.stringContaining('(U+2060)'),
      'approver sec.bob\u2060 is not a security approver (--approvers)',
    ]);
  });

  test('an approvers list with two look-alike entries or an invisible character is a usage error', () => {
    expect(() => parseApprovers('sec.bob,sec.b\u043eb')).toThrow(/names "sec\.bob" and "sec\.bоb", which look alike/);
    expect(() => parseApprovers(t.file('approvers.txt', 'sec.bob\n\ufeffsec.carol\n'))).toThrow(/U\+FEFF/);
    expect(() => checkApprovers(['sec.bob', 'SEC.BOB'])).toThrow(UsageError);
    expect([...parseApprovers(t.file('crlf.txt', 'sec.bob\r\nsec.carol\r\n'))]).toEqual(['sec.bob', 'sec.carol']);
  });

  test('trusted keys: look-alike approver ids and invisible characters are bad input', () => {
    const k = generateEd25519Pem().publicKeyPem;
    expect(() => readTrustedKeys(t.file('lookalike.yaml', stringify({ 'sec.bob': k, 'SEC.B0B': k })))).toThrow(/approvers "sec\.bob" and "SEC\.B0B" look alike/);
    expect(() => readTrustedKeys(t.file('zw.yaml', stringify({ 'sec.bob\u200b': k })))).toThrow(/U\+200B/);
  });
});

describe('dates', () => {
  test('real calendar dates only', () => {
    for (const bad of ['2027-02-30', '2026-02-29', '2026-13-01', '2026-00-10', '2026-04-31', '2027-02-30T00:00:00Z', '2026-06-15T24:00:00Z', '2026-06-15T12:60:00Z', '2026-06-15T12:00:60Z', '2026-06-15T12:00:00+24:00', '2026-06-15T12:00:00']) {
      expect({ bad, t: parseIsoTime(bad) }).toEqual({ bad, t: undefined });
    }
    expect(parseIsoTime('2028-02-29')).toMatchObject({ dateOnly: true, start: Date.parse('2028-02-29T00:00:00Z') });
    expect(parseIsoTime('2000-02-29')).toBeDefined();
    expect(parseIsoTime('2100-02-29')).toBeUndefined();
    expect(parseIsoTime('2026-06-15T14:00:00.5+02:00')!.start).toBe(Date.parse('2026-06-15T12:00:00.500Z'));
    expect(parseIsoTime('0050-01-01')!.start).toBe(Date.parse('0050-01-01T00:00:00Z'));
    expect(expiryInstant('2026-12-31')).toBe(Date.parse('2027-01-01T00:00:00Z'));
  });

  test('requestedAt and approvedAt must be real dates too', () => {
    expect(decide({ ...base, approvedAt: '2026-02-30T09:00:00Z' }).problems).toEqual([expect.stringMatching(/approvedAt "2026-02-30T09:00:00Z" is not a real ISO date/)]);
    expect(decide({ ...base, requestedAt: '2026-13-01' }).problems).toEqual([expect.stringMatching(/requestedAt "2026-13-01" is not a real ISO date/)]);
  });

  test('approval must come after the request and not in the future', () => {
    expect(decide({ ...base, requestedAt: '2026-06-02T00:00:00Z' }).problems).toEqual(['approvedAt 2026-06-01T09:00:00Z is before requestedAt 2026-06-02T00:00:00Z']);
    expect(decide({ ...base, approvedAt: '2026-06-16T00:00:00Z' }).problems).toEqual(['approvedAt 2026-06-16T00:00:00Z is in the future']);
  });

  test('the lifetime is at most --max-exemption-days (90 by default) after approval', () => {
    expect(decide({ ...base, expires: '2026-08-30' }).state).toBe('valid'); // 90 days after 2026-06-01
    expect(decide({ ...base, expires: '2026-08-31' }).problems).toEqual([
      'expires 2026-08-31 is more than 90 days after approval (2026-06-01T09:00:00Z): an exemption may live at most 90 days (--max-exemption-days)',
    ]);
    expect(decide({ ...base, expires: '2026-07-01' }, { ...ctx, maxDays: 30 }).state).toBe('valid');
    expect(decide({ ...base, expires: '2026-07-02' }, { ...ctx, maxDays: 30 }).state).toBe('rejected');
    expect(exceedsLifetime('2026-06-02T09:00:01Z', Date.parse('2026-06-01T09:00:00Z'), 1)).toBe(true);
    expect(exceedsLifetime('2026-06-02T09:00:00Z', Date.parse('2026-06-01T09:00:00Z'), 1)).toBe(false);
  });

  test('without approvedAt it is rejected, and the lifetime is measured from now', () => {
    const { approvedAt: _a, ...undated } = base;
    expect(decide({ ...undated, expires: '9999-12-31' }).problems).toEqual([
      'has no approvedAt: the approval time starts its lifetime and is required',
      'expires 9999-12-31 is more than 90 days after now (2026-06-15T12:00:00Z; no valid approvedAt): an exemption may live at most 90 days (--max-exemption-days)',
    ]);
  });

  test('--max-exemption-days takes 1 to 3650', () => {
    expect(parseMaxDays('30', '--max-exemption-days')).toBe(30);
    for (const bad of ['0', '3651', '-1', '1.5', 'ninety', '']) expect(() => parseMaxDays(bad, '--max-exemption-days')).toThrow(/from 1 to 3650/);
  });
});

describe('pipeline scope', () => {
  test('applies only in a pipeline it names', () => {
    expect(decide({ ...base, pipeline: 'web' }, { ...ctx, pipeline: 'web' }).state).toBe('valid');
    expect(decide({ ...base, pipeline: ['api', 'web'] }, { ...ctx, pipeline: 'web' }).state).toBe('valid');
    expect(decide({ ...base, pipeline: 'api' }, { ...ctx, pipeline: 'web' }).problems).toEqual(['is out of scope: it is for pipeline api, not web']);
    expect(decide(base, { ...ctx, pipeline: 'web' }).problems).toEqual([expect.stringMatching(/^is out of scope: it names no pipeline, and this gate runs for pipeline web/)]);
  });

  test('a scoped exemption does not apply where the gate does not know its pipeline', () => {
    expect(decide({ ...base, pipeline: 'web' }).problems).toEqual(['is scoped to pipeline web but the gate was not told its pipeline (--pipeline)']);
  });

  test('a malformed scope is rejected', () => {
    expect(decide({ ...base, pipeline: [] }, { ...ctx, pipeline: 'web' }).problems[0]).toMatch(/field "pipeline" must be a pipeline name or a non-empty list/);
    expect(decide({ ...base, pipeline: 3 }, { ...ctx, pipeline: 'web' }).problems[0]).toMatch(/field "pipeline"/);
  });
});

describe('request and approve refuse what the gate would reject', () => {
  const bob = generateEd25519Pem();
  const request = { id: 'EX-1', rule: 'B602', reason: 'r', requestedBy: 'dev.alice', expires: '2026-08-31' };

  test('request: calendar dates, the maximum lifetime, invisible names; --pipeline writes the scope', () => {
    expect(() => requestExemption(`${t.dir}/a.yaml`, { ...request, expires: '2027-02-30' }, NOW)).toThrow(/is not a real ISO date/);
    expect(() => requestExemption(`${t.dir}/a.yaml`, { ...request, expires: '9999-12-31' }, NOW)).toThrow(/--expires 9999-12-31 is more than 90 days after 2026-06-15T12:00:00Z/);
    expect(() => requestExemption(`${t.dir}/a.yaml`, { ...request, requestedBy: 'dev.alice\u200b' }, NOW)).toThrow(/U\+200B/);
    requestExemption(`${t.dir}/long.yaml`, { ...request, expires: '2027-06-01', maxDays: 365 }, NOW);
    requestExemption(`${t.dir}/scoped.yaml`, { ...request, pipeline: ['web'] }, NOW);
    expect(readExemptions(`${t.dir}/scoped.yaml`)[0]).toMatchObject({ pipelines: ['web'], requestedAt: '2026-06-15T12:00:00Z' });
    requestExemption(`${t.dir}/two.yaml`, { ...request, pipeline: ['web', 'api'] }, NOW);
    expect(readExemptions(`${t.dir}/two.yaml`)[0].raw.pipeline).toEqual(['web', 'api']);
  });

  test('approve: a look-alike of the requester, and a lifetime over --max-days', () => {
    const file = `${t.dir}/approve.yaml`;
    requestExemption(file, { ...request, requestedBy: 'sec.bob' }, NOW);
    expect(() => approveExemption(file, { id: 'EX-1', approver: 's\u0435c.b\u043eb', privateKeyPem: bob.privateKeyPem }, NOW)).toThrow(/requested exemption EX-1 \(as sec\.bob\) and cannot approve it/);
    expect(() => approveExemption(file, { id: 'EX-1', approver: 'sec.carol\u200d', privateKeyPem: bob.privateKeyPem }, NOW)).toThrow(/U\+200D/);
    expect(() => approveExemption(file, { id: 'EX-1', approver: 'sec.carol', privateKeyPem: bob.privateKeyPem, maxDays: 30 }, NOW)).toThrow(/more than 30 days after/);
    approveExemption(file, { id: 'EX-1', approver: 'sec.carol', privateKeyPem: bob.privateKeyPem }, NOW);
  });
});

describe('ed25519 public keys as curve points', () => {
  test('a real key passes; its negation plus the order-2 point (a small-order component) does not; off-curve points do not', () => {
    const raw = Buffer.from(generateEd25519Pem().publicKeyPem.split('\n').slice(1, -2).join(''), 'base64').subarray(12);
    expect(ed25519PointProblem(raw)).toBeUndefined();
    // P + (0, −1) = (−x, −y): encode −y and flip the sign of x
    const p = 2n ** 255n - 19n;
    let y = 0n;
    for (let i = 31; i >= 0; i--) y = (y << 8n) | BigInt(i === 31 ? raw[i] & 0x7f : raw[i]);
    const negY = p - y;
    const mixed = Buffer.alloc(32);
    for (let i = 0, v = negY; i < 32; i++, v >>= 8n) mixed[i] = Number(v & 0xffn);
    mixed[31] |= (raw[31] & 0x80) ^ 0x80;
    expect(ed25519PointProblem(mixed)).toMatch(/not in the prime-order subgroup/);
    const offCurve = Buffer.alloc(32);
    offCurve[0] = 2; // y = 2 is not on the curve
    expect(ed25519PointProblem(offCurve)).toMatch(/not a point on the ed25519 curve/);
    expect(ed25519PointProblem(Buffer.alloc(31))).toMatch(/31 bytes/);
  });
});
