/**
 * Benchmark of policy evaluation (`npm run bench:policy [-- --n 100 --docs 1000 --runs 3]`).
 *
 * 1. In process, for N copies of the seed pipeline (examples/django-devsecops): building the
 *    model and its document, then evaluating a 20-rule pack (10 CEL rules + 10 built-in rules)
 *    over each document.
 * 2. Synth of the same N pipelines with the pack attached (each engine evaluates it before
 *    rendering) against without, on Tekton (cdk8s, in memory) and CodePipeline (one Stack each,
 *    template built in memory): the ratio, target ≤ 1.05.
 * 3. `gatehouse policy check` over 1,000 documents, as a process (the check bundled with esbuild):
 *    wall time from spawn to exit, target ≤ 2 s.
 *
 * Runs are interleaved (the order swapped every run, a full GC before each timing); the best of
 * each is shown. Inputs go to a temporary folder.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { App as CdkApp, Stack } from 'aws-cdk-lib';
import { App, Chart } from 'cdk8s';
import { djangoDevSecOps } from '../examples/django-devsecops/pipeline';
import { codepipeline, PipelineDocument, policy, security, tekton } from '../src';

const ROOT = resolve(__dirname, '..');
const args = process.argv.slice(2);
const opt = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const N = opt('n', 100);
const DOCS = opt('docs', 1000);
const RUNS = opt('runs', 3);
const CP_N = opt('cp-n', N);

const CEL_RULES: Array<[string, string, string]> = [
  ['stage', 'seed', "!(stage.kind in ['build', 'test']) || stage.steps.exists(t, t.type == 'scan') || pipeline.stages.exists(s, s.kind == 'security' && stage.name in s.after && s.steps.exists(t, t.type == 'scan'))"],
  ['pipeline', 'secrets', "pipeline.stages.exists(s, s.kind == 'security' && s.steps.exists(t, t.type == 'scan' && t.category == 'secrets'))"],
  ['step', 'timeouts', "step.type == 'approval' || step.timeoutMinutes <= 120"],
  ['step', 'privileged', '!step.privileged'],
  ['step', 'images', "!has(step.image) || step.image.contains('@sha256:') || step.image.startsWith('public.ecr.aws/') || (has(step.scanner) && step.scanner == 'syft')"],
  ['pipeline', 'gates', "pipeline.stages.all(s, s.steps.all(t, !has(t.gate) || t.gate.failOn in ['critical', 'high', 'medium', 'low', 'info']))"],
  ['pipeline', 'no-ignore', "pipeline.stages.all(s, !has(s.gate) || s.gate.failureStrategy != 'ignore')"],
  ['stage', 'approval', "stage.kind != 'deploy' || pipeline.stages.exists(a, a.name in stage.after && a.steps.exists(t, t.type == 'approval' && t.approvers.all(p, p.kind == 'group')))"],
  ['pipeline', 'branch', "!has(pipeline.source.branch) || pipeline.source.branch == 'main'"],
  ['pipeline', 'size', 'pipeline.stages.size() <= 12 && pipeline.images.size() <= 20'],
];

function celRules(): policy.PolicyRule[] {
  return CEL_RULES.map(([forEach, id, expression]) =>
    policy.CelRule.compile({ id: `BENCH-${id}`, message: id, fix: id, expression, forEach: forEach as policy.CelRuleScope }),
  );
}

function pack20(): policy.PolicyPack {
  // the ten built-in rules the seed meets (attached to a synth, a violation would refuse it)
  const builtin = policy.BuiltinPacks.baseline({ approverGroups: ['release-managers'] }).rules.filter((r) => r.id !== 'GH-IMAGE-DIGEST');
  return new policy.PolicyPack({ name: 'bench', rules: [...celRules(), ...builtin] });
}

// a full collection before each timed synth, so one run's garbage is not charged to the next
v8.setFlagsFromString('--expose-gc');
const gc: () => void = runInNewContext('gc');

function time<T>(f: () => T): [number, T] {
  gc();
  const t = process.hrtime.bigint();
  const r = f();
  return [Number(process.hrtime.bigint() - t) / 1e6, r];
}

function inProcess(): { docMs: number; evalMs: number; rules: number } {
  const pack = pack20();
  const [docMs, docs] = time(() => {
    const out: PipelineDocument[] = [];
    for (let i = 0; i < N; i++) out.push(djangoDevSecOps().toDocument());
    return out;
  });
  const [evalMs, passed] = time(() => docs.filter((d) => policy.evaluatePolicy(d, [pack]).passed).length);
  if (passed !== N) throw new Error(`the seed breaks the bench pack (${N - passed} documents fail)`);
  return { docMs, evalMs, rules: pack.rules.length };
}

/** Tekton: N seed pipelines in one cdk8s App, synthesized to YAML in memory. */
function tektonSynth(pack?: policy.PolicyPack): number {
  const pipelines = Array.from({ length: N }, () => djangoDevSecOps());
  if (pack) pipelines.forEach((p) => p.addPolicyPack(pack));
  return time(() => {
    const app = new App();
    pipelines.forEach((p, i) => new tekton.TektonEngine(new Chart(app, `c${i}`), 'Tekton', { pipeline: p, runScope: new Chart(app, `r${i}`) }));
    return app.synthYaml();
  })[0];
}

const SYFT_SH = security.ScannerImage.of('ghcr.io/acme/gatehouse-syft', '1.45.1', `sha256:${'0'.repeat(64)}`);
const CONNECTION = 'arn:aws:codeconnections:us-east-1:123456789012:connection/00000000-0000-0000-0000-000000000000';

/**
 * CodePipeline: CP_N seed pipelines, one Stack each in one App (built-in validation and asset
 * staging off), synthesized to a cloud assembly (the policy files included).
 */
