/**
 * `npm run bench:local [-- --steps 50 --runs 3]`
 *
 * The local engine's scheduler, host runner, silent, one run each (the median of `--runs`):
 *
 * 1. Overhead per step: a pipeline of N independent `true` steps run one at a time (`jobs: 1`),
 *    against the steps' own time: the same N `/bin/sh -e -c true` spawned one after another
 *    without the engine. (wall − own) / N includes everything the engine adds: the workspace copy,
 *    the run folder, a log per step, run.json and the summary. Target: ≤ 30 ms per step.
 * 2. Wall time against the critical path: a DAG of stages and `runAfter` whose steps sleep, with
 *    enough jobs for every branch. Target: ≤ 1.2× the longest chain of sleeps.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CommandStep, Pipeline, Source, Stage } from '../src';
import { LocalEngine, LocalRunnerKind } from '../src/local';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const STEPS = arg('steps', 50);
const RUNS = arg('runs', 3);
const source = Source.gitHub({ owner: 'bench', repository: 'app', branch: 'main' });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function tmpSource(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bench-local-'));
  fs.writeFileSync(path.join(dir, 'README.md'), 'bench\n');
  return dir;
}

async function runPipeline(p: Pipeline, jobs: number): Promise<{ wallMs: number; steps: number }> {
  const dir = tmpSource();
  try {
    const t0 = performance.now();
    const r = await new LocalEngine({ pipeline: p, sourceDir: dir, silent: true, interactive: false, runner: LocalRunnerKind.HOST, jobs }).run();
    const wallMs = performance.now() - t0;
    const ran = r.steps.filter((x) => x.status === 'SUCCEEDED' && x.exitCode === 0).length;
    if (r.status !== 'SUCCEEDED' || ran !== r.steps.length) throw new Error(`bench pipeline ${p.name} ended ${r.status} (${ran} of ${r.steps.length} steps ran)`);
    return { wallMs, steps: r.steps.length };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** N `/bin/sh -e -c true`, one after another, as the host runner starts them (own process group). */
async function bareShells(n: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    await new Promise<void>((resolve) => {
      const c = spawn('/bin/sh', ['-e', '-c', 'true'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      c.stdout.resume();
      c.stderr.resume();
      c.on('close', () => resolve());
    });
  }
  return performance.now() - t0;
}

function trueSteps(n: number): Pipeline {
  const steps = Array.from({ length: n }, (_, i) => new CommandStep({ name: `s${i}`, commands: ['true'] }));
  return new Pipeline({ name: 'bench-true', source, stages: [Stage.buildStage('build', { steps })] });
}

/** Stages and runAfter chains of sleeping steps; returns the pipeline and its critical path (ms). */
function sleepyDag(): { pipeline: Pipeline; criticalMs: number } {
  const s = (name: string, secs: number, runAfter: string[] = []) => new CommandStep({ name, commands: [`sleep ${secs}`], runAfter });
  const pipeline = new Pipeline({
    name: 'bench-dag',
    source,
    stages: [
      // build: a 0.6 and b 0.3 in parallel, c 0.4 after b, d 0.2 after a and c  → 0.3+0.4+0.2 vs 0.6+0.2: 0.9
      Stage.buildStage('build', { steps: [s('a', 0.6), s('b', 0.3), s('c', 0.4, ['b']), s('d', 0.2, ['a', 'c'])] }),
      // two stages after build, in parallel: 0.5 and 0.3 then 0.3 → 0.6
      Stage.testStage('unit', { requires: ['build'], steps: [s('u', 0.5)] }),
      Stage.testStage('lint', { requires: ['build'], steps: [s('l1', 0.3), s('l2', 0.3, ['l1'])] }),
      // then one stage after both: 0.4
      Stage.testStage('e2e', { requires: ['unit', 'lint'], steps: [s('e', 0.4), s('f', 0.2)] }),
    ],
  });
  return { pipeline, criticalMs: (0.9 + 0.6 + 0.4) * 1000 };
}

async function main(): Promise<void> {
  // warm up: the first run loads modules and fills caches
  await runPipeline(trueSteps(3), 1);
  await bareShells(3);

  const wall: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    wall.push((await runPipeline(trueSteps(STEPS), 1)).wallMs);
    bare.push(await bareShells(STEPS));
  }
  const perStep = (median(wall) - median(bare)) / STEPS;
  console.log(`overhead: ${STEPS} \`true\` steps, jobs 1, host runner: run ${median(wall).toFixed(0)} ms, the steps' own time ${median(bare).toFixed(0)} ms`);
  console.log(`  overhead per step: ${perStep.toFixed(1)} ms (target ≤ 30 ms): ${perStep <= 30 ? 'met' : 'MISSED'}`);

  const { pipeline, criticalMs } = sleepyDag();
  const dag: number[] = [];
  for (let i = 0; i < RUNS; i++) dag.push((await runPipeline(pipeline, 8)).wallMs);
  const ratio = median(dag) / criticalMs;
  console.log(`critical path: a DAG of 11 sleeping steps in 4 stages, jobs 8: run ${median(dag).toFixed(0)} ms, critical path ${criticalMs} ms`);
  console.log(`  wall / critical path: ${ratio.toFixed(2)}× (target ≤ 1.2×): ${ratio <= 1.2 ? 'met' : 'MISSED'}`);
  console.log(`(median of ${RUNS} runs; ${os.cpus().length} CPUs, node ${process.version})`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
