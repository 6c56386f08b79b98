/**
 * Every engine evaluates the packs attached to the pipeline, and to the App/Chart/Stack around it,
 * before rendering: one error listing every violation, warnings printed once, and
 * `pipeline.json` + `policy-report.json` written beside the output.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { App as K8sApp, Chart } from 'cdk8s';
import { keyPair, PY } from './fixtures';
import { djangoDevSecOps } from '../../examples/django-devsecops/pipeline';
import { CodePipelineEngine } from '../../src/codepipeline';
import { CommandStep, Pipeline, PolicyWaiver } from '../../src/core';
import { isPolicyError, pipelineDocumentProblems, PolicyPack, PolicyScope, Waivers } from '../../src/policy';
import { ScannerImage } from '../../src/security';
import { TektonEngine } from '../../src/tekton';

const ROOT = path.join(__dirname, '..', '..');
const SEED = path.join(ROOT, 'docs', 'policy-packs', 'seed-security-step.yaml');
const CONNECTION = 'arn:aws:codeconnections:eu-west-1:111111111111:connection/11111111-2222-3333-4444-555555555555';
const seedPack = () => PolicyPack.fromFile(SEED);

/** The seed pipeline (on CodeBuild, Syft from an image with /bin/sh). */
const seedFor = (engine: string) =>
  djangoDevSecOps(engine === 'codepipeline' ? { syftImage: ScannerImage.of('ghcr.io/acme/gatehouse-syft', '1.45.1', `sha256:${'0'.repeat(64)}`) } : {});

/** The seed without its security stage. */
function noSecurity(): Pipeline {
  const seed = djangoDevSecOps();
  return new Pipeline({ name: 'no-security', source: seed.source, defaults: { image: seed.defaultImage }, stages: seed.stages.filter((s) => s.name !== 'oast') });
}

const dirs: string[] = [];
const outdir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'gatehouse-policy-engines-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

interface EngineUnderTest {
  /** Builds the engine for `pipeline`; `attach` runs on the App and the engine's parent first. */
  build(pipeline: Pipeline, attach?: (app: any, parent: any) => void, dir?: string): { app: any; parent: any; engine: any };
  /** Synthesizes to the app's outdir. */
  synth(app: any): void;
}

const ENGINES: Array<[string, EngineUnderTest]> = [
  [
    'codepipeline',
    {
      build: (pipeline, attach, dir) => {
        const app = new App({ outdir: dir, builtinCloudFormationValidation: false, context: { 'aws:cdk:disable-asset-staging': true } });
        const stack = new Stack(app, 'Pipelines');
        attach?.(app, stack);
        return { app, parent: stack, engine: new CodePipelineEngine(stack, 'Engine', { pipeline, connectionArn: CONNECTION }) };
      },
      synth: (app: App) => app.synth(),
    },
  ],
  [
    'tekton',
    {
      build: (pipeline, attach, dir) => {
        const app = new K8sApp({ outdir: dir });
        const chart = new Chart(app, pipeline.name);
        attach?.(app, chart);
        return { app, parent: chart, engine: new TektonEngine(chart, 'Tekton', { pipeline }) };
      },
      synth: (app: K8sApp) => app.synth(),
    },
  ],
];

function refusal(f: () => unknown): Error & { report: any } {
  try {
    f();
  } catch (e) {
    if (isPolicyError(e)) return e;
    throw e;
  }
  throw new Error('the engine rendered a pipeline its policy refuses');
}

