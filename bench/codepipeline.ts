/**
 * `npm run bench:codepipeline [-- --sizes 1,10,50,100 --runs 3 --validation off,on --compile-cache on|off]`
 * `npm run bench:codepipeline -- --validator [--rounds 25]`: aws-cdk-lib's template validator on one
 * seed stack of each side (bench/validator-breakdown.ts)
 *
 * Synthesizes the seed pipeline (examples/django-devsecops) N times in one CDK app, one stack per
 * pipeline, two ways side by side:
 *   - gatehouse: `codepipeline.CodePipelineEngine`;
 *   - CDK Pipelines: the same pipeline with aws-cdk-lib `pipelines.CodePipeline` (ShellStep,
 *     CodeBuildStep, ManualApprovalStep), as a CDK Pipelines user would write it;
 * with aws-cdk-lib's built-in template validation off and on. Each case runs in its own child
 * process; the child measures wall time from before the libraries load to `app.synth()` returning,
 * the CPU time it used, and its peak memory (max RSS). The runs alternate one child of each side.
 * Prints the best of the runs (on a shared machine, other work only ever adds time), the
 * gatehouse / CDK Pipelines ratio at each N, the ratio of the medians, and the marginal cost per
 * pipeline. gatehouse keeps what V8 compiled of its bundles (lib/_bundles/.cache, on by default):
 * each size starts with that cache emptied, and its first gatehouse run, which compiles and leaves
 * the cache, is shown apart; `--compile-cache off` runs every gatehouse child without it. CDK
 * Pipelines has no such cache on Node 20 (Node 22's NODE_COMPILE_CACHE would give one to both).
 *
 * Both sides run as plain JavaScript laid out as in a user's project: aws-cdk-lib ships compiled in
 * node_modules, and so does gatehouse: the compiled package (lib/ as `npx projen compile` leaves it,
 * with its lazy root index, the bundled gate under assets/ and package.json) is copied into
 * `bench/results/codepipeline/node_modules/gatehouse`, as `npm install` would place it
 * (bench/installed-package.ts). This script, the
 * user's side, is bundled beside that node_modules and imports `gatehouse` from there; the children
 * run it with plain `node`. Where the code sits matters: aws-cdk-lib keeps a creation stack trace
 * for every resource and folds the frames under node_modules, as it does for gatehouse in a user's
 * install.
 *
 * The seed's oast stage runs four catalog scans, three of them gated, and a stage gate; the CDK
 * Pipelines side has the same CodeBuild steps (four scans, three gates, a stage gate) with the
 * same order, so both sides synthesize the same pipeline shape.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { installPackage } from './installed-package';
import { validatorBreakdown } from './validator-breakdown';

type Kind = 'gatehouse' | 'cdk-pipelines';

interface Sample {
  readonly ms: number;
  readonly cpuMs: number;
  readonly maxRssMiB: number;
  readonly resources: number;
}

const CONNECTION_ARN = 'arn:aws:codeconnections:us-east-1:123456789012:connection/00000000-0000-0000-0000-000000000000';

/** The seed pipeline built with gatehouse, as its CodePipeline example renders it. */
function gatehouseStack(cdk: any, app: any, i: number): void {
  const { codepipeline, Pipeline, security } = require('gatehouse');
  const { CodePipelineEngine } = codepipeline;
  const { ScannerImage } = security;
  const { djangoDevSecOps } = require('../examples/django-devsecops/pipeline');
  const seed = djangoDevSecOps({
    reviewUrl: CodePipelineEngine.stageGateVariable('oast', 'GATE_SUMMARY_URL'),
    // CodeBuild needs an image with /bin/sh: the example's placeholder Syft image
    syftImage: ScannerImage.of('ghcr.io/acme/gatehouse-syft', '1.45.1', `sha256:${'0'.repeat(64)}`),
  });
  const stack = new cdk.Stack(app, `Gatehouse${i}`, { synthesizer: new cdk.DefaultStackSynthesizer({ generateBootstrapVersionRule: false }) });
  const pipeline = new Pipeline({
    name: `${seed.name}-${i}`,
    source: seed.source,
    stages: seed.stages,
    defaults: { image: seed.defaultImage, env: seed.defaultEnv, timeoutMinutes: seed.defaultTimeoutMinutes, gateImage: seed.gateImage },
  });
  new CodePipelineEngine(stack, 'Pipeline', { pipeline, connectionArn: CONNECTION_ARN });
}

