import { execFileSync, spawn, spawnSync, SpawnOptions } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { IS_ONE_BYTE } from './one-byte';

/**
 * The npm package as users get it: `npm pack` of the compiled library (`npx projen compile` runs
 * before the tests in `npm test`), unpacked into scratch projects outside this repository, so that
 * nothing resolves through the repository's own node_modules.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const MODULES = path.join(ROOT, 'node_modules');
/** Ceiling of the packed tarball: it holds the compiled library, the CLIs and the WebAssembly Graphviz. */
const MAX_PACKED_BYTES = 8 * 1024 * 1024;

let work: string;
let tarball: string;
let files: string[];
let packedSize: number;

interface Ran {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program without blocking: the slow tools of this file (each its own process) run side by side. */
function spawnAsync(cmd: string, args: string[], options: SpawnOptions): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** The API.md jsii-docgen writes for the compiled assembly, and its run. */
let docgen: Promise<Ran & { file: string }>;
/** The jsii-pacmak run (code only) and its output folder. */
let pacmak: Promise<Ran & { out: string }>;

beforeAll(() => {
  if (!fs.existsSync(path.join(ROOT, 'lib', 'index.js')) || !fs.existsSync(path.join(ROOT, '.jsii'))) {
    throw new Error('lib/ is not compiled: run `npx projen compile` first (`npm test` does)');
  }
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-package-'));
  // jsii-docgen and jsii-pacmak read the compiled assembly only: they start now and run while the
  // package is packed and the scratch projects run; their tests wait for them
  const fresh = path.join(work, 'API.md');
  docgen = spawnAsync(path.join(MODULES, '.bin', 'jsii-docgen'), ['-o', fresh], { cwd: ROOT }).then((r) => ({ ...r, file: fresh }));
  const pacmakOut = path.join(work, 'pacmak');
  pacmak = spawnAsync(path.join(MODULES, '.bin', 'jsii-pacmak'), ['--code-only', '--target', 'python', '--target', 'java', '--target', 'dotnet', '--target', 'go', '-o', pacmakOut], { cwd: ROOT })
    .then((r) => ({ ...r, out: pacmakOut }));
  // a failure is reported by the test that waits for it
  docgen.catch(() => undefined);
  pacmak.catch(() => undefined);
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [info] = JSON.parse(out) as Array<{ filename: string; size: number; files: Array<{ path: string }> }>;
  tarball = path.join(work, info.filename);
  files = info.files.map((f) => f.path);
  packedSize = info.size;
});

afterAll(async () => {
  // the tools write into the work folder: they end before it is removed
  await Promise.allSettled([docgen, pacmak]);
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  test('holds the library, the bundled CLIs, the schemas, the docs and the jsii assembly', () => {
    for (const f of ['package.json', 'README.md', 'LICENSE', '.jsii', 'API.md', 'lib/index.js', 'lib/index.d.ts', 'lib/codepipeline/index.js', 'lib/tekton/index.js',
      'assets/gatehouse.js', 'assets/gatehouse-policy.js', 'assets/gatehouse-local.js', 'schemas/pipeline-document.schema.json', 'docs/codepipeline.md']) {
      expect(files).toContain(f);
    }
  });

  test('holds no sources, tests, examples, benchmarks, build output, CI files or dev configuration', () => {
    const forbidden = /^(src|test|examples|bench|out|cdk\.out|dist|coverage|test-reports|scripts|projenrc|\.ci|\.projen|imports)\/|^(tsconfig(\.dev)?\.json|\.projenrc\.ts|\.eslintrc\.json|package-lock\.json|\.gitignore|\.npmignore)$|\.ts$(?<!\.d\.ts)|\.tsbuildinfo$/;
    // bundled dependencies (node_modules/) ship as their authors publish them
    expect(files.filter((f) => !f.startsWith('node_modules/') && forbidden.test(f))).toEqual([]);
  });

  test('ships each folder of lib/ as one bundle with its source map, and every module file hands out the bundled module', () => {
    // GIVEN the compiled modules in the tarball
    const modules = files.filter((f) => f.startsWith('lib/') && f.endsWith('.js') && !f.startsWith('lib/_bundles/'));
    expect(modules.length).toBeGreaterThan(100);
    const bundles = files.filter((f) => f.startsWith('lib/_bundles/') && f.endsWith('.js'));
    expect(bundles).toEqual(expect.arrayContaining(['lib/_bundles/_loader.js', 'lib/_bundles/_compile-cache.js', 'lib/_bundles/core.js', 'lib/_bundles/codepipeline.js', 'lib/_bundles/tekton.js']));
    // no compile cache of the machine that packed it
    expect(files.filter((f) => f.includes('/.cache/') || f.endsWith('.v8'))).toEqual([]);
    // THEN each bundle has its map file and points to it by name; no map is inlined
    for (const f of bundles.filter((b) => !path.basename(b).startsWith('_'))) {
      expect(files).toContain(`${f}.map`);
      const js = fs.readFileSync(path.join(ROOT, f), 'utf8');
      expect(js).not.toContain('sourceMappingURL=data:');
      expect(js.trimEnd().endsWith(`//# sourceMappingURL=${path.basename(f)}.map`)).toBe(true);
    }
    // AND every other module file is the loader's one line for its own module
    for (const f of ['lib/core/pipeline.js', 'lib/codepipeline/engine.js', 'lib/policy/rules/index.js']) {
      const id = f.slice('lib/'.length);
      expect(fs.readFileSync(path.join(ROOT, f), 'utf8')).toMatch(new RegExp(`require\\("(\\.\\./)+_bundles/_loader\\.js"\\)\\.load\\("${id.replace(/[./]/g, '\\$&')}"\\);\\n$`));
    }
  });

  test(`is at most ${MAX_PACKED_BYTES / 1024 / 1024} MiB packed`, () => {
    expect(packedSize).toBeLessThanOrEqual(MAX_PACKED_BYTES);
  });
});

/** A scratch project with the unpacked package and only the given libraries of this repository. */
function scratch(name: string, libraries: string[]): string {
  const dir = path.join(work, name);
  const modules = path.join(dir, 'node_modules');
  fs.mkdirSync(path.join(modules, 'gatehouse'), { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', path.join(modules, 'gatehouse'), '--strip-components', '1']);
  for (const lib of libraries) fs.symlinkSync(path.join(MODULES, lib), path.join(modules, lib), 'dir');
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, private: true }));
  return dir;
}

