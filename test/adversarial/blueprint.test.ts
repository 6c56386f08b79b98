/**
 * An app team against its platform's blueprint (examples/acme-blueprint): each case is what an
 * app team could write to get a weaker pipeline than the blueprint gives it. Every one must be
 * refused by the library, at synth, with the rule that names it and the fix.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App as CdkApp, Stack } from 'aws-cdk-lib';
import { App as K8sApp, Chart } from 'cdk8s';
import {
  ACME_CLONE_IMAGE, ACME_IMAGE, ACME_PACK_FILE, AcmeTarget, acmeCdkApp, acmeK8sApp, acmeServicePipeline, acmeTekton,
} from '../../examples/acme-blueprint/src';
import { CircleCiEngine } from '../../src/circleci';
import { CodePipelineEngine } from '../../src/codepipeline';
import {
  CommandStep, FailureStrategy, GatePolicy, GateSeverity, Pipeline, PolicyWaiver, ScanCategory, ScanStep, Stage, StageKind, TrustSource,
} from '../../src/core';
import { GitHubActionsEngine } from '../../src/github';
import { isPolicyError, PolicyReport, Waivers } from '../../src/policy';
import { PROCESS_IO, runPolicyCheck } from '../../src/policy/cli-check';
import { Gitleaks, OsvScanner, Semgrep } from '../../src/security';
import { TektonEngine } from '../../src/tekton';

const CONNECTION = 'arn:aws:codeconnections:eu-west-1:111111111111:connection/11111111-2222-3333-4444-555555555555';

/** The orders service as the blueprint gives it (Tekton). */
const orders = (extra: Partial<Parameters<typeof acmeServicePipeline>[0]> = {}) =>
  acmeServicePipeline({ name: 'orders', repository: 'orders', build: ['make build'], test: ['make test'], deploy: ['./deploy.sh prod'], ...extra });

/** A pipeline of the app team's own making from the blueprint's pipeline: same name, source, defaults and packs, other stages. */
function rebuilt(stages: (base: Pipeline) => Stage[], packs = true, target = AcmeTarget.TEKTON): Pipeline {
  const base = orders({ target });
  return new Pipeline({
    name: base.name,
    source: base.source,
    defaults: { image: ACME_IMAGE, timeoutMinutes: 30 },
    stages: stages(base),
    policyPacks: packs ? base.policyPacks : [],
  });
}

/** The blueprint's pipeline with its oast stage rebuilt around a gate changed by `change`. */
function withGate(change: Partial<ConstructorParameters<typeof GatePolicy>[0]>, target = AcmeTarget.TEKTON): Pipeline {
  return rebuilt((base) => base.stages.map((s) => {
    if (s.kind !== StageKind.SECURITY) return s;
    const g = s.gate!;
    const gate = new GatePolicy({
      failOn: g.failOn,
      exemptionsFile: g.exemptionsFile,
      exemptionApprovers: g.exemptionApprovers,
      trustedKeys: g.trustedKeys,
      maxExemptionDays: g.maxExemptionDays,
      ...change,
    });
    const syft = s.steps[3];
    return Stage.securityStage('oast', { gate, steps: [new Gitleaks({ mode: (s.steps[0] as any).mode ?? undefined, gate }), new Semgrep({ gate }), new OsvScanner({ gate }), syft] });
  }), true, target);
}

/** Renders with `render` (an engine that is no construct); returns the refusal's report. */
function refusedBy(render: () => unknown): { message: string; report: PolicyReport } {
  try {
    render();
  } catch (e) {
    if (isPolicyError(e)) return { message: e.message, report: e.report };
    throw e;
  }
  throw new Error('the pipeline rendered');
}

/** Renders on Tekton in the App the platform hands out; returns the refusal's report. */
function refusedOnTekton(p: Pipeline): { message: string; report: PolicyReport } {
  const app = acmeK8sApp();
  try {
    acmeTekton(new Chart(app, 'orders'), 'Tekton', p);
    app.synthYaml();
  } catch (e) {
    if (isPolicyError(e)) return { message: e.message, report: e.report };
    throw e;
  }
  throw new Error('the pipeline rendered');
}

/** Asserts the refusal names `ruleId` with its pack, a path under `pathPrefix` and the fix; returns that violation's detail. */
function expectRule(refusal: { message: string; report: PolicyReport }, ruleId: string, pathPrefix: string): string {
  const v = refusal.report.violations.find((x) => x.ruleId === ruleId && x.path.startsWith(pathPrefix));
  expect({ ruleId, found: v !== undefined, rules: refusal.report.violations.map((x) => `${x.ruleId} ${x.path}`) }).toMatchObject({ found: true });
  expect(refusal.message).toContain(`  - ${ruleId} (${v!.pack}) at ${v!.path}: ${v!.detail ?? v!.message}; fix: ${v!.fix}`);
  expect(v!.fix.length).toBeGreaterThan(20);
  return v!.detail ?? v!.message;
}

