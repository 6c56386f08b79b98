/**
 * An app team against the platform's policy: each case is a pipeline (or waiver) an app team
 * could write to get around the org pack, checked as the platform checks every repository:
 * `gatehouse policy check --policy org.yaml pipeline.json` must exit 1 and name the rule.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  Approver,
  CommandStep,
  FailureStrategy,
  GatePolicy,
  GateSeverity,
  Pipeline,
  PolicyWaiver,
  ScanCategory,
  ScanStep,
  Stage,
  TrustSource,
} from '../../src/core';
import { Waivers } from '../../src/policy';
import { PROCESS_IO, runPolicyCheck } from '../../src/policy/cli-check';
import * as security from '../../src/security';
import { compliantPipeline, keyPair, PY, strictGate, SYFT } from '../policy/fixtures';

const dir = mkdtempSync(path.join(tmpdir(), 'gatehouse-adversarial-policy-'));
const ana = keyPair();
const mallory = keyPair();
const ORG = path.join(dir, 'org.yaml');
writeFileSync(
  ORG,
  [
    'apiVersion: gatehouse.dev/v1',
    'kind: PolicyPack',
    'metadata: { name: acme }',
    'spec:',
    '  approvers: [platform.ana]',
    '  maxWaiverDays: 30',
    '  trustedKeys:',
    '    platform.ana: |',
    ...ana.publicKeyPem.trim().split('\n').map((l) => `      ${l}`),
    '  builtin:',
    '    - pack: baseline',
    '      options: { approverGroups: [release-managers] }',
    '    - pack: gate-integrity',
    '  rules:',
    '    - id: ACME-001',
    '      message: every build stage is followed by a security stage with a secrets scan',
    '      fix: add Stage.securityStage(...) with security.Gitleaks() after the build stage',
    "      expression: \"pipeline.stages.exists(s, s.kind == 'security' && s.steps.exists(t, t.type == 'scan' && t.category == 'secrets'))\"",
    '',
  ].join('\n'),
);

let n = 0;
function check(p: Pipeline, waivers: PolicyWaiver[] = []): { code: number; out: string } {
  const doc = path.join(dir, `doc-${++n}.json`);
  writeFileSync(doc, p.toDocument({ engine: 'codepipeline' }).toJsonString());
  const args = ['--policy', ORG, '--today', '2027-03-10', doc];
  if (waivers.length > 0) {
    const w = path.join(dir, `waivers-${n}.yaml`);
    writeFileSync(w, JSON.stringify({ apiVersion: 'gatehouse.dev/v1', kind: 'PolicyWaivers', waivers }));
    args.unshift('--waivers', w);
  }
  let out = '';
  const code = runPolicyCheck(args, { readFile: PROCESS_IO.readFile, stdout: (t) => (out += t), stderr: (t) => (out += t) });
  return { code, out };
}

/** The compliant pipeline with its stages rebuilt by `change`. */
function variant(change: (stages: Stage[]) => Stage[]): Pipeline {
  const p = compliantPipeline();
  return new Pipeline({ name: p.name, source: p.source, defaults: { image: PY, timeoutMinutes: 30 }, stages: change(p.stages) });
}

const securityStage = (gate: GatePolicy, extra: Array<CommandStep> = []) =>
  Stage.securityStage('oast', {
    gate,
    steps: [
      new security.Gitleaks({ gate }),
      new security.Semgrep({ gate }),
      new security.OsvScanner({ gate }),
      new security.Syft({ image: SYFT }),
      ...extra,
    ],
  });
const replaceSecurity = (gate: GatePolicy, extra: Array<CommandStep> = []) => variant((s) => [s[0], s[1], securityStage(gate, extra), s[3], s[4]]);

