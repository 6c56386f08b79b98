import { readFileSync } from 'node:fs';
import { ensureCli, gatehouse, workspace, writeSignature } from './trust-support';
import { generateEd25519Pem } from '../../src/findings/signing';
import { TRIVY } from '../findings/support';

/**
 * Trust from the repository: a VEX document or a baseline committed next to the code must not
 * change a verdict unless a security approver signed it. The gate fails on trivy's critical
 * findings; each attack commits a file that would make it pass.
 */

beforeAll(() => ensureCli());
const w = workspace();
afterAll(() => w.cleanup());

const bob = generateEd25519Pem();
const alice = generateEd25519Pem();
const bobKey = w.file('bob.pem', bob.privateKeyPem);
/** sec.bob is the security approver; dev.alice, the developer, also has a key in the map (e.g. for signing commits). */
const keys = w.yaml('trusted-keys.yaml', { 'sec.bob': bob.publicKeyPem, 'dev.alice': alice.publicKeyPem });

interface Finding { ruleId: string; severity: string; fingerprint: string }
let findings: Finding[];
beforeAll(() => {
  const r = gatehouse(w.dir, 'findings', TRIVY);
  expect(r.code).toBe(0);
  findings = JSON.parse(r.stdout).findings;
  expect(findings.filter((f) => f.severity === 'critical').length).toBeGreaterThan(0);
});

/** An OpenVEX document saying every critical finding of the report is not_affected. */
function vexForCriticals(name: string): string {
  const ids = [...new Set(findings.filter((f) => f.severity === 'critical').map((f) => f.ruleId))];
  return w.json(name, {
    '@context': 'https://openvex.dev/ns/v0.2.0',
    '@id': 'https://example.com/vex/app',
    'author': 'dev.alice',
    'timestamp': '2026-11-01T00:00:00Z',
    'version': 1,
    'statements': ids.map((id) => ({ vulnerability: { name: id }, status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path' })),
  });
}

const gate = (...args: string[]) => gatehouse(w.dir, 'gate', '--fail-on', 'critical', '--approvers', 'sec.bob', '--trusted-keys', keys, ...args, TRIVY);

describe('VEX from the repository', () => {
  test('an unsigned VEX marking every critical not_affected does not pass the gate; it is listed as untrusted', () => {
    const vex = vexForCriticals('app.vex.json');
    const r = gate('--vex', vex, '--json', 'unsigned.json');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/vex .*app\.vex\.json: UNTRUSTED, not applied/);
    const json = JSON.parse(readFileSync(`${w.dir}/unsigned.json`, 'utf8'));
    expect(json.vex.untrusted).toEqual([vex]);
    expect(json.vex.suppressed).toBe(0);
  });

  test('a VEX signed by the developer (a trusted key, but not an approver) does not pass the gate', () => {
    const vex = vexForCriticals('dev-signed.vex.json');
    writeSignature(vex, 'dev.alice', alice);
    const r = gate('--vex', vex);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/signed by dev\.alice, who is not a security approver/);
  });

  test('a VEX signed by the approver, then edited, does not pass the gate', () => {
    const vex = vexForCriticals('edited.vex.json');
    writeSignature(vex, 'sec.bob', bob);
    w.file('edited.vex.json', `${readFileSync(vex, 'utf8')}\n`);
    expect(gate('--vex', vex).code).toBe(1);
  });

  test('a VEX whose signature names the approver but was made with the developer\'s key does not pass the gate', () => {
    const vex = vexForCriticals('forged.vex.json');
    writeSignature(vex, 'sec.bob', alice);
    expect(gate('--vex', vex).code).toBe(1);
  });

  test('control: the same VEX signed by the security approver passes the gate', () => {
    const vex = vexForCriticals('approved.vex.json');
    expect(gatehouse(w.dir, 'vex', 'sign', '--file', vex, '--signer', 'sec.bob', '--key', bobKey).code).toBe(0);
    expect(gate('--vex', vex).code).toBe(0);
    expect(gatehouse(w.dir, 'vex', 'verify', '--file', vex, '--approvers', 'sec.bob', '--trusted-keys', keys).code).toBe(0);
    expect(gatehouse(w.dir, 'vex', 'verify', '--file', vex, '--approvers', 'sec.carol', '--trusted-keys', keys).code).toBe(1);
  });
});

describe('baseline from the repository', () => {
  test('an unsigned baseline that makes every finding existing does not pass --new-only; every finding is new', () => {
    const base = w.file('baseline.json', gatehouse(w.dir, 'findings', TRIVY).stdout);
    const r = gate('--baseline', base, '--new-only');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/baseline .*baseline\.json: UNTRUSTED, not applied — every finding is new/);
  });

  test('a baseline signed by the developer does not pass --new-only', () => {
    const base = w.file('dev-baseline.json', gatehouse(w.dir, 'findings', TRIVY).stdout);
    writeSignature(base, 'dev.alice', alice);
    expect(gate('--baseline', base, '--new-only').code).toBe(1);
  });

  test('control: the same baseline signed by the approver passes --new-only', () => {
    const base = w.file('signed-baseline.json', gatehouse(w.dir, 'findings', TRIVY).stdout);
    expect(gatehouse(w.dir, 'baseline', 'sign', '--file', base, '--signer', 'sec.bob', '--key', bobKey).code).toBe(0);
    expect(gate('--baseline', base, '--new-only').code).toBe(0);
  });
});

describe('a signature is for one kind of input', () => {
  test('a baseline signature by the approver does not vouch for the same bytes read as a VEX document', () => {
    // GIVEN one file that reads both as an OpenVEX document and as a baseline, signed as a baseline
    const ids = [...new Set(findings.filter((f) => f.severity === 'critical').map((f) => f.ruleId))];
    const both = w.json('both.json', {
      '@context': 'https://openvex.dev/ns/v0.2.0',
      '@id': 'https://example.com/vex/both',
      'author': 'dev.alice',
      'timestamp': '2026-11-01T00:00:00Z',
      'version': 1,
      'statements': ids.map((id) => ({ vulnerability: { name: id }, status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path' })),
      'findings': [],
    });
    expect(gatehouse(w.dir, 'baseline', 'sign', '--file', both, '--signer', 'sec.bob', '--key', bobKey).code).toBe(0);
    expect(gatehouse(w.dir, 'baseline', 'verify', '--file', both, '--approvers', 'sec.bob', '--trusted-keys', keys).code).toBe(0);
    // WHEN it is given as a VEX document THEN its signature does not verify and the criticals still fail the gate
    const r = gate('--vex', both);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/does not verify/);
  });
});

describe('garbled trust inputs exit 2, never a pass', () => {
  test('a signature file that exists but is malformed', () => {
    const vex = vexForCriticals('bad-sig.vex.json');
    for (const sig of ['', 'hello', 'signedBy: sec.bob\n', 'signedBy: sec.bob\nsignature: AAAA\n', 'signedBy: sec.bob\nsignature: x\nextra: 1\n']) {
      w.file('bad-sig.vex.json.sig', sig);
      const r = gate('--vex', vex);
      expect({ sig, code: r.code }).toEqual({ sig, code: 2 }); // never 0: before signatures, this VEX passed the gate
      expect(r.stderr).toMatch(/bad-sig\.vex\.json\.sig: /);
    }
  });
});
