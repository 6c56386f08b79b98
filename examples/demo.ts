/**
 * `npm run demo`: synthesizes every example with every engine into out/<example>/<engine>/ (GitHub
 * Actions: the repository files, .github/workflows/ and .github/gatehouse/; CircleCI:
 * `.circleci/config.yml` and `.circleci/gatehouse/gatehouse.js`) and
 * prints a short summary per example. Needs no cloud credentials. Each example writes its
 * pipeline document to out/<example>/pipeline.json; each engine synth writes its own
 * pipeline.json and policy-report.json beside its output, and out/<example>/pipeline.svg is the
 * picture of the pipeline (`gatehouse graph`). Folders without a pipeline.ts (a blueprint package)
 * are libraries, not examples. An example with a `local.ts` then runs on this machine with the
 * local engine (its scanners come from this project's `npm ci`), and its verdict is printed.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { graph } from 'gatehouse';

interface LocalModule {
  runLocal(options: { runsDir: string; binDirs?: string[] }): Promise<{ result: { status: string; runDir: string; steps: Array<{ status: string; gate?: { verdict: string } }> }; lines: string[] }>;
}

interface EngineModule {
  /** Writes the engine's output into `outdir` and returns one summary line per artifact written. */
  synth(outdir: string): string[] | Promise<string[]>;
}

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..');
  const examples = fs
    .readdirSync(__dirname, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(__dirname, d.name, 'pipeline.ts')))
    .map((d) => d.name)
    .sort();
  let failed = false;
  for (const example of examples) {
    const dir = path.join(__dirname, example);
    const pipelineModule = await import(path.join(dir, 'pipeline.ts'));
    // the example's pipeline: the first exported function that builds one (a module may also export helpers)
    const pipeline = Object.values(pipelineModule)
      .filter((v): v is () => unknown => typeof v === 'function')
      .map((f) => f())
      .find((p: any) => typeof p?.toDocument === 'function' && typeof p?.graph === 'function') as any;
    if (!pipeline) throw new Error(`examples/${example}/pipeline.ts exports no function that builds a pipeline`);
    const stages = pipeline.stages as Array<{ name: string; kind: string; steps: Array<{ name: string; kind: string }> }>;
    const steps = stages.flatMap((s) => s.steps);
    console.log(`\n${example}: ${stages.length} stages, ${steps.length} steps, ${steps.filter((s) => s.kind === 'approval').length} approval(s)`);
    for (const wave of pipeline.graph().stageWaves() as Array<Array<{ name: string; steps: Array<{ name: string }> }>>) {
      console.log(`  ${wave.map((s) => `${s.name}[${s.steps.map((st) => st.name).join(', ')}]`).join('  ||  ')}`);
    }
    // the pipeline document policies read (schemas/pipeline-document.schema.json)
    fs.mkdirSync(path.join(root, 'out', example), { recursive: true });
    fs.writeFileSync(path.join(root, 'out', example, 'pipeline.json'), pipeline.toDocument().toJsonString());
    console.log(`  document: out/${example}/pipeline.json`);
    fs.writeFileSync(path.join(root, 'out', example, 'pipeline.svg'), await graph.renderSvg(pipeline));
    console.log(`  picture: out/${example}/pipeline.svg`);
    for (const engine of ['codepipeline', 'tekton', 'github', 'circleci']) {
      const file = path.join(dir, `${engine}.ts`);
      if (!fs.existsSync(file)) continue;
      const outdir = path.join(root, 'out', example, engine);
      fs.rmSync(outdir, { recursive: true, force: true });
      fs.mkdirSync(outdir, { recursive: true });
      try {
        const mod = (await import(file)) as EngineModule;
        const lines = await mod.synth(outdir);
        console.log(`  ${engine}: ${path.relative(root, outdir)}/`);
        for (const l of lines) console.log(`    ${l}`);
        // the GitHub engine writes its policy report beside the workflow, in .github/gatehouse/
        const reportFile = [path.join(outdir, 'policy-report.json'), path.join(outdir, '.github', 'gatehouse', 'policy-report.json')].find((f) => fs.existsSync(f))!;
        const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
        const results = (report.rules as Array<{ result: string }>).map((r) => r.result);
        console.log(
          `    policy: ${report.passed ? 'passed' : 'FAILED'} (${report.packs.join(', ') || 'no packs'}; ${results.filter((r) => r === 'pass').length}/${results.length} rules pass, ` +
            `${report.warnings.length} warning(s), ${report.waived.length} waived): ${path.relative(root, reportFile)}`,
        );
      } catch (e) {
        failed = true;
        console.error(`  ${engine}: FAILED: ${(e as Error).message}`);
      }
    }
  }
  // the examples that run here, offline, on the local engine
  for (const example of examples) {
    const file = path.join(__dirname, example, 'local.ts');
    if (!fs.existsSync(file)) continue;
    // outside the repository: a run folder holds a copy of the example (and its package.json)
    const runsDir = path.join(os.tmpdir(), 'gatehouse-demo', example);
    fs.rmSync(runsDir, { recursive: true, force: true });
    console.log(`\n${example}: running on the local engine (host runner)`);
    try {
      const mod = (await import(file)) as LocalModule;
      const { result, lines } = await mod.runLocal({ runsDir, binDirs: [path.join(root, 'node_modules', '.bin')] });
      for (const l of lines) console.log(`  ${l}`);
      console.log(`  verdict: ${result.status} (run folder: ${result.runDir}; see examples/${example}/README.md)`);
      // a gate that could not decide, or a step that failed on its own, means the demo is broken;
      // a gate FAILED verdict is what the example shows
      const broken = result.steps.filter((s) => s.status === 'FAILED' && s.gate?.verdict !== 'FAILED');
      if (broken.length > 0) {
        failed = true;
        console.error(`  local: ${broken.length} step(s) failed without a gate verdict: read the logs in the run folder`);
      }
    } catch (e) {
      failed = true;
      console.error(`  local: FAILED: ${(e as Error).message}`);
    }
  }
  if (failed) process.exit(1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