describe.each(ENGINES)('%s engine: policy before rendering', (engineName, engine) => {
  test('fails with the seed OPA rule (as CEL) on a pipeline without a security step: one error, every violation with rule, path and fix', () => {
    const p = noSecurity();
    p.addPolicyPack(seedPack());
    const e = refusal(() => engine.build(p));
    expect(e.message).toBe(
      [
        'pipeline "no-security" breaks its policy (3 violations):',
        '  - ACME-001 (acme-baseline) at /pipeline: every build stage is followed by a security stage with a secrets scan; fix: add Stage.securityStage(...) with security.Gitleaks() after the build stage',
        `  - ACME-002 (acme-baseline) at /pipeline/stages/0: ${e.report.violations[1].detail}; fix: add a scan step to the stage, or a security stage with a scan that requires it`,
        `  - ACME-002 (acme-baseline) at /pipeline/stages/1: ${e.report.violations[2].detail}; fix: add a scan step to the stage, or a security stage with a scan that requires it`,
      ].join('\n'),
    );
    expect(e.report.violations[1].detail).toContain('stage "build"');
  });

  test('fails when the pack is attached to the App only (an engine constructed directly, without any blueprint)', () => {
    const e = refusal(() => engine.build(noSecurity(), (app) => PolicyScope.of(app).addPack(seedPack())));
    expect(e.report.violations.map((v: any) => v.ruleId)).toEqual(['ACME-001', 'ACME-002', 'ACME-002']);
  });

  test('fails when the pack is attached to the Stack/Chart', () => {
    const e = refusal(() => engine.build(noSecurity(), (_app, parent) => PolicyScope.of(parent).addPack(seedPack())));
    expect(e.report.packs).toEqual(['acme-baseline']);
  });

  test('fails at synth when the pack is attached to the App after the engine was created', () => {
    const dir = outdir();
    const { app } = engine.build(noSecurity(), undefined, dir);
    PolicyScope.of(app).addPack(seedPack());
    expect(() => engine.synth(app)).toThrow(/pipeline "no-security" breaks its policy \(3 violations\):\n {2}- ACME-001/);
  });

  test('a compliant pipeline renders, and the synth writes pipeline.json (valid against the schema) and policy-report.json', () => {
    const dir = outdir();
    const { app } = engine.build(seedFor(engineName), (a) => PolicyScope.of(a).addPack(seedPack()), dir);
    engine.synth(app);
    const doc = JSON.parse(readFileSync(path.join(dir, 'pipeline.json'), 'utf8'));
    expect(pipelineDocumentProblems(doc)).toEqual([]);
    expect(doc.pipeline.engine.name).toBe(engineName);
    expect(doc.pipeline.policy.packs).toEqual(['acme-baseline']);
    if (engineName === 'tekton') expect(doc.pipeline.images).toContain(TektonEngine.DEFAULT_CLONE_IMAGE);
    // the gates' real image: on CodePipeline, CodeBuild's managed image (by name only, listed as managed)
    if (engineName === 'codepipeline') {
      expect(doc.pipeline.engine).toMatchObject({ gateImage: 'aws/codebuild/amazonlinux2-x86_64-standard:5.0', managedImages: ['aws/codebuild/amazonlinux2-x86_64-standard:5.0'] });
    } else {
      expect(doc.pipeline.engine.gateImage).toBeUndefined();
    }
    const report = JSON.parse(readFileSync(path.join(dir, 'policy-report.json'), 'utf8'));
    expect(report).toMatchObject({ kind: 'PolicyReport', pipeline: 'django-devsecops', passed: true, packs: ['acme-baseline'], violations: [] });
    expect(report.rules.map((r: any) => [r.ruleId, r.result])).toEqual([['ACME-001', 'pass'], ['ACME-002', 'pass'], ['ACME-003', 'pass']]);
  });

  test('a pipeline without packs still writes both files (no packs, passed)', () => {
    const dir = outdir();
    const { app } = engine.build(seedFor(engineName), undefined, dir);
    engine.synth(app);
    expect(JSON.parse(readFileSync(path.join(dir, 'policy-report.json'), 'utf8'))).toMatchObject({ passed: true, packs: [], rules: [] });
    expect(JSON.parse(readFileSync(path.join(dir, 'pipeline.json'), 'utf8')).pipeline.name).toBe('django-devsecops');
  });

  test('a waiver used is in the report with its approver and expiry; an untrusted signature refuses the pipeline', () => {
    const ana = keyPair();
    const mallory = keyPair();
    const pack = () =>
      PolicyPack.fromYaml(
        [
          'apiVersion: gatehouse.dev/v1',
          'kind: PolicyPack',
          'metadata: { name: acme-runtime }',
          'spec:',
          '  approvers: [platform.ana]',
          '  trustedKeys:',
          '    platform.ana: |',
          ...ana.publicKeyPem.trim().split('\n').map((l) => `      ${l}`),
          '  rules:',
          '    - { id: ACME-HOUR, message: steps run at most an hour, fix: split the step, forEach: step, expression: "step.type == \'approval\' || step.timeoutMinutes <= 60" }',
        ].join('\n'),
      );
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const waiver: PolicyWaiver = {
      pack: 'acme-runtime',
      ruleId: 'ACME-HOUR',
      scope: '/pipeline/stages/build/steps/slow',
      reason: 'the migration tests run 90 minutes until the fixtures shrink',
      requester: 'dev.bob',
      approver: 'platform.ana',
      approved: day(-1),
      expires: day(10),
    };
    const slowBuild = () => {
      const p = seedFor(engineName);
      p.stage('build')!.addStep(new CommandStep({ name: 'slow', image: PY, commands: ['make migration-tests'], timeoutMinutes: 90 }));
      return p;
    };
    // GIVEN a waiver signed with the key the pack trusts
    const dir = outdir();
    const ok = slowBuild();
    const { app } = engine.build(ok, (a) => PolicyScope.of(a).addPack(pack()).addWaiver(Waivers.sign(waiver, ana.privateKeyPem)), dir);
    engine.synth(app);
    const report = JSON.parse(readFileSync(path.join(dir, 'policy-report.json'), 'utf8'));
    expect(report.rules).toEqual([{ pack: 'acme-runtime', ruleId: 'ACME-HOUR', severity: 'error', result: 'waived', violations: 1 }]);
    expect(report.waivers.used).toEqual([expect.objectContaining({ ruleId: 'ACME-HOUR', approver: 'platform.ana', expires: day(10), result: 'covers /pipeline/stages/0/steps/1' })]);
    expect(JSON.parse(readFileSync(path.join(dir, 'pipeline.json'), 'utf8')).pipeline.policy.waivers).toEqual([expect.objectContaining({ ruleId: 'ACME-HOUR', approver: 'platform.ana' })]);
    // WHEN the same waiver is signed by another key THEN the engine refuses, naming the waiver rule
    const untrusted = Waivers.sign(waiver, mallory.privateKeyPem);
    const e = refusal(() => engine.build(slowBuild(), (a) => PolicyScope.of(a).addPack(pack()).addWaiver(untrusted)));
    expect(e.message).toMatch(/GH-WAIVER \(acme-runtime\) at \/pipeline\/stages\/build\/steps\/slow: its signature does not verify with the key pack acme-runtime trusts for platform.ana/);
    expect(e.message).toContain('  - ACME-HOUR (acme-runtime) at /pipeline/stages/0/steps/1: step "build/slow": steps run at most an hour; fix: split the step\n');
  });

  test('two engines in one app write <pipeline>.pipeline.json and <pipeline>.policy-report.json', () => {
    const dir = outdir();
    const { app, parent } = engine.build(seedFor(engineName), undefined, dir);
    const other = noSecurity();
    if (engineName === 'codepipeline') new CodePipelineEngine(new Stack(app, 'Other'), 'Engine', { pipeline: other, connectionArn: CONNECTION });
    else new TektonEngine(new Chart(app, 'other'), 'Tekton', { pipeline: other });
    expect(parent).toBeDefined();
    engine.synth(app);
    const files = readdirSync(dir).filter((f) => f.endsWith('.json') && /pipeline\.json$|policy-report\.json$/.test(f)).sort();
    expect(files).toEqual(['django-devsecops.pipeline.json', 'django-devsecops.policy-report.json', 'no-security.pipeline.json', 'no-security.policy-report.json']);
    expect(JSON.parse(readFileSync(path.join(dir, 'no-security.pipeline.json'), 'utf8')).pipeline.name).toBe('no-security');
  });
});

