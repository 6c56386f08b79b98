import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pipelineOf, taskOf } from './helpers';
import { CommandStep, Pipeline, Source, Stage } from '../../src/core';

export const ROOT = path.resolve(__dirname, '../..');
/** Real bandit 1.6.2 output (test/fixtures/bandit/README.md): 1 high, 4 medium, 4 low. */
export const BANDIT_FINDINGS = fs.readFileSync(path.join(ROOT, 'test/fixtures/bandit/bandit-1.6.2.json'), 'utf8');
/** A bandit report without findings. */
export const BANDIT_CLEAN = fs.readFileSync(path.join(ROOT, 'test/fixtures/bandit/defectdojo/bandit_no_vuln.json'), 'utf8');

/** A pipeline: build, then a security stage with the given steps and options, then deploy. */
export function securityPipeline(stage: Parameters<typeof Stage.securityStage>[1], defaults?: { gateImage?: string }): Pipeline {
  return new Pipeline({
    name: 'app',
    source: Source.gitHub({ owner: 'acme', repository: 'app' }),
    defaults,
    stages: [
      Stage.buildStage('build', { steps: [cmdStep('compile')] }),
      Stage.securityStage('sec', stage),
      Stage.deployStage('prod', { environment: 'prod', steps: [cmdStep('deploy')] }),
    ],
  });
}

function cmdStep(name: string): CommandStep {
  return new CommandStep({ name, commands: [`echo ${name}`] });
}

export function configMapOf(manifests: any[]): any {
  return manifests.find((m) => m.kind === 'ConfigMap');
}

/** The compressed bundled gate as the ConfigMap ships it. */
export function bundleBytes(manifests: any[]): Buffer {
  return Buffer.from(configMapOf(manifests).binaryData['gatehouse.js.gz'], 'base64');
}

/** The step named `name` of pipeline task `task`. */
export function stepOf(manifests: any[], task: string, name: string): any {
  const step = taskOf(manifests, task).taskSpec.steps.find((s: any) => s.name === name);
  if (!step) throw new Error(`task ${task} has no step ${name}`);
  return step;
}

export interface GateRun {
  /** Exit code of the script. */
  readonly code: number;
  readonly out: string;
  readonly err: string;
  /** Task results the script wrote, by name. */
  readonly results: Record<string, string>;
  /** The source workspace. */
  readonly src: string;
  /** The reports workspace. */
  readonly reports: string;
}

export interface GateRunOptions {
  /** Files in the source workspace. */
  readonly files?: Record<string, string>;
  /** What the ConfigMap volume holds (default: what the engine emitted). */
  readonly bundle?: Buffer;
  /** Shell that runs the script. */
  readonly shell?: string;
}

const tempDirs: string[] = [];

/** Removes the temp dirs of every run so far (call in afterAll). */
export function removeGateRuns(): void {
  for (const d of tempDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/**
 * Runs a rendered gate step as Tekton would: its script with Tekton's variables replaced by
 * paths in a temp dir, its env, the ConfigMap's key as the mounted file, in the source workspace.
 */
export function runGateStep(manifests: any[], step: any, opts: GateRunOptions = {}): GateRun {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-gate-'));
  tempDirs.push(dir);
  const src = path.join(dir, 'src');
  const reports = path.join(dir, 'reports');
  const results = path.join(dir, 'results');
  const home = path.join(dir, 'home');
  const tmp = path.join(dir, 'tmp');
  for (const d of [src, reports, results, home, tmp]) fs.mkdirSync(d);
  for (const [f, content] of Object.entries(opts.files ?? {})) {
    fs.mkdirSync(path.dirname(path.join(src, f)), { recursive: true });
    fs.writeFileSync(path.join(src, f), content);
  }
  const bundle = path.join(dir, 'gatehouse.js.gz');
  fs.writeFileSync(bundle, opts.bundle ?? bundleBytes(manifests));
  const script = step.script
    .replace(/\$\(results\.([A-Za-z0-9_-]+)\.path\)/g, (_: string, r: string) => path.join(results, r))
    .replace(/\$\(workspaces\.reports\.path\)/g, reports)
    .replace(/\$\(context\.taskRun\.name\)/g, 'run-1-task');
  expect(script).not.toMatch(/\$\((steps|results|workspaces|context|params)\./);
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: home, TMPDIR: tmp };
  for (const e of step.env ?? []) env[e.name] = e.value;
  expect(env.GATEHOUSE_BUNDLE).toBe('/gatehouse/gatehouse.js.gz');
  env.GATEHOUSE_BUNDLE = bundle;
  let code = 0;
  let out = '';
  let err = '';
  try {
    out = execFileSync(opts.shell ?? 'sh', ['-c', script], { cwd: src, env, encoding: 'utf8', stdio: 'pipe' });
  } catch (e: any) {
    code = e.status;
    out = String(e.stdout ?? '');
    err = String(e.stderr ?? '');
  }
  const written = Object.fromEntries(fs.readdirSync(results).map((r) => [r, fs.readFileSync(path.join(results, r), 'utf8')]));
  return { code, out, err, results: written, src, reports };
}

/** The exact line of the script that runs the gate. */
export function gateCommandLine(step: any): string {
  const line = step.script.split('\n').find((l: string) => l.startsWith('node "$gate" '));
  if (!line) throw new Error('no gate command in the script');
  return line;
}

export { pipelineOf, taskOf };
