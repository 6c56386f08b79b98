/**
 * `npm run bench:tekton [-- --sizes 1,10,100,1000 --runs 3 --seed ungated|gated]`
 *
 * Synthesizes N copies of the seed pipeline in one cdk8s app with the Tekton engine (typed
 * classes, validation on), and the very same objects emitted as plain cdk8s `ApiObject`s, each
 * case in its own child process; prints wall time (median of the runs, measured in the child
 * from before the libraries load to the YAML written), peak memory (max RSS of the child), the
 * ratio and the marginal cost per pipeline. Both cases write the same YAML: the bench checks it.
 *
 * Which seed (`--seed`):
 *   - `ungated` (default): the seed as it was before its oast stage was gated, frozen in
 *     test/tekton/ungated-seed.ts: six stages, the oast one a single `safety` command with
 *     allowFailure, 5 objects per pipeline. It measures the engine itself and stays comparable
 *     with earlier figures.
 *   - `gated`: the current example (examples/django-devsecops/pipeline.ts): catalog scans with
 *     gates and a stage gate, so each pipeline also ships the gate ConfigMap (about 200 KB of
 *     bundled gate); the plain case emits that ConfigMap too.
 * Either way the plain case's objects are the engine's real output for that seed: the parent
 * renders the seed under its own name and checks the bench copy renders the same, renamed.
 *
 * Both cases run as plain JavaScript in a user's project (bench/installed-package.ts): the
 * compiled package installed in its node_modules, this script bundled beside it, its imports of
 * src/core and src/tekton (and the seeds' `gatehouse`) made imports of the installed package
 * (`gatehouse/core`, `gatehouse/tekton`, `gatehouse`). `npx projen compile` first. The reference
 * the plain case emits is rendered here, in the parent, from src/.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { installPackage } from './installed-package';

type Kind = 'gatehouse' | 'plain';
type Seed = 'ungated' | 'gated';

interface Sample {
  readonly ms: number;
  /** CPU time (user + system) of the same span: less sensitive to other processes on the machine. */
  readonly cpuMs: number;
  readonly maxRssMiB: number;
  readonly objects: number;
  readonly digest: string;
}

const TEMPLATE_NAME = 'bench-0';

/** An entry exporting what the seed definition imports as `gatehouse`: the model and the scanner catalog. */
const SEED_ENTRY = path.join(__dirname, 'results', 'tekton-seed-entry.ts');

/** Resolves `gatehouse` (imported by the example) to the model and the catalog, not the package root. */
function resolveGatehouseToModel(): void {
  fs.mkdirSync(path.dirname(SEED_ENTRY), { recursive: true });
  fs.writeFileSync(SEED_ENTRY, "export * from '../../src/core';\nexport * as security from '../../src/security';\n");
  const Module = require('module');
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request: string, ...rest: any[]) {
    return resolve.call(this, request === 'gatehouse' ? SEED_ENTRY : request, ...rest);
  };
}

/** The seed pipeline, under its own name. */
function seedPipeline(seed: Seed): any {
  if (seed === 'gated') {
    return require('../examples/django-devsecops/pipeline').djangoDevSecOps();
  }
  return require('../test/tekton/ungated-seed').ungatedSeed();
}

let seedCache: any;

/** The seed pipeline under another name: everything else is the seed's own definition. */
function benchPipeline(seed: Seed, name: string): any {
  const { Pipeline } = require('../src/core');
  seedCache ??= seedPipeline(seed);
  const s = seedCache;
  return new Pipeline({
    name,
    source: s.source,
    stages: s.stages,
    defaults: { image: s.defaultImage, env: s.defaultEnv, timeoutMinutes: s.defaultTimeoutMinutes, gateImage: s.gateImage },
  });
}

/**
 * Sorted YAML documents of the written manifests: both cases must write the same objects (the
 * engine also writes the pipeline document and its policy report beside them, which plain cdk8s
 * does not: they are not Kubernetes objects and are left out of the comparison, not of the timing).
 */
function digestOf(outdir: string): { objects: number; digest: string } {
  const docs = fs
    .readdirSync(outdir)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => fs.readFileSync(path.join(outdir, f), 'utf8').split(/^---$/m))
    .map((d) => d.trim())
    .sort();
  const hash = require('crypto').createHash('sha256');
  docs.forEach((d) => hash.update(d));
  return { objects: docs.length, digest: hash.digest('hex').slice(0, 16) };
}

function child(kind: Kind, seed: Seed, n: number, outdir: string, templateFile: string): void {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const { App, ApiObject, Chart, JsonPatch } = require('cdk8s');
  const app = new App({ outdir });
  const chart = new Chart(app, 'bench');
  if (kind === 'gatehouse') {
    const { TektonEngine } = require('../src/tekton');
    for (let i = 0; i < n; i++) {
      new TektonEngine(chart, `p${i}`, { pipeline: benchPipeline(seed, `bench-${i}`) });
    }
  } else {
    const template = fs.readFileSync(templateFile, 'utf8');
    for (let i = 0; i < n; i++) {
      const manifests: any[] = JSON.parse(template.split(TEMPLATE_NAME).join(`bench-${i}`));
      manifests.forEach((m, j) => {
        const o = new ApiObject(chart, `p${i}-${j}`, m);
        if (m.metadata.name === undefined) o.addJsonPatch(JsonPatch.remove('/metadata/name'));
      });
    }
  }
  app.synth();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const maxRssMiB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ ms, cpuMs, maxRssMiB, ...digestOf(outdir) }));
}

