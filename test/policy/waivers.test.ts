import { compliantPipeline, keyPair } from './fixtures';
import { CommandStep, PolicyWaiver } from '../../src/core';
import { BuiltinPacks, evaluatePolicy, PolicyPack, Waivers } from '../../src/policy';
import { sameIdentity, waiverIdentity } from '../../src/policy/waiver-identity';

const ana = keyPair();
const raj = keyPair();
const mallory = keyPair();
const TODAY = '2027-03-10';

function pack(): PolicyPack {
  return BuiltinPacks.baseline({
    name: 'acme',
    approvers: ['platform.ana', 'platform.raj'],
    trustedKeys: [
      { approver: 'platform.ana', publicKeyPem: ana.publicKeyPem },
      { approver: 'platform.raj', publicKeyPem: raj.publicKeyPem },
    ],
    maxWaiverDays: 30,
  });
}

/** The compliant pipeline with a privileged docker-in-docker step in the build stage. */
function privileged() {
  const p = compliantPipeline();
  p.stage('build')!.addStep(new CommandStep({ name: 'dind', commands: ['docker build .'], privileged: true }));
  return p;
}

const base: PolicyWaiver = {
  pack: 'acme',
  ruleId: 'GH-NO-PRIVILEGED',
  scope: '/pipeline/stages/build/steps/dind',
  reason: 'docker-in-docker until the ko migration lands',
  requester: 'dev.bob',
  approver: 'platform.ana',
  approved: '2027-03-01',
  expires: '2027-03-31',
};
const signed = (w: Partial<PolicyWaiver> = {}, key = ana.privateKeyPem) => Waivers.sign({ ...base, ...w }, key);
const check = (w: PolicyWaiver) => evaluatePolicy(privileged().toDocument(), [pack()], [w], { today: TODAY });