describe('an app team cannot get around the acme-service blueprint', () => {
  test('the blueprint pipeline itself renders (the cases below are refused for what they change)', () => {
    const app = acmeK8sApp();
    expect(() => acmeTekton(new Chart(app, 'orders'), 'Tekton', orders())).not.toThrow();
  });

  test('fails when the security stage is dropped', () => {
    const r = refusedOnTekton(rebuilt((base) => base.stages.filter((s) => s.kind !== StageKind.SECURITY)));
    expect(expectRule(r, 'GH-BLUEPRINT-STAGES', '/pipeline/stages')).toBe('the required security stage "oast" is missing');
    expectRule(r, 'ACME-001', '/pipeline');
    expectRule(r, 'GH-SECURITY-BEFORE-DEPLOY', '/pipeline/stages/3');
  });

  test('fails when failOn is lowered to critical', () => {
    const r = refusedOnTekton(withGate({ failOn: GateSeverity.CRITICAL }));
    expect(expectRule(r, 'GH-BLUEPRINT-STAGES', '/pipeline/stages/2/gate')).toMatch(/^stage "oast" has gate .*"failOn":"critical".*, the blueprint seals .*"failOn":"high"/);
    expectRule(r, 'GH-BLUEPRINT-STEPS', '/pipeline/stages/2/steps/0/gate');
    expectRule(r, 'GH-GATE-MAX-FAILON', '/pipeline/stages/2');
  });

  test('fails with budgets that never fail', () => {
    const r = refusedOnTekton(withGate({ budgets: { critical: 1000, high: 1000 } }));
    expectRule(r, 'GH-GATE-MAX-FAILON', '/pipeline/stages/2');
    expectRule(r, 'GH-BLUEPRINT-STEPS', '/pipeline/stages/2/steps/0/gate');
  });

  test('fails with the ignore strategy on the scans', () => {
    const r = refusedOnTekton(withGate({ failureStrategy: FailureStrategy.IGNORE }));
    expectRule(r, 'GH-GATE-NO-IGNORE', '/pipeline/stages/2');
    expectRule(r, 'GH-BLUEPRINT-STAGES', '/pipeline/stages/2/gate');
  });

  test('fails with a look-alike gitleaks step (same name, scanner, image and report, other commands)', () => {
    const r = refusedOnTekton(rebuilt((base) => base.stages.map((s) => {
      if (s.kind !== StageKind.SECURITY) return s;
      const real = s.steps[0] as ScanStep;
      const fake = new ScanStep({
        name: real.name,
        scanner: real.scanner,
        category: ScanCategory.SECRETS,
        image: real.image,
        shell: real.shell,
        commands: [`mkdir -p $(dirname ${real.findingsReports[0]})`, `echo '[]' > ${real.findingsReports[0]}`],
        reports: real.reports,
        findingsReports: real.findingsReports,
        findingsFormats: real.findingsFormats,
        gate: real.gate,
      });
      return Stage.securityStage('oast', { gate: s.gate, steps: [fake, ...s.steps.slice(1)] });
    })));
    expect(expectRule(r, 'GH-BLUEPRINT-STEPS', '/pipeline/stages/2/steps/0/commandsSha256')).toBe('step "oast/gitleaks" runs other commands than the blueprint seals (a look-alike step)');
    // the catalog check alone would let it through: it claims the catalog's scanner id
    expect(r.report.violations.map((v) => v.ruleId)).not.toContain('GH-CATALOG-SCANNERS');
  });

  test('fails with allowFailure set on a sealed scan, even by mutating the shared step object', () => {
    const p = orders();
    const step = p.stage('oast')!.steps[1] as any;
    const was = step.allowFailure;
    step.allowFailure = true;
    try {
      const r = refusedOnTekton(p);
      expectRule(r, 'GH-NO-ALLOW-FAILURE', '/pipeline/stages/2/steps/1');
      expect(expectRule(r, 'GH-BLUEPRINT-STEPS', '/pipeline/stages/2/steps/1/allowFailure')).toBe('step "oast/semgrep" has allowFailure true, the blueprint seals false');
    } finally {
      step.allowFailure = was;
    }
  });

  test('fails with allowFailure on a scan of its own: the scan step refuses it when constructed', () => {
    expect(() => new ScanStep({
      name: 'trivy-fs',
      scanner: 'trivy',
      category: ScanCategory.SCA,
      image: 'aquasec/trivy:0.58.0@sha256:' + 'a'.repeat(64),
      commands: ['trivy fs --format json -o r.json .'],
      reports: [{ name: 'trivy', paths: ['r.json'] }],
      findingsReports: ['r.json'],
      allowFailure: true,
    })).toThrow('scan step "trivy-fs" sets allowFailure: a scan that cannot run must fail; to let findings through use gate failureStrategy IGNORE');
  });

  test('fails with an image not pinned by digest in a slot', () => {
    const r = refusedOnTekton(orders({ slots: [{ slot: 'build', steps: [new CommandStep({ name: 'lint', image: 'python:3.12', commands: ['ruff check'] })] }] }));
    expect(expectRule(r, 'GH-IMAGE-DIGEST', '/pipeline/stages/0/steps/1/image')).toBe('image "python:3.12" has no digest');
  });

  test('fails with an unpinned clone image given to the engine', () => {
    const app = acmeK8sApp();
    let error: unknown;
    try {
      acmeTekton(new Chart(app, 'orders'), 'Tekton', orders(), { cloneImage: 'alpine/git:latest' });
    } catch (e) {
      error = e;
    }
    expect(isPolicyError(error) && error.message).toContain('GH-IMAGE-DIGEST (acme-baseline) at /pipeline/engine/cloneImage: clone image "alpine/git:latest" has no digest; fix:');
  });

  test('fails when the security stage is moved after prod', () => {
    const r = refusedOnTekton(rebuilt((base) => {
      const oast = base.stage('oast')!;
      const moved = new Stage({ name: 'oast', kind: StageKind.SECURITY, requires: ['prod'], gate: oast.gate, steps: oast.steps });
      const rest = base.stages.filter((s) => s !== oast);
      return [...rest.slice(0, 2), new Stage({ name: 'approval', kind: StageKind.APPROVAL, requires: ['test'], steps: base.stage('approval')!.steps }), ...rest.slice(3), moved];
    }));
    expect(expectRule(r, 'GH-BLUEPRINT-ORDER', '/pipeline/stages/3/after')).toBe('stage "prod" does not run after "oast"');
    expectRule(r, 'GH-SECURITY-BEFORE-DEPLOY', '/pipeline/stages/3');
  });

  test('fails when a step is added to the sealed security stage', () => {
    const p = orders();
    p.stage('oast')!.addStep(new CommandStep({ name: 'fix-reports', commands: ['rm -rf .gatehouse/reports'] }));
    const r = refusedOnTekton(p);
    expect(expectRule(r, 'GH-BLUEPRINT-STEPS', '/pipeline/stages/2/steps/4')).toBe('step "oast/fix-reports" is added to the sealed stage "oast", which has no slot');
  });

  test.each(['tekton', 'codepipeline'])('%s: fails when the engine is constructed directly, without the blueprint, in the App that carries the org packs', (engine) => {
    const own = new Pipeline({
      name: 'orders',
      source: orders().source,
      defaults: { image: ACME_IMAGE },
      stages: [
        Stage.buildStage('build', { steps: [new CommandStep({ name: 'build', commands: ['make build'] })] }),
        Stage.deployStage('prod', { environment: 'prod', steps: [new CommandStep({ name: 'deploy', commands: ['./deploy.sh prod'] })] }),
      ],
    });
    let error: unknown;
    try {
      if (engine === 'tekton') new TektonEngine(new Chart(acmeK8sApp(), 'orders'), 'Tekton', { pipeline: own, cloneImage: ACME_CLONE_IMAGE });
      else new CodePipelineEngine(new Stack(acmeCdkApp({ builtinCloudFormationValidation: false }), 'Orders'), 'Pipeline', { pipeline: own, connectionArn: CONNECTION });
    } catch (e) {
      error = e;
    }
    expect(isPolicyError(error)).toBe(true);
    const r = { message: (error as Error).message, report: (error as any).report as PolicyReport };
    expect(r.report.packs).toEqual(['acme-baseline', 'acme-service']);
    expect(expectRule(r, 'GH-BLUEPRINT-STAGES', '/pipeline/stages')).toBe('the required test stage "test" is missing');
    expectRule(r, 'ACME-001', '/pipeline');
    expectRule(r, 'GH-APPROVAL-BEFORE-DEPLOY', '/pipeline/stages/1');
  });

  test('fails with a waiver signed by a key the pack does not trust', () => {
    const mallory = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const waiver: PolicyWaiver = Waivers.sign({
      pack: 'acme-baseline',
      ruleId: 'GH-IMAGE-DIGEST',
      scope: '/pipeline/stages/build/steps/lint',
      reason: 'the linter image has no digest yet',
      requester: 'dev.bob',
      approver: 'platform.ana',
      approved: day(-1),
      expires: day(7),
    }, mallory);
    const r = refusedOnTekton(orders({ slots: [{ slot: 'build', steps: [new CommandStep({ name: 'lint', image: 'python:3.12', commands: ['ruff check'] })] }], waivers: [waiver] }));
    expect(expectRule(r, 'GH-WAIVER', '/pipeline/stages/build/steps/lint')).toMatch(/^its signature does not verify with the key pack acme-baseline trusts for platform.ana/);
    expectRule(r, 'GH-IMAGE-DIGEST', '/pipeline/stages/0/steps/1/image');
    expect(r.report.waived).toEqual([]);
  });

  test('fails the central check when the packs are left out and the pipeline is synthesized in a plain App', () => {
    // GIVEN the blueprint's stages without its packs, rendered where no pack is attached
    const p = rebuilt((base) => base.stages, false);
    const dir = mkdtempSync(path.join(tmpdir(), 'gatehouse-blueprint-central-'));
    try {
      const app = new K8sApp({ outdir: dir });
      new TektonEngine(new Chart(app, 'orders'), 'Tekton', { pipeline: p, cloneImage: ACME_CLONE_IMAGE });
      app.synth(); // in process, nothing is attached: nothing to check
      // WHEN the platform's required check runs over the document the synth wrote
      let out = '';
      const code = runPolicyCheck(['--policy', ACME_PACK_FILE, path.join(dir, 'pipeline.json')], { readFile: PROCESS_IO.readFile, stdout: (t) => (out += t), stderr: (t) => (out += t) });
      // THEN removing the packs is itself the violation
      expect(code).toBe(1);
      expect(out).toContain('error ACME-PACKS (acme-baseline) at /pipeline: every Acme pipeline is built with the acme-service blueprint, whose pack it carries\n    fix: build the pipeline with acmeServicePipeline(...)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a pack with the org pack\'s name but weaker rules cannot shadow it', () => {
    const app = acmeK8sApp();
    const p = orders();
    const weak = new Pipeline({ name: p.name, source: p.source, defaults: { image: ACME_IMAGE, timeoutMinutes: 30 }, stages: p.stages });
    const yaml = path.join(mkdtempSync(path.join(tmpdir(), 'gatehouse-weak-')), 'weak.yaml');
    writeFileSync(yaml, "apiVersion: gatehouse.dev/v1\nkind: PolicyPack\nmetadata: { name: acme-baseline }\nspec:\n  rules:\n    - { id: OK, message: ok, fix: ok, expression: 'true' }\n");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    weak.addPolicyPack(require('../../src/policy').PolicyPack.fromFile(yaml));
    expect(() => acmeTekton(new Chart(app, 'orders'), 'Tekton', weak)).toThrow(
      'pipeline "orders" and the construct tree around its engine attach two different policy packs named "acme-baseline": attach the org pack in one place (the App or the pipeline), or give the packs unique metadata.name',
    );
  });

  test('the App\'s packs cannot be removed from it', () => {
    const app = acmeCdkApp() as CdkApp;
    const sym = Symbol.for('gatehouse.policy.PolicyScope');
    expect(() => {
      'use strict';
      delete (app as any)[sym];
    }).toThrow(TypeError);
    expect((app as any)[sym].packs.map((x: any) => x.packName)).toEqual(['acme-baseline', 'acme-service']);
  });
});

describe('on GitHub Actions and CircleCI the keys travel with the pipeline, and only the blueprint\'s count', () => {
  const own = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const ownKeys = `sec.priya: |\n${own.trim().split('\n').map((l) => `  ${l}`).join('\n')}\n`;

  test.each([
    ['GitHub Actions', AcmeTarget.GITHUB, (p: Pipeline) => new GitHubActionsEngine({ pipeline: p })],
    ['CircleCI', AcmeTarget.CIRCLECI, (p: Pipeline) => new CircleCiEngine(p)],
  ])('%s: the blueprint pipeline renders; with the app team\'s own keys in place of the blueprint\'s it is refused', (_, target, render) => {
    expect(() => render(orders({ target }))).not.toThrow();
    const r = refusedBy(() => render(withGate({ trustedKeys: TrustSource.inline(ownKeys) }, target)));
    expect(expectRule(r, 'GH-BLUEPRINT-STAGES', '/pipeline/stages/2/gate')).toMatch(/^stage "oast" has gate .*, the blueprint seals /);
    expectRule(r, 'GH-BLUEPRINT-STEPS', '/pipeline/stages/2/steps/0/gate');
  });

  test('keys written in the definition open no door on Tekton: the seal keeps the ConfigMap there', () => {
    const r = refusedOnTekton(withGate({ trustedKeys: TrustSource.inline(ownKeys) }));
    expectRule(r, 'GH-BLUEPRINT-STAGES', '/pipeline/stages/2/gate');
  });
});

test('the blueprint targets both engines (CodePipeline gates read the keys from SSM)', () => {
  const p = acmeServicePipeline({ name: 'orders', repository: 'orders', target: AcmeTarget.CODEPIPELINE, build: ['b'], test: ['t'], deploy: ['d'] });
  expect(p.stage('oast')!.gate!.trustedKeys!.kind).toBe('ssm-parameter');
});
