/**
 * Shared pieces of the end-to-end tests: real tools (skipped with a message when missing here,
 * a failure under CI), sample projects copied from test/samples/, and the npm cache the
 * engines would keep between runs.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const ROOT = path.join(__dirname, '../../..');
export const SAMPLES = path.join(ROOT, 'test/samples');
/** The engines keep `.gatehouse/cache/npm` between runs; these tests share one the same way. */
export const NPM_CACHE = path.join(os.tmpdir(), 'gatehouse-e2e-npm-cache');
/**
 * The compiled library (lib/), which a project that installs gatehouse imports: what the pipeline
 * modules the bundled CLI loads import too (loaded from src/, each CLI run would transpile the
 * whole source tree). `npm test` compiles it first.
 */
export function compiledLib(): string {
  const lib = path.join(ROOT, 'lib');
  if (!fs.existsSync(path.join(lib, 'index.js'))) throw new Error('lib/ is not compiled: run `npx projen compile` first (`npm test` does)');
  return lib;
}

/** npx downloads secretlint and cyclonedx-npm on a cold cache. */
export const NPX_TIMEOUT = 600_000;

/** How CI installs each tool. */
export const INSTALL: Record<string, string> = {
  'bandit': 'apt-get install -y bandit',
  'oscap': 'apt-get install -y openscap-scanner ssg-debian',
  'ssg-debian11-content': 'apt-get install -y ssg-debian',
  'npx': 'node and npx with access to the npm registry',
  'node': 'node 20 or later',
};

function present(tool: string): boolean {
  if (tool === 'ssg-debian11-content') return fs.existsSync('/usr/share/xml/scap/ssg/content/ssg-debian11-ds.xml');
  return spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
}

/** A test that needs real tools: skipped with a message when one is missing, failed under CI. */
export function withTools(tools: string[], name: string, fn: () => void, timeout?: number, install?: string): void {
  const missing = tools.filter((t) => !present(t));
  const hint = install ?? missing.map((m) => INSTALL[m] ?? m).join('; ');
  if (missing.length === 0) {
    test(name, fn, timeout);
  } else if (process.env.CI) {
    test(name, () => {
      throw new Error(`${missing.join(', ')} not installed: CI must install it (${hint})`);
    });
  } else {
    test.skip(`${name} [skipped: ${missing.join(', ')} not installed here; install with: ${hint}]`, () => undefined);
  }
}

/** A fresh scratch folder under `root`, removed by `cleanup`. */
export function scratchRoot(prefix: string): { root: string; cleanup: () => void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { root, cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}

/**
 * Copies a sample project into a new folder (the source workspace of one run); with `npmCache`,
 * `.gatehouse/cache/npm` points at the shared npm cache.
 */
export function copySample(sample: string, into: string, options: { npmCache?: boolean } = {}): string {
  return copySamples([sample], into, options);
}

/** Copies several sample projects into one new folder, as one repository holding them all. */
export function copySamples(samples: string[], into: string, options: { npmCache?: boolean } = {}): string {
  fs.mkdirSync(into, { recursive: true });
  const dir = fs.mkdtempSync(path.join(into, `${samples.join('+')}-`));
  for (const sample of samples) fs.cpSync(path.join(SAMPLES, sample), dir, { recursive: true });
  fs.chmodSync(dir, 0o755);
  if (options.npmCache) {
    fs.mkdirSync(NPM_CACHE, { recursive: true });
    fs.mkdirSync(path.join(dir, '.gatehouse/cache'), { recursive: true });
    fs.symlinkSync(NPM_CACHE, path.join(dir, '.gatehouse/cache/npm'));
  }
  return dir;
}

/** Reads a JSON file the gate wrote. */
export function readJson(file: string): any {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}