describe('warnings print once', () => {
  const slow = (engine: string) => {
    const p = seedFor(engine);
    p.stage('build')!.addStep(new CommandStep({ name: 'slow', commands: ['make slow'], timeoutMinutes: 90 }));
    p.addPolicyPack(seedPack());
    return p;
  };

  test('codepipeline: a CDK warning annotation on the engine naming the rule, path and fix', () => {
    const app = new App({ builtinCloudFormationValidation: false, context: { 'aws:cdk:disable-asset-staging': true } });
    const stack = new Stack(app, 'Pipelines');
    new CodePipelineEngine(stack, 'Engine', { pipeline: slow('codepipeline'), connectionArn: CONNECTION });
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('ACME-003'));
    expect(warnings.map((w) => [w.id, w.entry.data])).toEqual([
      ['/Pipelines/Engine', expect.stringMatching(/^policy warning ACME-003 \(acme-baseline\) at \/pipeline\/stages\/0\/steps\/1: .*; fix: lower the step's timeoutMinutes to 60/)],
    ]);
  });

  test('tekton: one console warning naming the rule, path and fix', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const app = new K8sApp();
      new TektonEngine(new Chart(app, 'c'), 'Tekton', { pipeline: slow('tekton') });
      app.synthYaml();
      expect(warn.mock.calls).toEqual([[expect.stringMatching(/^\[c\/Tekton\] policy warning ACME-003 \(acme-baseline\) at \/pipeline\/stages\/0\/steps\/1: .*; fix: lower/)]]);
    } finally {
      warn.mockRestore();
    }
  });
});