describe('waivers', () => {
  test('without a waiver the privileged step is refused', () => {
    const report = evaluatePolicy(privileged().toDocument(), [pack()], [], { today: TODAY });
    expect(report.violations.map((v) => [v.ruleId, v.path])).toEqual([['GH-NO-PRIVILEGED', '/pipeline/stages/0/steps/1/privileged']]);
  });

  test('a signed, approved, unexpired waiver in scope covers the violation and is reported as used', () => {
    const report = check(signed());
    expect(report.passed).toBe(true);
    expect(report.waived.map((v) => [v.ruleId, v.path, v.waiver?.approver])).toEqual([['GH-NO-PRIVILEGED', '/pipeline/stages/0/steps/1/privileged', 'platform.ana']]);
    expect(report.waiversUsed.map((u) => u.reason)).toEqual(['covers /pipeline/stages/0/steps/1/privileged']);
    expect(report.rules.find((r) => r.ruleId === 'GH-NO-PRIVILEGED')?.result).toBe('waived');
  });

  test.each<[string, () => PolicyWaiver, RegExp]>([
    ['unsigned', () => ({ ...base }), /it is unsigned: platform.ana must sign it/],
    ['signed by a key the pack does not trust', () => signed({}, mallory.privateKeyPem), /signature does not verify with the key pack acme trusts for platform.ana/],
    ['signed by another approver’s key', () => signed({}, raj.privateKeyPem), /signature does not verify/],
    ['changed after signing', () => ({ ...signed(), expires: '2027-03-30' }), /signature does not verify/],
    ['scope widened after signing', () => ({ ...signed(), scope: '/pipeline' }), /signature does not verify/],
    ['expired', () => signed({ approved: '2027-02-01', expires: '2027-03-01' }), /it expired on 2027-03-01/],
    ['longer than the pack allows', () => signed({ approved: '2027-03-01', expires: '2027-06-01' }), /runs 92 days, more than the pack allows \(30\)/],
    ['approved in the future', () => signed({ approved: '2027-03-20', expires: '2027-03-31' }), /approved 2027-03-20 is in the future/],
    ['not a calendar date', () => signed({ expires: '2027-02-30' }), /expires "2027-02-30" is not a calendar date/],
    ['self-approved', () => signed({ requester: 'platform.ana' }), /approved by its own requester/],
    ['self-approved with another case and full-width letters', () => signed({ requester: 'Ｐlatform.ANA' }), /approved by its own requester/],
    ['self-approved with an invisible character', () => signed({ requester: 'platform.\u200bana' }), /approved by its own requester/],
    ['approved by someone who is not a pack approver', () => signed({ approver: 'dev.carol' }, mallory.privateKeyPem), /approver "dev.carol" is not an approver of pack acme/],
    ['out of scope (a stage that does not exist)', () => signed({ scope: '/pipeline/stages/deploy' }), /it is out of scope: scope "\/pipeline\/stages\/deploy" names no stage "deploy"/],
    ['scoped by index (would follow whatever moves there)', () => signed({ scope: '/pipeline/stages/0/steps/1' }), /names no stage "0" \(stages and steps are named in a scope, not numbered\)/],
    ['for a pack that is not evaluated', () => signed({ pack: 'other' }), /names pack "other", which is not evaluated/],
    ['for a rule the pack does not have', () => signed({ ruleId: 'GH-NOPE' }), /pack "acme" has no rule GH-NOPE/],
  ])('a waiver %s is refused and is itself a violation', (_, make, reason) => {
    const report = check(make());
    expect(report.passed).toBe(false);
    expect(report.waiversRejected).toHaveLength(1);
    expect(report.waiversRejected[0].reason).toMatch(reason);
    expect(report.violations.map((v) => v.ruleId).sort()).toEqual(['GH-NO-PRIVILEGED', 'GH-WAIVER']);
  });

  test('a waiver covers only its rule and its scope', () => {
    const other = privileged();
    other.stage('test')!.addStep(new CommandStep({ name: 'dind', commands: ['docker build .'], privileged: true }));
    const report = evaluatePolicy(other.toDocument(), [pack()], [signed()], { today: TODAY });
    expect(report.violations.map((v) => v.path)).toEqual(['/pipeline/stages/1/steps/1/privileged']);
    expect(report.waived.map((v) => v.path)).toEqual(['/pipeline/stages/0/steps/1/privileged']);
  });

  test('a valid waiver with nothing to cover is listed as unused, not a violation', () => {
    const report = evaluatePolicy(compliantPipeline().toDocument(), [pack()], [signed({ scope: '/pipeline/stages/build' })], { today: TODAY });
    expect(report.passed).toBe(true);
    expect(report.waiversUnused).toHaveLength(1);
  });

  test('a waiver for another pipeline is not considered', () => {
    const report = check(signed({ pipeline: 'other-app' }));
    expect(report.waiversRejected).toEqual([]);
    expect(report.waiversUsed).toEqual([]);
    expect(report.violations.map((v) => v.ruleId)).toEqual(['GH-NO-PRIVILEGED']);
    expect(check(signed({ pipeline: 'shop' })).passed).toBe(true);
  });

  test('a rule that could not be evaluated cannot be waived', () => {
    const broken = PolicyPack.fromYaml(
      `apiVersion: gatehouse.dev/v1\nkind: PolicyPack\nmetadata: { name: acme }\nspec:\n  approvers: [platform.ana]\n  trustedKeys:\n    platform.ana: |\n${ana.publicKeyPem.trim().split('\n').map((l) => `      ${l}`).join('\n')}\n  rules:\n    - id: X-1\n      message: m\n      fix: f\n      expression: "pipeline.stages.all(s, s.environment == 'prod')"\n`,
    );
    const w = signed({ ruleId: 'X-1', scope: '/pipeline' });
    const report = evaluatePolicy(privileged().toDocument(), [broken], [w], { today: TODAY });
    expect(report.passed).toBe(false);
    expect(report.rules[0].result).toBe('error');
    expect(report.waiversUnused).toHaveLength(1);
  });

  test('a waivers file round-trips and a malformed one lists every problem', () => {
    const w = signed();
    const yaml = `apiVersion: gatehouse.dev/v1\nkind: PolicyWaivers\nwaivers:\n  - ${Object.entries(w).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join('\n    ')}\n`;
    const [read] = Waivers.fromYaml(yaml);
    expect(check(read).passed).toBe(true);
    expect(() => Waivers.fromYaml('apiVersion: gatehouse.dev/v1\nkind: PolicyWaivers\nwaivers:\n  - pack: acme\n    expires: 2027-03-31\n    color: red\n')).toThrow(
      /waivers is invalid \(7 problems\)[\s\S]*unknown field "color"[\s\S]*ruleId is missing/,
    );
  });

  test('waiver identities: NFKC, case fold, invisible characters', () => {
    expect(waiverIdentity('ＡＮＡ')).toBe('ana');
    expect(sameIdentity('Platform.Ana', 'platform.\u00adana')).toBe(true);
    expect(sameIdentity('platform.ana', 'platform.anna')).toBe(false);
  });
});
