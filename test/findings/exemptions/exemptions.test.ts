import { stringify } from 'yaml';
import { applyExemptions } from '../../../src/findings/exemption-match';
import { decideExemptions, ExemptionContext } from '../../../src/findings/exemption-rules';
import { expiryInstant, parseExemptions, readExemptions } from '../../../src/findings/exemptions';
import { ReportError } from '../../../src/findings/types';
import { findings, fixture, raw, tempDir } from '../support';

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

/** Decides one exemption given as fields. */
function decide(fields: Record<string, unknown>, c: ExemptionContext = ctx) {
  const [e] = parseExemptions('ex.yaml', stringify({ exemptions: [fields] }));
  return decideExemptions([e], c)[0];
}

describe('an exemption applies only when every condition holds', () => {
  test('a complete, approved, unexpired exemption is valid', () => {
    expect(decide(base)).toMatchObject({ state: 'valid', problems: [] });
  });

  test('fails when expired (reported as expired, with the date)', () => {
    const d = decide({ ...base, expires: '2026-06-14' });
    expect(d.state).toBe('expired');
    expect(d.problems).toEqual(['expired on 2026-06-14']);
  });

  test('a date lasts to the end of that day (UTC); a date-time to its instant', () => {
    expect(decide({ ...base, expires: '2026-06-15' }).state).toBe('valid');
    expect(decide({ ...base, expires: '2026-06-15T11:59:59Z' }).state).toBe('expired');
    expect(decide({ ...base, expires: '2026-06-15T14:00:00+02:00' }).state).toBe('expired');
  });

  test('fails without an expiry, or with one that is not an ISO date', () => {
    const { expires: _e, ...noExpiry } = base;
    expect(decide(noExpiry)).toMatchObject({ state: 'rejected', problems: ['has no expiry: `expires` (ISO date) is required'] });
    expect(decide({ ...base, expires: '31/12/2026' }).problems[0]).toMatch(/is not a real ISO date/);
    expect(decide({ ...base, expires: '2026-02-30' }).problems[0]).toMatch(/is not a real ISO date/);
    expect(decide({ ...base, expires: '2026-08-31T00:00:00' }).problems[0]).toMatch(/with a time zone/);
  });

  test('fails when unapproved', () => {
    const { approvedBy: _a, ...unapproved } = base;
    expect(decide(unapproved).problems).toEqual(['is not approved (no approvedBy)']);
  });

  test('fails when approved by its own requester, whatever the case', () => {
    const d = decide({ ...base, requestedBy: 'Sec.Bob' });
    expect(d.state).toBe('rejected');
    expect(d.problems).toEqual(['is approved by its own requester (sec.bob is Sec.Bob): another person must approve']);
  });

  test('fails when the approver is not a security approver', () => {
    expect(decide({ ...base, approvedBy: 'dev.mallory' }).problems).toEqual(['approver dev.mallory is not a security approver (--approvers)']);
  });

  test('fails when no approvers list was given: nobody can be checked', () => {
    expect(decide(base, { now: NOW }).problems[0]).toMatch(/no security approvers were given/);
  });

  test('fails on an unknown field: a typo must not widen the match', () => {
    const d = decide({ ...base, pakage: 'openssl' });
    expect(d.state).toBe('rejected');
    expect(d.problems[0]).toMatch(/unknown field "pakage"/);
  });

  test('fails without reason, requester, id, or anything to match', () => {
    const d = decide({ expires: '2026-08-15', approvedBy: 'sec.bob', approvedAt: '2026-06-01T09:00:00Z' });
    expect(d.problems).toEqual(
      expect.arrayContaining([
        'has no id',
        'names no finding: give a fingerprint or a rule (rule id or CVE)',
        'has no reason',
        'has no requestedBy',
      ]),
    );
  });

  test('fails on a repeated id (the second one)', () => {
    const list = parseExemptions('ex.yaml', stringify({ exemptions: [base, { ...base, rule: 'CVE-2024-9999' }] }));
    const [a, b] = decideExemptions(list, ctx);
    expect(a.state).toBe('valid');
    expect(b.problems).toEqual(['repeats id "EX-1" (ids must be unique)']);
  });

  test('an expired exemption that is also self-approved lists both problems', () => {
    const d = decide({ ...base, expires: '2020-01-01', approvedBy: 'dev.alice' });
    expect(d.state).toBe('expired');
    expect(d.problems).toHaveLength(3);
  });
});