function run(dir: string, script: string): { status: number | null; stdout: string; stderr: string } {
  fs.writeFileSync(path.join(dir, 'app.js'), script);
  const r = spawnSync(process.execPath, ['app.js'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_PATH: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const PIPELINE = `
const { CommandStep, Pipeline, Source, Stage } = require('gatehouse');
const pipeline = new Pipeline({
  name: 'scratch',
  source: Source.gitHub({ owner: 'acme', repository: 'scratch', branch: 'main' }),
  stages: [Stage.buildStage('build', { steps: [new CommandStep({ name: 'build', commands: ['python -m compileall .'] })] })],
});
`;

/** The policy packs' modules: a pipeline without packs has no use for them. */
const POLICY_PACKS = /gatehouse[\\/]lib[\\/]policy[\\/](pack|builtin-packs|cel-rule|cel-engine|rules[\\/])/;

describe('a project that installs one engine library', () => {
  test('a CodePipeline app synthesizes with cdk8s absent', () => {
    const dir = scratch('codepipeline-app', ['aws-cdk-lib', 'constructs']);
    const r = run(dir, `${PIPELINE}
for (const lib of ['cdk8s']) {
  try { require.resolve(lib); throw new Error(lib + ' is installed'); } catch (e) { if (e.code !== 'MODULE_NOT_FOUND') throw e; }
}
const { App, Stack } = require('aws-cdk-lib');
const { codepipeline } = require('gatehouse');
const app = new App({ outdir: 'cdk.out' });
const stack = new Stack(app, 'Scratch');
new codepipeline.CodePipelineEngine(stack, 'Pipeline', { pipeline, connectionArn: 'arn:aws:codeconnections:eu-west-1:111111111111:connection/x' });
const template = app.synth().getStackByName('Scratch').template;
console.log(Object.values(template.Resources).filter((r) => r.Type === 'AWS::CodePipeline::Pipeline').length);
console.log(Object.keys(require.cache).some((k) => k.includes('cdk8s')));
console.log(Object.keys(require.cache).some((k) => POLICY_PACKS.test(k)));
`.replace('POLICY_PACKS', POLICY_PACKS.toString()));
    expect(r.stderr).toBe('');
    // no cdk8s; and without policy packs, no pack, rule or CEL module is loaded
    expect(r.stdout.trim().split('\n')).toEqual(['1', 'false', 'false']);
  });

  test('loads from its bundles: a few files, one instance of each module however it is reached, stack traces in the TypeScript source', () => {
    const dir = scratch('bundles', ['aws-cdk-lib', 'constructs']);
    const r = run(dir, `
const Module = require('module');
const compiled = [];
const compile = Module.prototype._compile;
Module.prototype._compile = function (content, filename) { compiled.push(filename); return compile.apply(this, arguments); };
// the bundles are compiled with their code cache (lib/_bundles/_compile-cache.js) rather than by Node
const vm = require('vm');
const Script = vm.Script;
vm.Script = class extends Script { constructor(source, options) { super(source, options); if (options && options.filename) compiled.push(options.filename); } };
${PIPELINE}
const { App, Stack } = require('aws-cdk-lib');
const gatehouse = require('gatehouse');
new gatehouse.codepipeline.CodePipelineEngine(new Stack(new App(), 'Scratch'), 'Pipeline', { pipeline, connectionArn: 'arn:aws:codeconnections:eu-west-1:111111111111:connection/x' });
const own = compiled.filter((f) => f.includes('gatehouse')).map((f) => f.slice(f.lastIndexOf('gatehouse') + 10).split(require('path').sep).join('/'));
console.log(JSON.stringify(own.sort()));
// a deep import, a subpath and the root give the same classes
console.log(require('gatehouse/lib/core/pipeline.js').Pipeline === gatehouse.Pipeline, require('gatehouse/codepipeline').CodePipelineEngine === gatehouse.codepipeline.CodePipelineEngine);
// what is loaded is listed in require.cache under the module's own file
console.log(Object.keys(require.cache).some((k) => /gatehouse[\\/]lib[\\/]codepipeline[\\/]engine\.js$/.test(k)));
// a path built from a module's __dirname (the gate every pipeline ships) is a one-byte string, as
// from a module file in an ASCII folder: the strings built from it (asset path, URL, buildspecs)
// would otherwise take twice the memory
${IS_ONE_BYTE}
console.log(isOneByte(require('gatehouse/lib/core/gate-cli.js').DEFAULT_GATE_CLI_PATH));
`);
    expect(r.stderr).toBe('');
    const [own, identity, listed, oneByte] = r.stdout.trim().split('\n');
    // the root, the loader, its compile cache and the bundles of the three folders this app uses (no
    // catalog scan: no security bundle): no module file of its own
    expect(JSON.parse(own)).toEqual(['lib/_bundles/_compile-cache.js', 'lib/_bundles/_loader.js', 'lib/_bundles/codepipeline.js', 'lib/_bundles/core.js', 'lib/_bundles/policy.js', 'lib/index.js']);
    expect(identity).toBe('true true');
    expect(listed).toBe('true');
    expect(oneByte).toBe('true');
    // WHEN a model error is thrown with Node's source maps on
    fs.writeFileSync(path.join(dir, 'bad.js'), "const { Pipeline } = require('gatehouse'); try { new Pipeline({ name: 'bad', stages: [] }); } catch (e) { console.log(e.stack.split('\\n')[1]); }");
    const bad = spawnSync(process.execPath, ['--enable-source-maps', 'bad.js'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_PATH: '' } });
    // THEN its frame is the TypeScript source line, not the bundle
    expect(bad.stdout.trim()).toMatch(/^at new Pipeline \(.*[\\/]src[\\/]core[\\/]pipeline\.ts:\d+:\d+\)$/);
  });

  test('a Tekton app synthesizes with aws-cdk-lib absent', () => {
    const dir = scratch('tekton-app', ['cdk8s', 'constructs']);
    const r = run(dir, `${PIPELINE}
try { require.resolve('aws-cdk-lib'); throw new Error('aws-cdk-lib is installed'); } catch (e) { if (e.code !== 'MODULE_NOT_FOUND') throw e; }
const { App, Chart } = require('cdk8s');
const { tekton } = require('gatehouse');
const app = new App({ outdir: 'dist' });
const chart = new Chart(app, 'scratch');
new tekton.TektonEngine(chart, 'Tekton', { pipeline });
const kinds = chart.toJson().map((o) => o.kind);
console.log(kinds.includes('Pipeline'));
console.log(Object.keys(require.cache).some((k) => k.includes('aws-cdk-lib')));
console.log(Object.keys(require.cache).some((k) => POLICY_PACKS.test(k)));
`.replace('POLICY_PACKS', POLICY_PACKS.toString()));
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual(['true', 'false', 'false']);
  });

  test('an engine whose library is missing says which package to install', () => {
    const dir = scratch('missing-lib', ['cdk8s', 'constructs']);
    const r = run(dir, "const { codepipeline } = require('gatehouse'); console.log(typeof codepipeline);");
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('gatehouse.codepipeline needs aws-cdk-lib, which is not installed: npm install aws-cdk-lib');
  });

  test('the engines load from their subpaths', () => {
    const dir = scratch('subpaths', ['cdk8s', 'constructs']);
    const r = run(dir, "const { TektonEngine } = require('gatehouse/tekton'); const { Pipeline } = require('gatehouse/core'); console.log(typeof TektonEngine, typeof Pipeline);");
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('function function');
  });
});

describe('an example copied out of the repository', () => {
  /** The example's own package.json names what it needs: those, from this repository's node_modules. */
  function copyOut(example: string): string {
    const src = path.join(ROOT, 'examples', example);
    const pkg = JSON.parse(fs.readFileSync(path.join(src, 'package.json'), 'utf8')) as { dependencies: object; devDependencies: object };
    const needs = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)].filter((d) => d !== 'gatehouse');
    const dir = scratch(`example-${example}`, needs);
    fs.cpSync(src, dir, { recursive: true, filter: (f) => !/[\\/](cdk\.out|dist|node_modules)$/.test(f) });
    const bin = path.join(dir, 'node_modules', '.bin');
    fs.mkdirSync(bin);
    for (const name of ['cdk', 'cdk8s', 'tsx']) fs.symlinkSync(fs.realpathSync(path.join(MODULES, '.bin', name)), path.join(bin, name));
    return dir;
  }

  async function npx(dir: string, args: string[]): Promise<{ status: number | null; out: string }> {
    const env = { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', CDK8S_CHECK_UPGRADE: 'false', NODE_PATH: '' };
    const r = await spawnAsync('npx', ['--no-install', ...args], { cwd: dir, env });
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  }

  test('django-devsecops synthesizes with `npx cdk synth` and `npx cdk8s synth` from its own package.json', async () => {
    const dir = copyOut('django-devsecops');
    // its tsconfig maps `gatehouse` to ../../src in this repository: copied out, nothing is there
    expect(fs.existsSync(path.resolve(dir, '..', '..', 'src', 'index.ts'))).toBe(false);
    // the two synths write separate folders (cdk.out, dist): they run side by side
    const [cdk, k8s] = await Promise.all([npx(dir, ['cdk', 'synth', '--no-notices', '-q']), npx(dir, ['cdk8s', 'synth'])]);
    expect(cdk).toMatchObject({ status: 0 });
    const template = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.out', 'DjangoDevSecOpsPipeline.template.json'), 'utf8')) as { Resources: Record<string, { Type: string }> };
    expect(Object.values(template.Resources).filter((r) => r.Type === 'AWS::CodePipeline::Pipeline')).toHaveLength(1);
    expect(k8s).toMatchObject({ status: 0 });
    expect(fs.readFileSync(path.join(dir, 'dist', '0000-django-devsecops.k8s.yaml'), 'utf8')).toMatch(/^kind: Pipeline$/m);
  }, 120_000);
});

describe('API.md', () => {
  test('is the jsii-docgen output of the current API (regenerate with `npx projen post-compile`)', async () => {
    const { status, stderr, file } = await docgen;
    expect({ status, stderr: status === 0 ? '' : stderr }).toEqual({ status: 0, stderr: '' });
    expect(fs.readFileSync(path.join(ROOT, 'API.md'), 'utf8') === fs.readFileSync(file, 'utf8')).toBe(true);
  }, 300_000);
});

describe('jsii targets', () => {
  test('jsii-pacmak generates the Python, Java, .NET and Go packages (code only)', async () => {
    const r = await pacmak;
    const out = r.out;
    expect({ status: r.status, stderr: r.status === 0 ? '' : r.stderr }).toEqual({ status: 0, stderr: '' });
    const generated = (dir: string): string[] => fs.readdirSync(dir, { recursive: true }).map(String);
    expect(generated(path.join(out, 'python')).some((f) => f.endsWith(path.join('gatehouse', 'codepipeline', '__init__.py')))).toBe(true);
    expect(generated(path.join(out, 'java')).some((f) => f.endsWith(path.join('dev', 'gatehouse', 'tekton', 'TektonEngine.java')))).toBe(true);
    expect(generated(path.join(out, 'dotnet')).some((f) => f.endsWith('.cs'))).toBe(true);
    expect(generated(path.join(out, 'go')).some((f) => f.endsWith('.go'))).toBe(true);
  }, 300_000);
});