describe('an app team cannot quietly undo the org pack', () => {
  test('the compliant pipeline passes (exit 0)', () => {
    expect(check(compliantPipeline())).toMatchObject({ code: 0 });
  });

  test.each<[string, () => Pipeline, string]>([
    ['dropping the security stage', () => variant((s) => [s[0], s[1], s[3], s[4]]), 'GH-SECURITY-AFTER-BUILD'],
    ['dropping the security stage (the org CEL rule)', () => variant((s) => [s[0], s[1], s[3], s[4]]), 'ACME-001'],
    ['lowering failOn to critical', () => replaceSecurity(new GatePolicy({ ...gateProps(), failOn: GateSeverity.CRITICAL })), 'GH-GATE-MAX-FAILON'],
    ['a gate that never fails on severity', () => replaceSecurity(new GatePolicy({ ...gateProps(), failOn: GateSeverity.NONE })), 'GH-GATE-MAX-FAILON'],
    ['budgets that never fail', () => replaceSecurity(new GatePolicy({ ...gateProps(), budgets: { critical: 100000, high: 100000 } })), 'GH-GATE-MAX-FAILON'],
    ['findings without a severity counted as info', () => replaceSecurity(new GatePolicy({ ...gateProps(), unknownAs: GateSeverity.INFO })), 'GH-GATE-MAX-FAILON'],
    ['ignore on the scans', () => replaceSecurity(new GatePolicy({ ...gateProps(), failureStrategy: FailureStrategy.IGNORE })), 'GH-GATE-NO-IGNORE'],
    [
      'a look-alike scan (a scanner of its own that always reports nothing)',
      () =>
        variant((s) => [
          s[0],
          s[1],
          Stage.securityStage('oast', {
            steps: [
              new ScanStep({
                name: 'gitleaks',
                scanner: 'gitleaks-lite',
                category: ScanCategory.SECRETS,
                commands: ["echo '[]' > r.json"],
                reports: [{ name: 'r', paths: ['r.json'] }],
                findingsReports: ['r.json'],
                gate: strictGate(),
              }),
              new security.Semgrep({ gate: strictGate() }), new security.OsvScanner({ gate: strictGate() }), new security.Syft({ image: SYFT }),
            ],
          }),
          s[3],
          s[4],
        ]),
      'GH-CATALOG-SCANNERS',
    ],
    [
      'a look-alike secrets "scan" as a plain command',
      () =>
        variant((s) => [s[0], s[1], Stage.securityStage('oast', { steps: [new CommandStep({ name: 'gitleaks', commands: ['echo no leaks'] }), new security.Semgrep({ gate: strictGate() }), new security.OsvScanner({ gate: strictGate() }), new security.Syft({ image: SYFT })] }), s[3], s[4]]),
      'GH-REQUIRED-SCANS',
    ],
    ['allowFailure on a step of the security stage', () => replaceSecurity(strictGate(), [new CommandStep({ name: 'dast', commands: ['./dast.sh'], allowFailure: true })]), 'GH-NO-ALLOW-FAILURE'],
    ['an unpinned image', () => variant((s) => [Stage.buildStage('build', { steps: [new CommandStep({ name: 'build', image: 'python:3.12', commands: ['make'] })] }), ...s.slice(1)]), 'GH-IMAGE-DIGEST'],
    ['an unpinned gate image', () => new Pipeline({ name: 'shop', source: compliantPipeline().source, defaults: { image: PY, gateImage: 'node:22' }, stages: compliantPipeline().stages }), 'GH-IMAGE-DIGEST'],
    ['moving the security stage after prod', () => variant((s) => [s[0], s[1], s[3], s[4], s[2]]), 'GH-SECURITY-BEFORE-DEPLOY'],
    ['prod starting with the pipeline, beside the security stage', () => variant((s) => [s[0], s[1], s[2], Stage.approvalStage('approval', { approvers: [Approver.group('release-managers')], requires: [] }), s[4]]), 'GH-SECURITY-BEFORE-DEPLOY'],
    ['an approval a developer can give', () => variant((s) => [...s.slice(0, 3), Stage.approvalStage('approval', { approvers: [Approver.group('release-managers'), Approver.user('dev.bob')] }), s[4]]), 'GH-APPROVAL-BEFORE-DEPLOY'],
    ['no approval before prod', () => variant((s) => [s[0], s[1], s[2], s[4]]), 'GH-APPROVAL-BEFORE-DEPLOY'],
    ['a privileged step', () => variant((s) => [Stage.buildStage('build', { steps: [new CommandStep({ name: 'dind', commands: ['docker build .'], privileged: true })] }), ...s.slice(1)]), 'GH-NO-PRIVILEGED'],
    ['exemption keys written in the definition', () => replaceSecurity(new GatePolicy({ ...gateProps(), trustedKeys: TrustSource.inline(ana.publicKeyPem) })), 'GH-GATE-TRUSTED-KEYS'],
    ['exemptions without any key', () => replaceSecurity(new GatePolicy({ ...gateProps(), trustedKeys: undefined })), 'GH-GATE-TRUSTED-KEYS'],
    ['year-long exemptions', () => replaceSecurity(new GatePolicy({ ...gateProps(), maxExemptionDays: 365 })), 'GH-GATE-MAX-EXEMPTION-DAYS'],
    ['VEX from the repository', () => replaceSecurity(new GatePolicy({ ...gateProps(), vexFiles: ['.vex/all-not-affected.json'] })), 'GH-GATE-TRUSTED-VEX'],
    ['a day-long step timeout', () => new Pipeline({ name: 'shop', source: compliantPipeline().source, defaults: { image: PY, timeoutMinutes: 1440 }, stages: compliantPipeline().stages }), 'GH-BOUNDED-TIMEOUTS'],
  ])('%s is refused (exit 1, names the rule)', (_, make, rule) => {
    const r = check(make());
    expect(r.out).toContain(`error ${rule} (acme)`);
    expect(r.code).toBe(1);
  });

  describe('waivers', () => {
    const dind = () => variant((s) => [Stage.buildStage('build', { steps: [new CommandStep({ name: 'dind', commands: ['docker build .'], privileged: true })] }), ...s.slice(1)]);
    const waiver: PolicyWaiver = {
      pack: 'acme',
      ruleId: 'GH-NO-PRIVILEGED',
      scope: '/pipeline/stages/build/steps/dind',
      reason: 'dind until ko',
      requester: 'dev.bob',
      approver: 'platform.ana',
      approved: '2027-03-01',
      expires: '2027-03-31',
    };
    test('a waiver the platform approver signed lets the privileged step through (exit 0)', () => {
      expect(check(dind(), [Waivers.sign(waiver, ana.privateKeyPem)])).toMatchObject({ code: 0 });
    });
    test.each<[string, () => PolicyWaiver]>([
      ['signed by an untrusted key', () => Waivers.sign(waiver, mallory.privateKeyPem)],
      ['unsigned', () => waiver],
      ['self-approved', () => Waivers.sign({ ...waiver, requester: 'Platform.Ana' }, ana.privateKeyPem)],
      ['expired', () => Waivers.sign({ ...waiver, approved: '2027-01-01', expires: '2027-01-31' }, ana.privateKeyPem)],
      ['longer than the pack allows', () => Waivers.sign({ ...waiver, expires: '2027-12-31' }, ana.privateKeyPem)],
      ['widened to the whole pipeline after signing', () => ({ ...Waivers.sign(waiver, ana.privateKeyPem), scope: '/pipeline' })],
      ['scoped by index', () => Waivers.sign({ ...waiver, scope: '/pipeline/stages/0/steps/0' }, ana.privateKeyPem)],
    ])('a waiver %s is refused (exit 1, GH-WAIVER)', (_, make) => {
      const r = check(dind(), [make()]);
      expect(r.out).toContain('error GH-WAIVER (acme)');
      expect(r.out).toContain('error GH-NO-PRIVILEGED (acme)');
      expect(r.code).toBe(1);
    });
  });

  test('a hand-edited document with a field the schema does not know is bad input (exit 2)', () => {
    const doc = path.join(dir, 'edited.json');
    const json = compliantPipeline().toDocument().toJson();
    json.pipeline.stages[2].steps[0].compliant = true;
    writeFileSync(doc, JSON.stringify(json));
    let err = '';
    const code = runPolicyCheck(['--policy', ORG, doc], { readFile: PROCESS_IO.readFile, stdout: () => undefined, stderr: (t) => (err += t) });
    expect(err).toContain('unknown field "compliant"');
    expect(code).toBe(2);
  });
});

function gateProps() {
  return {
    failOn: GateSeverity.HIGH,
    exemptionsFile: '.gatehouse/exemptions.yaml',
    exemptionApprovers: ['sec.priya'],
    trustedKeys: TrustSource.ssmParameter('/platform/gatehouse/trusted-keys') as TrustSource | undefined,
    maxExemptionDays: 30,
  };
}
