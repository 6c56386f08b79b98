/**
 * The package's own tests (`npm test` in this folder; the gatehouse repository runs them from
 * test/examples/acme-blueprint.test.ts).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Chart } from 'cdk8s';
import { circleci, github, policy, StageKind, TrustSourceKind } from 'gatehouse';
import {
  ACME_CLONE_IMAGE, ACME_SECURITY_KEYS, AcmeTarget, acmeBaseline, acmeCdkApp, acmeCodePipeline, acmeK8sApp, acmeServiceBlueprint, acmeServicePipeline, acmeTekton,
} from '../src';

const TARGETS = [AcmeTarget.CODEPIPELINE, AcmeTarget.TEKTON, AcmeTarget.GITHUB, AcmeTarget.CIRCLECI];

const service = (target: AcmeTarget) =>
  acmeServicePipeline({ name: 'orders', repository: 'orders', target, build: ['make build'], test: ['make test'], deploy: ['./deploy.sh prod'] });

describe('@acme/gatehouse-blueprint', () => {
  test('the acme-service blueprint: build, test and prod are slots; oast and approval are sealed', () => {
    const b = acmeServiceBlueprint(AcmeTarget.TEKTON);
    expect(b.slots).toEqual(['build', 'test', 'prod']);
    expect(b.packs.map((p) => p.packName)).toEqual(['acme-baseline', 'acme-service']);
    const p = service(AcmeTarget.TEKTON);
    expect(p.stages.map((s) => [s.name, s.kind, s.steps.map((t) => t.name)])).toEqual([
      ['build', StageKind.BUILD, ['build']],
      ['test', StageKind.TEST, ['test']],
      ['oast', StageKind.SECURITY, ['gitleaks', 'semgrep', 'osv-scanner', 'syft']],
      ['approval', StageKind.APPROVAL, ['approve']],
      ['prod', StageKind.DEPLOY, ['deploy']],
    ]);
    expect(p.policyPacks.map((x) => x.packName)).toEqual(['acme-baseline', 'acme-service']);
  });

  test('slot steps of one service never reach another (each pipeline has its own stages)', () => {
    const a = service(AcmeTarget.TEKTON);
    const b = service(AcmeTarget.TEKTON);
    expect(a.stage('build')).not.toBe(b.stage('build'));
    expect(acmeServiceBlueprint(AcmeTarget.TEKTON).pipeline({ name: 'empty', source: a.source }).stage('build')!.steps).toEqual([]);
  });

  test('fails on a slot the blueprint does not have, naming the slots', () => {
    expect(() => acmeServicePipeline({ name: 'x', repository: 'x', build: ['b'], test: ['t'], deploy: ['d'], slots: [{ slot: 'oast', steps: [] }] }))
      .toThrow('pipeline "x" of blueprint acme-service: "oast" is not a slot of blueprint acme-service: add steps to "build", "test", "prod"');
  });

  test('a service pipeline passes every rule of both packs on every engine', () => {
    for (const target of TARGETS) {
      const p = service(target);
      const report = policy.evaluatePolicy(p.toDocument({ engine: target, cloneImage: target === AcmeTarget.TEKTON ? ACME_CLONE_IMAGE : undefined }), p.policyPacks, []);
      expect({ target, violations: report.violations, warnings: report.warnings }).toEqual({ target, violations: [], warnings: [] });
      expect(report.rules).toHaveLength(acmeBaseline().rules.length + 4);
    }
  });

  test('the gates read the platform\'s keys from the engine\'s store, or from this package where a job can read none', () => {
    const kinds = TARGETS.map((t) => {
      const keys = service(t).stage('oast')!.gate!.trustedKeys!;
      return [t, keys.kind, keys.kind === TrustSourceKind.INLINE ? keys.content : keys.name];
    });
    expect(kinds).toEqual([
      [AcmeTarget.CODEPIPELINE, TrustSourceKind.SSM_PARAMETER, '/platform/gatehouse/trusted-keys'],
      [AcmeTarget.TEKTON, TrustSourceKind.CONFIG_MAP, 'acme-gatehouse-trust'],
      [AcmeTarget.GITHUB, TrustSourceKind.INLINE, ACME_SECURITY_KEYS],
      [AcmeTarget.CIRCLECI, TrustSourceKind.INLINE, ACME_SECURITY_KEYS],
    ]);
    // one key per security approver
    expect(ACME_SECURITY_KEYS.match(/^[\w.]+(?=: \|$)/gm)).toEqual(['sec.priya', 'sec.marco']);
  });

  test('fails on a target it does not know, naming the targets', () => {
    expect(() => acmeServiceBlueprint('jenkins' as AcmeTarget)).toThrow('acme target "jenkins" is not one of codepipeline, tekton, github, circleci');
  });

  test.each([AcmeTarget.GITHUB, AcmeTarget.CIRCLECI])('%s: renders, with the packs checked, the keys written where the gates read them and every rule passed', (target) => {
    const p = service(target);
    const outdir = mkdtempSync(path.join(tmpdir(), 'acme-blueprint-'));
    let text: string;
    let report: any;
    try {
      if (target === AcmeTarget.GITHUB) {
        const engine = new github.GitHubActionsEngine({ pipeline: p });
        engine.writeTo(outdir);
        text = engine.workflowYaml;
        report = JSON.parse(readFileSync(path.join(outdir, '.github/gatehouse/policy-report.json'), 'utf8'));
      } else {
        const engine = new circleci.CircleCiEngine(p);
        engine.writePolicyFiles(outdir);
        text = engine.configYaml;
        report = JSON.parse(readFileSync(path.join(outdir, 'policy-report.json'), 'utf8'));
      }
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
    // the gate jobs write the keys (base64, in lines of 76) into their trust folder
    expect(text).toContain(Buffer.from(ACME_SECURITY_KEYS, 'utf8').toString('base64').slice(0, 76));
    expect(report.passed).toBe(true);
    expect(report.packs).toEqual(['acme-baseline', 'acme-service']);
    expect(report.rules.filter((r: any) => r.result !== 'pass')).toEqual([]);
  });

  test.each([AcmeTarget.CODEPIPELINE, AcmeTarget.TEKTON])('%s: synthesizes in the Acme App with the engine defaults, and reports every rule passed', (target) => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'acme-blueprint-'));
    try {
      if (target === AcmeTarget.CODEPIPELINE) {
        const app = acmeCdkApp({ outdir, builtinCloudFormationValidation: false, context: { 'aws:cdk:disable-asset-staging': true } });
        acmeCodePipeline(new Stack(app, 'Orders'), 'Pipeline', service(target));
        app.synth();
      } else {
        const app = acmeK8sApp({ outdir });
        const engine = acmeTekton(new Chart(app, 'orders'), 'Tekton', service(target));
        app.synth();
        const clone = engine.toManifests().find((m) => m.kind === 'Pipeline').spec.tasks[0].taskSpec.steps[0];
        expect(clone.image).toBe(ACME_CLONE_IMAGE);
      }
      const report = JSON.parse(readFileSync(path.join(outdir, 'policy-report.json'), 'utf8'));
      expect(report.passed).toBe(true);
      expect(report.packs).toEqual(['acme-baseline', 'acme-service']);
      expect(report.rules.filter((r: any) => r.result !== 'pass')).toEqual([]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