/** The same pipeline with CDK Pipelines: one wave per seed job, the job's commands as steps. */
function cdkPipelinesStack(cdk: any, app: any, i: number): void {
  const pipelines = require('aws-cdk-lib/pipelines');
  const codebuild = require('aws-cdk-lib/aws-codebuild');
  const codepipeline = require('aws-cdk-lib/aws-codepipeline');
  const stack = new cdk.Stack(app, `CdkPipelines${i}`, { synthesizer: new cdk.DefaultStackSynthesizer({ generateBootstrapVersionRule: false }) });
  const python = codebuild.LinuxBuildImage.fromDockerRegistry('public.ecr.aws/docker/library/python:3.12-slim');
  const source = pipelines.CodePipelineSource.connection('acme/django-taskmanager', 'main', { connectionArn: CONNECTION_ARN });
  const pipeline = new pipelines.CodePipeline(stack, 'Pipeline', {
    pipelineName: `django-devsecops-${i}`,
    pipelineType: codepipeline.PipelineType.V2,
    synth: new pipelines.ShellStep('Synth', { input: source, commands: ['npm ci', 'npx cdk synth'] }),
  });
  const env = { buildEnvironment: { buildImage: python } };
  pipeline.addWave('build', {
    post: [new pipelines.CodeBuildStep('build', { input: source, commands: ['pip install -r requirements.txt', 'python manage.py check'], ...env })],
  });
  pipeline.addWave('test', {
    post: [new pipelines.CodeBuildStep('test', { input: source, commands: ['pip install -r requirements.txt', 'python manage.py test taskManager'], ...env })],
  });
  // the seed's oast stage: four scans, a gate after each of the three gated ones, one stage gate
  // over all four reports
  const scan = (name: string, commands: string[]) => new pipelines.CodeBuildStep(name, { input: source, commands, primaryOutputDirectory: '.', ...env });
  const scans = [
    scan('safety', ['pip install safety', 'safety check -r requirements.txt --json > safety.json || [ -s safety.json ]']),
    scan('bandit', ['pip install bandit', 'bandit -r . -f json -o bandit.json || [ -s bandit.json ]']),
    scan('gitleaks', ['gitleaks dir . --report-format json --report-path gitleaks.json --exit-code 0']),
    scan('syft', ['syft dir:. -o cyclonedx-json=sbom.json']),
  ];
  // each gate reads the reports of the scans it gates (their output artifacts) and keeps its own
  // outputs, as gatehouse's gate actions do; reading a scan's output orders the gate after it
  const gate = (name: string, gated: any[]) =>
    new pipelines.CodeBuildStep(name, {
      input: source,
      additionalInputs: Object.fromEntries(gated.map((s: any) => [`reports/${s.id}`, s])),
      commands: [`node gatehouse.js gate --fail-on high --exemptions .gatehouse/exemptions.yaml --output gate ${gated.map((s: any) => `reports/${s.id}`).join(' ')}`],
      primaryOutputDirectory: 'gate',
      buildEnvironment: { buildImage: codebuild.LinuxBuildImage.fromDockerRegistry('node:22.14.0-bookworm-slim') },
    });
  const gates = scans.slice(0, 3).map((s: any) => gate(`${s.id}-gate`, [s]));
  const stageGate = gate('stage-gate', scans);
  gates.forEach((g: any) => stageGate.addStepDependency(g));
  pipeline.addWave('oast', { post: [...scans, ...gates, stageGate] });
  pipeline.addWave('integration', {
    post: [
      new pipelines.CodeBuildStep('integration', {
        input: source,
        commands: ['pip install -r requirements.txt', 'python manage.py test taskManager.tests || true'],
        ...env,
      }),
    ],
  });
  pipeline.addWave('approval', {
    post: [new pipelines.ManualApprovalStep('approve', { comment: 'Approve the release of django-taskmanager to prod', reviewUrl: 'https://github.com/acme/django-taskmanager/actions' })],
  });
  pipeline.addWave('prod', { post: [new pipelines.ShellStep('deploy', { input: source, commands: ['./deploy.sh prod'] })] });
  pipeline.buildPipeline();
}