function codePipelineSynth(pack?: policy.PolicyPack): number {
  const pipelines = Array.from({ length: CP_N }, () => djangoDevSecOps({ syftImage: SYFT_SH }));
  if (pack) pipelines.forEach((p) => p.addPolicyPack(pack));
  const outdir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-cdk-'));
  try {
    return time(() => {
      const app = new CdkApp({ outdir, builtinCloudFormationValidation: false, context: { 'aws:cdk:disable-asset-staging': true } });
      pipelines.forEach((p, i) => new codepipeline.CodePipelineEngine(new Stack(app, `S${i}`), 'Pipeline', { pipeline: p, connectionArn: CONNECTION }));
      return app.synth();
    })[0];
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function checkProcess(dir: string): { ms: number; code: number } {
  const t = process.hrtime.bigint();
  const files = Array.from({ length: DOCS }, (_, i) => join(dir, `doc-${i}.json`));
  const r = spawnSync(process.execPath, [join(dir, 'check.js'), '--policy', join(dir, 'pack.yaml'), '--format', 'json', ...files], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0 && r.status !== 1) throw new Error(`policy check exited ${r.status}: ${r.stderr}`);
  return { ms, code: r.status ?? -1 };
}

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-policy-'));
  try {
    // the check as a process: one bundle, like assets/gatehouse.js
    writeFileSync(join(dir, 'entry.ts'), `import { runPolicyCheck } from ${JSON.stringify(join(ROOT, 'src', 'policy', 'cli-check'))};\nprocess.exitCode = runPolicyCheck(process.argv.slice(2));\n`);
    const esbuild = spawnSync(join(ROOT, 'node_modules', '.bin', 'esbuild'), [join(dir, 'entry.ts'), '--bundle', '--platform=node', '--target=node20', `--outfile=${join(dir, 'check.js')}`, '--log-level=warning'], { encoding: 'utf8' });
    if (esbuild.status !== 0) throw new Error(`esbuild: ${esbuild.stderr}`);
    const yamlRules = CEL_RULES.map(([forEach, id, expression]) => `    - { id: BENCH-${id}, message: ${id}, fix: ${id}, forEach: ${forEach}, expression: ${JSON.stringify(expression)} }`);
    writeFileSync(join(dir, 'pack.yaml'), `apiVersion: gatehouse.dev/v1\nkind: PolicyPack\nmetadata: { name: bench }\nspec:\n  builtin:\n    - pack: baseline\n  rules:\n${yamlRules.join('\n')}\n`);
    const base = djangoDevSecOps().toDocument().toJson();
    for (let i = 0; i < DOCS; i++) {
      base.pipeline.name = `app-${i}`;
      writeFileSync(join(dir, `doc-${i}.json`), JSON.stringify(base, undefined, 2));
    }
    let best = { docMs: Infinity, evalMs: Infinity, rules: 0 };
    const synth = { tekton: [Infinity, Infinity], codepipeline: [Infinity, Infinity] };
    // (synth needs assets/gatehouse.js: npx projen bundle:cli)
    let check = { ms: Infinity, code: -1 };
    const pack = pack20();
    tektonSynth(pack); // warm-up: module loading, the gate bundle read once
    codePipelineSynth(pack);
    for (let r = 0; r < RUNS; r++) {
      const a = inProcess();
      best = { docMs: Math.min(best.docMs, a.docMs), evalMs: Math.min(best.evalMs, a.evalMs), rules: a.rules };
      // interleaved, the order swapped every run: without then with, with then without
      for (const withPack of r % 2 === 0 ? [false, true] : [true, false]) {
        const k = withPack ? 1 : 0;
        synth.tekton[k] = Math.min(synth.tekton[k], tektonSynth(withPack ? pack : undefined));
        synth.codepipeline[k] = Math.min(synth.codepipeline[k], codePipelineSynth(withPack ? pack : undefined));
      }
      const c = checkProcess(dir);
      if (c.ms < check.ms) check = c;
    }
    const f = (ms: number) => `${ms.toFixed(1)} ms`;
    console.log(`policy evaluation, seed pipeline × ${N}, ${best.rules}-rule pack (10 CEL + 10 built-in), best of ${RUNS}:`);
    console.log(`  model + document:        ${f(best.docMs)} (${(best.docMs / N).toFixed(3)} ms each)`);
    console.log(`  evaluation:              ${f(best.evalMs)} (${(best.evalMs / N).toFixed(3)} ms each)`);
    console.log(`  evaluation / document building: ${(best.evalMs / best.docMs).toFixed(2)}×`);
    console.log(`synth with the pack attached vs without (the engines evaluate it before rendering), best of ${RUNS}:`);
    console.log(`  tekton, ${N} pipelines (in memory):        ${f(synth.tekton[0])} → ${f(synth.tekton[1])}: ratio ${(synth.tekton[1] / synth.tekton[0]).toFixed(3)} (target ≤ 1.05)`);
    console.log(`  codepipeline, ${CP_N} stacks (cloud assembly): ${f(synth.codepipeline[0])} → ${f(synth.codepipeline[1])}: ratio ${(synth.codepipeline[1] / synth.codepipeline[0]).toFixed(3)} (target ≤ 1.05)`);
    // without packs an engine still builds its document (it writes pipeline.json): the pack adds the evaluation
    console.log(`  evaluation alone against synth: tekton ${((100 * best.evalMs) / synth.tekton[0]).toFixed(2)}%, codepipeline ${((100 * best.evalMs * (CP_N / N)) / synth.codepipeline[0]).toFixed(2)}%`);
    console.log(`policy check process over ${DOCS} documents (${CEL_RULES.length} CEL + built-in baseline, json output): ${f(check.ms)}, exit ${check.code} (target ≤ 2000 ms)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
