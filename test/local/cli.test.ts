/**
 * `gatehouse run`, as shipped: the bundled CLI dispatches to the bundled local engine, which loads a
 * TypeScript pipeline module with tsx.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { alive, cleanup, sourceDir } from './support';
import { DEFAULT_IMAGE } from '../../src/core/pipeline';
import { compiledLib, ROOT } from '../e2e/support/tools';

const CLI = path.join(ROOT, 'assets/gatehouse.js');
/** The pipeline modules import the compiled library, as a project's do. */
const LIB = compiledLib();

/** A source folder with `pipeline.ts` exporting pipelines whose steps run `commands`. */
function project(commands: string[], extra = ''): string {
  return sourceDir({
    'app.py': 'print(1)\n',
    'pipeline.ts': [
      `import { CommandStep, Pipeline, Source, Stage } from '${LIB}';`,
      'const source = Source.gitHub({ owner: \'acme\', repository: \'app\', branch: \'main\' });',
      `export const pipeline = new Pipeline({ name: 'cli-test', source, stages: [Stage.buildStage('build', { steps: [new CommandStep({ name: 'step', commands: ${JSON.stringify(commands)} })] })] });`,
      extra,
    ].join('\n'),
  });
}

const gatehouse = (cwd: string, args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });

describe('gatehouse run', () => {
  afterAll(cleanup);

  test('runs a TypeScript pipeline module: exit 0, the summary and the run folder', () => {
    const dir = project(['echo built > built.txt']);
    const res = gatehouse(dir, ['run', 'pipeline.ts', '--runner', 'host']);
    expect({ status: res.status, stderr: res.stderr }).toEqual({ status: 0, stderr: '' });
    expect(res.stdout).toMatch(/^build +step +SUCCEEDED/m);
    const runDir = /run folder: (\S+)/.exec(res.stdout)![1];
    expect(JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8'))).toEqual(expect.objectContaining({ status: 'SUCCEEDED', pipeline: 'cli-test', runner: 'host' }));
    expect(res.stdout).toContain(`their images are not used (${DEFAULT_IMAGE})`);
  }, 60_000);

  test('exit 1 when a step fails, with the tail of its log', () => {
    const res = gatehouse(project(['echo about to fail', 'exit 4']), ['run', 'pipeline.ts', '--runner', 'host']);
    expect(res.status).toBe(1);
    expect(res.stdout).toContain('✗ build/step failed (exit 4)');
    expect(res.stdout).toContain('    about to fail');
  }, 60_000);

  test.each([
    [['run', 'missing.ts'], /pipeline module missing.ts does not exist/],
    [['run', 'pipeline.ts', '--pipeline', 'other'], /exports no pipeline named "other": it exports cli-test/],
    [['run', 'pipeline.ts', '--stage', 'nope'], /--stage names unknown stage "nope": use one of build/],
    [['run', 'pipeline.ts', '--jobs', 'two'], /--jobs two is not a whole number/],
    [['run', 'pipeline.ts', '--bogus'], /unknown option '--bogus'/],
    [['run', 'pipeline.ts', '--runner', 'vm'], /--runner vm is not one of host, container, auto/],
    [['run', 'pipeline.ts', '--runner', 'container', '--container-runtime', '/nonexistent/docker'], /runner container cannot run this pipeline: no container runtime answers \(\/nonexistent\/docker info: not installed\); or use --runner host/],
    [['run', 'app.py'], /cannot be loaded|exports no Pipeline/],
  ])('exit 2 on bad input: %j', (args, message) => {
    const res = gatehouse(project(['true']), args);
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(message);
  }, 60_000);

  test('a module exporting two pipelines needs --pipeline', () => {
    const dir = project(['true'], 'export const other = new Pipeline({ name: \'other\', source, stages: [Stage.buildStage(\'b\', { steps: [new CommandStep({ name: \'s\', commands: [\'true\'] })] })] });');
    expect(gatehouse(dir, ['run', 'pipeline.ts']).stderr).toMatch(/exports 2 pipelines \(cli-test, other\): choose one with --pipeline NAME/);
    expect(gatehouse(dir, ['run', 'pipeline.ts', '--pipeline', 'other', '--runner', 'host']).status).toBe(0);
  }, 60_000);

  test('auto says once which runner it chose, and why when it is the host', () => {
    const res = gatehouse(project(['true']), ['run', 'pipeline.ts', '--container-runtime', '/nonexistent/podman']);
    expect(res.status).toBe(0);
    expect(res.stdout.match(/^runner /gm)).toEqual(['runner ']);
    expect(res.stdout).toContain('runner host (auto: no container runtime answers (/nonexistent/podman info: not installed)): steps run in a shell on this machine');
  }, 60_000);

  test('on a terminal: a live line per running step with its elapsed time, then its ✓, the summary and the run folder', () => {
    // `script` gives the CLI a pseudo-terminal (of a size: log-update shows no more lines than it has)
    const dir = project(['sleep 1.5', 'echo done > done.txt']);
    const res = spawnSync('script', ['-qec', `stty cols 100 rows 30; ${process.execPath} ${CLI} run pipeline.ts --runner host`, '/dev/null'], { cwd: dir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, TERM: 'xterm' } });
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] build\/step 1\.\ds/); // the live line, redrawn as time goes
    expect(res.stdout).toMatch(/✓ build\/step \d\.\ds/);
    expect(res.stdout).not.toContain('▶ build/step started'); // shown live, not printed
    expect(res.stdout).toMatch(/STAGE +STEP +STATUS +TIME +GATE/);
    expect(res.stdout).toMatch(/SUCCEEDED: pipeline cli-test in [\d.]+s; run folder: \S+/);
  }, 60_000);

  test('Ctrl-C ends every step\'s processes and writes run.json marked CANCELLED', async () => {
    const dir = project(['sleep 60 & echo $! > child.pid', 'sleep 60']);
    const child = spawn(process.execPath, [CLI, 'run', 'pipeline.ts', '--runner', 'host'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => {
      const poll = setInterval(() => {
        const ws = /workspace: (\S+)/.exec(out)?.[1];
        if (out.includes('▶ build/step started') && ws && fs.existsSync(path.join(ws, 'child.pid'))) {
          clearInterval(poll);
          child.kill('SIGINT');
        }
      }, 50);
      child.on('exit', (c) => {
        clearInterval(poll);
        resolve(c);
      });
    });
    expect(code).toBe(1);
    const runDir = /run folder: (\S+)/.exec(out)![1];
    const run = JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8'));
    expect(run.status).toBe('CANCELLED');
    expect(run.steps[0].status).toBe('CANCELLED');
    expect(alive(Number(fs.readFileSync(path.join(runDir, 'workspace/child.pid'), 'utf8')))).toBe(false);
  }, 60_000);
});