function child(kind: Kind, n: number, validation: boolean, outdir: string): void {
  const t0 = performance.now();
  const cdk = require('aws-cdk-lib');
  const app = new cdk.App({ outdir, builtinCloudFormationValidation: validation });
  for (let i = 0; i < n; i++) {
    (kind === 'gatehouse' ? gatehouseStack : cdkPipelinesStack)(cdk, app, i);
  }
  const assembly = app.synth();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage();
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const maxRssMiB = process.resourceUsage().maxRSS / 1024;
  const first = assembly.stacks[0].template as { Resources: object };
  process.stdout.write(JSON.stringify({ ms, cpuMs, maxRssMiB, resources: Object.keys(first.Resources).length }));
}

function runChild(script: string, kind: Kind, n: number, validation: boolean, compileCache: boolean, keepIn?: string): Sample {
  const outdir = keepIn ?? fs.mkdtempSync(path.join(os.tmpdir(), `bench-codepipeline-${kind}-`));
  try {
    const r = spawnSync(process.execPath, [script, '--child', kind, String(n), String(validation), outdir], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
      env: { ...process.env, GATEHOUSE_COMPILE_CACHE: compileCache ? 'on' : 'off' },
    });
    if (r.status !== 0) {
      throw new Error(`${kind} ×${n} failed (${r.status}): ${r.stderr}`);
    }
    return JSON.parse(r.stdout);
  } finally {
    if (!keepIn) fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** The template of one seed stack of `kind`, synthesized by a child without validation. */
function seedTemplate(script: string, kind: Kind): object {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-codepipeline-${kind}-`));
  try {
    runChild(script, kind, 1, false, true, outdir);
    const file = fs.readdirSync(outdir).find((f) => f.endsWith('.template.json'))!;
    return JSON.parse(fs.readFileSync(path.join(outdir, file), 'utf8'));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function best(xs: number[]): number {
  return Math.min(...xs);
}

/** The middle value (the mean of the two middle ones for an even count). */
function median(values: number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

interface Row {
  readonly n: number;
  readonly g: number;
  readonly c: number;
  readonly gCpu: number;
  readonly cCpu: number;
  readonly gMiB: number;
  readonly cMiB: number;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    child(args[1] as Kind, Number(args[2]), args[3] === 'true', args[4]);
    return;
  }
  const opt = (name: string, def: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : def;
  };
  const sizes = opt('sizes', '1,10,50,100').split(',').map(Number);
  const runs = Number(opt('runs', '3'));
  const validations = opt('validation', 'off,on').split(',').map((v) => v === 'on');
  const compileCache = opt('compile-cache', 'on') === 'on';
  const script = await installPackage('codepipeline', __filename);
  if (args.includes('--validator')) {
    validatorBreakdown(seedTemplate(script, 'gatehouse'), seedTemplate(script, 'cdk-pipelines'), Number(opt('rounds', '25')));
    return;
  }
  // the package's compile cache (lib/_bundles/.cache): emptied before each size, so that its first
  // gatehouse run is a first run after install, shown apart from the others
  const cacheDir = path.join(path.dirname(script), 'node_modules', 'gatehouse', 'lib', '_bundles', '.cache');

  console.log(`gatehouse CodePipelineEngine vs CDK Pipelines, the seed pipeline N times in one app (${os.cpus().length} CPUs, node ${process.version}, best of ${runs} runs, load average ${os.loadavg()[0].toFixed(1)})`);
  console.log(
    compileCache
      ? "gatehouse's compile cache on (its default): each size's first gatehouse run compiles and leaves the cache, shown apart as 'first run'; the table is of the runs after it"
      : "gatehouse's compile cache off (GATEHOUSE_COMPILE_CACHE=off): every run compiles the package's code",
  );
  const results: Array<{ validation: boolean; rows: Row[] }> = [];
  for (const validation of validations) {
    console.log(`\nbuilt-in template validation ${validation ? 'ON' : 'OFF'}`);
    console.log('pipelines | gatehouse s | CDK Pipelines s | ratio | CPU s (g / cdk) | CPU ratio | gatehouse MiB | CDK Pipelines MiB | MiB ratio | resources/stack (g / cdk) | median ratio (wall / CPU) | first run s (ratio to CDK Pipelines median)');
    const rows: Row[] = [];
    for (const n of sizes) {
      const g: Sample[] = [];
      const c: Sample[] = [];
      fs.rmSync(cacheDir, { recursive: true, force: true });
      const first = compileCache ? runChild(script, 'gatehouse', n, validation, true) : undefined;
      for (let r = 0; r < runs; r++) {
        g.push(runChild(script, 'gatehouse', n, validation, compileCache));
        c.push(runChild(script, 'cdk-pipelines', n, validation, compileCache));
      }
      const row = {
        n,
        g: best(g.map((s) => s.ms)),
        c: best(c.map((s) => s.ms)),
        gCpu: best(g.map((s) => s.cpuMs)),
        cCpu: best(c.map((s) => s.cpuMs)),
        gMiB: best(g.map((s) => s.maxRssMiB)),
        cMiB: best(c.map((s) => s.maxRssMiB)),
      };
      rows.push(row);
      console.log(
        [
          String(n).padStart(9),
          (row.g / 1000).toFixed(3).padStart(11),
          (row.c / 1000).toFixed(3).padStart(15),
          (row.g / row.c).toFixed(2).padStart(5),
          `${(row.gCpu / 1000).toFixed(2)} / ${(row.cCpu / 1000).toFixed(2)}`.padStart(15),
          (row.gCpu / row.cCpu).toFixed(2).padStart(9),
          row.gMiB.toFixed(0).padStart(13),
          row.cMiB.toFixed(0).padStart(17),
          (row.gMiB / row.cMiB).toFixed(2).padStart(9),
          `${g[0].resources} / ${c[0].resources}`.padEnd(25),
          `${(median(g.map((x) => x.ms)) / median(c.map((x) => x.ms))).toFixed(2)} / ${(median(g.map((x) => x.cpuMs)) / median(c.map((x) => x.cpuMs))).toFixed(2)}`.padEnd(25),
          first ? `${(first.ms / 1000).toFixed(3)} (${(first.ms / median(c.map((x) => x.ms))).toFixed(2)})` : '-',
        ].join(' | '),
      );
    }
    const [lo, hi] = [rows[0], rows[rows.length - 1]];
    if (hi.n > lo.n) {
      const per = (a: number, b: number) => (b - a) / (hi.n - lo.n);
      console.log(
        `marginal cost per pipeline (${lo.n}→${hi.n}): gatehouse ${per(lo.g, hi.g).toFixed(1)} ms (CPU ${per(lo.gCpu, hi.gCpu).toFixed(1)} ms) and ${per(lo.gMiB, hi.gMiB).toFixed(2)} MiB, ` +
          `CDK Pipelines ${per(lo.c, hi.c).toFixed(1)} ms (CPU ${per(lo.cCpu, hi.cCpu).toFixed(1)} ms) and ${per(lo.cMiB, hi.cMiB).toFixed(2)} MiB`,
      );
    }
    results.push({ validation, rows });
  }
  const dir = path.join(__dirname, 'results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'codepipeline.json'), JSON.stringify({ cpus: os.cpus().length, node: process.version, runs, results }, null, 2));
  const worst = Math.max(...results.flatMap((r) => r.rows.map((x) => x.g / x.c)));
  const worstCpu = Math.max(...results.flatMap((r) => r.rows.map((x) => x.gCpu / x.cCpu)));
  console.log(`\nworst ratio: wall time ${worst.toFixed(2)}, CPU time ${worstCpu.toFixed(2)} (target ≤ 1.00): ${worst <= 1 ? 'met' : 'NOT met'} (load average now ${os.loadavg()[0].toFixed(1)})`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