describe('matching', () => {
  const list = findings(
    raw({ ruleId: 'CVE-2024-0001', location: { package: 'openssl', version: '1' } }),
    raw({ ruleId: 'GHSA-zzzz', cves: ['CVE-2024-0002'], location: { package: 'zlib', version: '1' } }),
    raw({ kind: 'code', tool: 'bandit', ruleId: 'B602', location: { file: 'app/views.py', line: 3 } }),
    raw({ kind: 'code', tool: 'bandit', ruleId: 'B602', location: { file: 'tests/test_views.py', line: 9 } }),
  );
  const exempted = (fields: Record<string, unknown>) => {
    const copy = list.map((f) => ({ ...f }));
    const [e] = parseExemptions('ex.yaml', stringify({ exemptions: [{ ...base, ...fields }] }));
    const [outcome] = applyExemptions(copy, decideExemptions([e], ctx));
    expect(outcome.matched).toEqual(copy.filter((f) => f.status === 'exempted').map((f) => f.fingerprint));
    return copy.filter((f) => f.status === 'exempted').map((f) => f.location.file ?? f.location.package);
  };

  test('by rule id or by a CVE alias, case-insensitively', () => {
    expect(exempted({ rule: 'cve-2024-0001' })).toEqual(['openssl']);
    expect(exempted({ rule: 'CVE-2024-0002' })).toEqual(['zlib']);
  });

  test('by fingerprint only', () => {
    const app = list.find((f) => f.location.file === 'app/views.py')!;
    expect(exempted({ rule: undefined, fingerprint: app.fingerprint })).toEqual(['app/views.py']);
  });

  test('narrowed by package and by path glob', () => {
    expect(exempted({ rule: 'CVE-2024-0001', package: 'zlib' })).toEqual([]);
    expect(exempted({ rule: 'B602' }).sort()).toEqual(['app/views.py', 'tests/test_views.py']);
    expect(exempted({ rule: 'B602', path: 'app/**' })).toEqual(['app/views.py']);
    // a path glob never matches a finding without a file
    expect(exempted({ rule: 'CVE-2024-0001', path: '**' })).toEqual([]);
  });

  test('an invalid exemption records what it matches but exempts nothing', () => {
    const copy = list.map((f) => ({ ...f }));
    const [e] = parseExemptions('ex.yaml', stringify({ exemptions: [{ ...base, rule: 'B602', expires: '2020-01-01' }] }));
    const [outcome] = applyExemptions(copy, decideExemptions([e], ctx));
    expect(outcome.state).toBe('expired');
    expect(outcome.matched).toHaveLength(2);
    expect(copy.every((f) => f.status === 'open')).toBe(true);
  });

  test('a VEX-suppressed finding is left alone', () => {
    const copy = list.map((f) => ({ ...f }));
    const openssl = copy.find((f) => f.location.package === 'openssl')!;
    openssl.status = 'suppressed';
    const [e] = parseExemptions('ex.yaml', stringify({ exemptions: [base] }));
    const [outcome] = applyExemptions(copy, decideExemptions([e], ctx));
    expect(outcome.matched).toEqual([]);
    expect(openssl.status).toBe('suppressed');
  });
});

describe('the exemptions file', () => {
  const t = tempDir();
  afterAll(() => t.cleanup());

  test('reads the fixture: five entries, one per outcome', () => {
    const list = readExemptions(fixture('exemptions', 'exemptions.yaml'));
    const states = decideExemptions(list, { now: NOW, approvers: new Set(['sec.bob']), maxDays: 3650 }).map((d) => `${d.exemption.id}:${d.state}`);
    expect(states).toEqual(['EX-1:valid', 'EX-2:expired', 'EX-3:rejected', 'EX-4:rejected', 'EX-5:rejected']);
  });

  test('an empty file has no exemptions; a top-level list works too', () => {
    expect(readExemptions(t.file('empty.yaml', '# nothing yet\n'))).toEqual([]);
    expect(parseExemptions('x', stringify([base]))[0].id).toBe('EX-1');
  });

  test('fails on a missing file', () => {
    expect(() => readExemptions(`${t.dir}/missing.yaml`)).toThrow(/missing\.yaml: does not exist/);
  });

  test('fails on invalid YAML, duplicate keys, and a non-list', () => {
    expect(() => parseExemptions('x.yaml', 'exemptions: [')).toThrow(ReportError);
    expect(() => parseExemptions('x.yaml', 'exemptions:\n  - id: a\n    id: b\n')).toThrow(/not valid YAML/);
    expect(() => parseExemptions('x.yaml', 'exemptions: yes')).toThrow(/must be a list/);
    expect(() => parseExemptions('x.yaml', 'hello: world')).toThrow(/not an exemptions file/);
    expect(() => parseExemptions('x.yaml', 'exemptions:\n  - just a string\n')).toThrow(/exemption #1 must be a mapping/);
  });

  test('fails closed on a billion-laughs alias bomb', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 10; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    bomb.push('exemptions: []');
    expect(() => parseExemptions('bomb.yaml', bomb.join('\n'))).toThrow();
  });
});

test('expiryInstant', () => {
  expect(expiryInstant('2026-12-31')).toBe(Date.parse('2027-01-01T00:00:00Z'));
  expect(expiryInstant('tomorrow')).toBeUndefined();
});