function runChild(script: string, kind: Kind, seed: Seed, n: number, templateFile: string): Sample {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-tekton-${kind}-`));
  try {
    const r = spawnSync(process.execPath, [script, '--child', kind, seed, String(n), outdir, templateFile], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    if (r.status !== 0) {
      throw new Error(`${kind} ×${n} failed (${r.status}): ${r.stderr}`);
    }
    return JSON.parse(r.stdout);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    child(args[1] as Kind, args[2] as Seed, Number(args[3]), args[4], args[5]);
    return;
  }
  const opt = (name: string, def: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : def;
  };
  const sizes = opt('sizes', '1,10,100,1000').split(',').map(Number);
  const runs = Number(opt('runs', '3'));
  const seed = opt('seed', 'ungated') as Seed;
  if (seed !== 'ungated' && seed !== 'gated') {
    throw new Error(`--seed ${seed} is not a seed: use ungated or gated`);
  }

  // the plain case emits the objects the engine emits for one pipeline, renamed
  const { App, Chart } = require('cdk8s');
  const { TektonEngine } = require('../src/tekton');
  const chart = new Chart(new App(), 'template');
  if (seed === 'gated') resolveGatehouseToModel();
  const engine = new TektonEngine(chart, 'p0', { pipeline: benchPipeline(seed, TEMPLATE_NAME) });
  const original = seedPipeline(seed);
  const reference = new TektonEngine(new Chart(new App(), 'seed'), 'p0', { pipeline: original });
  if (JSON.stringify(reference.toManifests()).split(original.name).join(TEMPLATE_NAME) !== JSON.stringify(engine.toManifests())) {
    throw new Error(`the bench copy of the ${seed} seed renders unlike the seed itself: copy every pipeline setting in benchPipeline()`);
  }
  const templateFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-tekton-')), 'template.json');
  const script = await installPackage('tekton', __filename);
  fs.writeFileSync(templateFile, JSON.stringify(engine.toManifests()));

  console.log(
    `Tekton engine vs plain cdk8s ApiObjects, ${seed} seed (${os.cpus().length} CPUs, node ${process.version}, median of ${runs} runs, load average ${os.loadavg()[0].toFixed(1)})`,
  );
  console.log('pipelines | objects | gatehouse ms | plain ms | ratio | gatehouse CPU ms | plain CPU ms | CPU ratio | gatehouse MiB | plain MiB | same YAML');
  const results = new Map<number, { g: number; p: number; gc: number; pc: number }>();
  for (const n of sizes) {
    const g: Sample[] = [];
    const p: Sample[] = [];
    for (let r = 0; r < runs; r++) {
      g.push(runChild(script, 'gatehouse', seed, n, templateFile));
      p.push(runChild(script, 'plain', seed, n, templateFile));
    }
    const gm = median(g.map((s) => s.ms));
    const pm = median(p.map((s) => s.ms));
    const gc = median(g.map((s) => s.cpuMs));
    const pc = median(p.map((s) => s.cpuMs));
    results.set(n, { g: gm, p: pm, gc, pc });
    const same = g[0].digest === p[0].digest && g[0].objects === p[0].objects;
    console.log(
      [
        String(n).padStart(9),
        String(g[0].objects).padStart(7),
        gm.toFixed(0).padStart(12),
        pm.toFixed(0).padStart(8),
        (gm / pm).toFixed(2).padStart(5),
        gc.toFixed(0).padStart(16),
        pc.toFixed(0).padStart(12),
        (gc / pc).toFixed(2).padStart(9),
        Math.max(...g.map((s) => s.maxRssMiB)).toFixed(0).padStart(13),
        Math.max(...p.map((s) => s.maxRssMiB)).toFixed(0).padStart(9),
        same ? 'yes' : 'NO',
      ].join(' | '),
    );
    if (!same) process.exitCode = 1;
  }
  const ns = [...results.keys()].sort((a, b) => a - b);
  if (ns.length >= 2) {
    const [lo, hi] = [ns[ns.length - 2], ns[ns.length - 1]];
    const a = results.get(lo)!;
    const b = results.get(hi)!;
    for (const [label, gk, pk] of [['wall', 'g', 'p'], ['CPU', 'gc', 'pc']] as const) {
      const mg = (b[gk] - a[gk]) / (hi - lo);
      const mp = (b[pk] - a[pk]) / (hi - lo);
      console.log(
        `${label}: marginal cost per pipeline (${lo}→${hi}): gatehouse ${mg.toFixed(2)} ms, plain ${mp.toFixed(2)} ms, ratio ${(mg / mp).toFixed(2)}; ` +
          `fixed cost: gatehouse ${(a[gk] - mg * lo).toFixed(0)} ms, plain ${(a[pk] - mp * lo).toFixed(0)} ms`,
      );
    }
  }
  fs.rmSync(path.dirname(templateFile), { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
