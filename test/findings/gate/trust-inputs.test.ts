import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { runGate } from '../../../src/findings/engine';
import { gateJson } from '../../../src/findings/outputs/json';
import { gateMarkdown } from '../../../src/findings/outputs/markdown';
import { gateText } from '../../../src/findings/outputs/text';
import { checkSignedInput, readDetachedSignature, signInputFile } from '../../../src/findings/signed-input';
import { generateEd25519Pem } from '../../../src/findings/signing';
import { readTrustedKeys } from '../../../src/findings/trusted-keys';
import { ReportError } from '../../../src/findings/types';
import { BANDIT, fixture, tempDir, TRIVY } from '../support';

const t = tempDir();
afterAll(() => t.cleanup());

const bob = generateEd25519Pem();
const eve = generateEd25519Pem();
const keysFile = t.file('keys.yaml', stringify({ 'sec.bob': bob.publicKeyPem, 'dev.eve': eve.publicKeyPem }));
const approvers = new Set(['sec.bob']);
const BASELINE = fixture('baseline', 'bandit-1.6.2-without-b602.json');

let vexText: string;
beforeAll(async () => {
  const target = (await runGate({ reports: [TRIVY] })).findings.find((f) => f.severity === 'critical')!;
  vexText = JSON.stringify({
    '@context': 'https://openvex.dev/ns/v0.2.0',
    'statements': [{ vulnerability: { name: target.ruleId }, status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path' }],
  });
});

describe('VEX trust', () => {
  test('an unsigned repository VEX is read (bad input still exits 2) but not applied, and every output says so', async () => {
    const vex = t.file('repo.vex.json', vexText);
    const r = await runGate({ reports: [TRIVY], vexFiles: [vex], approvers, trustedKeysFile: keysFile });
    expect(r.vex).toEqual({
      files: [vex],
      statements: 0,
      suppressed: 0,
      documents: [{ file: vex, trust: 'untrusted', applied: false, statements: 1, problem: expect.stringMatching(/is not signed \(no .*repo\.vex\.json\.sig\)/) }],
      untrusted: [vex],
    });
    expect(r.warnings).toEqual([expect.stringMatching(/repo\.vex\.json is not signed .*; its 1 statement\(s\) were not applied$/)]);
    expect(JSON.parse(gateJson(r)).vex.untrusted).toEqual([vex]);
    expect(gateText(r)).toMatch(/vex .*repo\.vex\.json: UNTRUSTED, not applied \(1 statement\(s\) ignored\)/);
    expect(gateMarkdown(r)).toMatch(/🚫 untrusted VEX `.*repo\.vex\.json`: not applied/);
    await expect(runGate({ reports: [TRIVY], vexFiles: [BANDIT] })).rejects.toThrow(/is not a VEX document/);
  });

  test('signed by an approver with a trusted key, it applies; --trusted-vex applies without a signature', async () => {
    const vex = t.file('signed.vex.json', vexText);
    signInputFile(vex, 'sec.bob', bob.privateKeyPem, 'VEX document');
    const r = await runGate({ reports: [TRIVY], vexFiles: [vex], approvers, trustedKeysFile: keysFile });
    expect(r.vex.documents).toEqual([{ file: vex, trust: 'signed', applied: true, signedBy: 'sec.bob', statements: 1 }]);
    expect(r.vex.suppressed).toBeGreaterThan(0);
    const p = await runGate({ reports: [TRIVY], trustedVexFiles: [t.file('platform.vex.json', vexText)] });
    expect(p.vex.suppressed).toBe(r.vex.suppressed);
    expect(p.vex.documents![0]).toMatchObject({ trust: 'pipeline', applied: true });
  });

  test('a signature cannot be checked without approvers and trusted keys: not applied', async () => {
    const vex = t.file('nokeys.vex.json', vexText);
    signInputFile(vex, 'sec.bob', bob.privateKeyPem, 'VEX document');
    const r = await runGate({ reports: [TRIVY], vexFiles: [vex] });
    expect(r.vex.documents![0].problem).toMatch(/cannot be checked without --approvers and --trusted-keys/);
    expect(r.vex.suppressed).toBe(0);
  });
});

describe('detached signatures', () => {
  test('checkSignedInput: every way to be untrusted', () => {
    const keys = readTrustedKeys(keysFile);
    const file = t.file('doc.json', '{"findings":[]}');
    const bytes = readFileSync(file);
    signInputFile(file, 'dev.eve', eve.privateKeyPem, 'baseline');
    expect(checkSignedInput(file, bytes, 'baseline', { approvers, trustedKeys: keys })).toMatchObject({ trusted: false, problem: expect.stringMatching(/dev\.eve, who is not a security approver/) });
    signInputFile(file, 'sec.bob', eve.privateKeyPem, 'baseline');
    expect(checkSignedInput(file, bytes, 'baseline', { approvers, trustedKeys: keys })).toMatchObject({ trusted: false, problem: expect.stringMatching(/does not verify with the trusted key of sec\.bob/) });
    signInputFile(file, 'sec.bob', bob.privateKeyPem, 'baseline');
    expect(checkSignedInput(file, bytes, 'baseline', { approvers, trustedKeys: keys })).toEqual({ trusted: true, via: 'signature', signedBy: 'sec.bob' });
    expect(checkSignedInput(file, Buffer.from('{"findings": []}'), 'baseline', { approvers, trustedKeys: keys }).trusted).toBe(false);
    expect(checkSignedInput(file, bytes, 'baseline', { approvers: new Set(['sec.carol']), trustedKeys: keys }).trusted).toBe(false);
  });

  test('a malformed signature file is bad input; a missing one is not', () => {
    const file = t.file('x.json', '{}');
    expect(readDetachedSignature(file)).toBeUndefined();
    for (const [sig, why] of [
      ['', /is empty/],
      ['[1]', /not a signature file/],
      ['signedBy: [a]\nsignature: x', /has no signedBy/],
      ['signedBy: sec.bob\nsignature: "not base64!"', /has no valid signature/],
      ['signedBy: sec.bob\nsignedBy: sec.eve\nsignature: x', /not a signature file/],
      ['signedBy: sec.bob\nsignature: x\nkey: y', /unknown field\(s\) "key"/],
    ] as Array<[string, RegExp]>) {
      t.file('x.json.sig', sig);
      expect(() => readDetachedSignature(file)).toThrow(ReportError);
      expect(() => readDetachedSignature(file)).toThrow(why);
    }
  });

  test('signInputFile refuses a signer id with an invisible character and a key that is not ed25519', () => {
    const file = t.file('y.json', '{}');
    expect(() => signInputFile(file, 'sec.bob\u200b', bob.privateKeyPem, 'baseline')).toThrow(/U\+200B/);
    expect(() => signInputFile(file, 'sec.bob', bob.publicKeyPem, 'baseline')).toThrow(/not an ed25519 private key/);
  });
});

describe('baseline trust', () => {
  test('an unsigned repository baseline is not applied: every finding is new, and --new-only counts them all', async () => {
    const r = await runGate({ reports: [BANDIT], baselineFile: BASELINE, options: { failOn: 'low', newOnly: true } });
    expect(r.baseline).toEqual({ file: BASELINE, trust: 'untrusted', applied: false, problem: expect.stringMatching(/is not signed/), existing: 0, new: 9 });
    expect(r.decision.failing.size).toBe(9);
    expect(gateText(r)).toMatch(/baseline .*: UNTRUSTED, not applied — every finding is new \(9\)/);
    expect(gateMarkdown(r)).toMatch(/Baseline: 🚫 untrusted/);
  });

  test('signed by an approver, it applies; the pipeline\'s own baseline applies as it is', async () => {
    const base = t.file('base.json', readFileSync(BASELINE));
    signInputFile(base, 'sec.bob', bob.privateKeyPem, 'baseline');
    const r = await runGate({ reports: [BANDIT], baselineFile: base, approvers, trustedKeysFile: keysFile, options: { failOn: 'low', newOnly: true } });
    expect(r.baseline).toEqual({ file: base, trust: 'signed', applied: true, signedBy: 'sec.bob', existing: 8, new: 1 });
    const p = await runGate({ reports: [BANDIT], trustedBaselineFile: BASELINE });
    expect(p.baseline).toMatchObject({ trust: 'pipeline', applied: true, existing: 8 });
  });

  test('both --baseline and --trusted-baseline is a usage error', async () => {
    await expect(runGate({ reports: [BANDIT], baselineFile: BASELINE, trustedBaselineFile: BASELINE })).rejects.toThrow(/not both/);
  });
});

describe('gate inputs', () => {
  test('bad --max-exemption-days, --pipeline and approvers are usage errors', async () => {
    await expect(runGate({ reports: [BANDIT], maxExemptionDays: 0 })).rejects.toThrow(/from 1 to 3650/);
    await expect(runGate({ reports: [BANDIT], pipeline: 'web\u200b' })).rejects.toThrow(/U\+200B/);
    await expect(runGate({ reports: [BANDIT], approvers: new Set(['sec.bob', 'SEC.BOB']) })).rejects.toThrow(/look alike/);
  });
});
