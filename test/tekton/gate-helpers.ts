import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pipelineOf, taskOf } from './helpers';
import { CommandStep, gateReportFormats, Pipeline, ScanStep, Source, Stage } from '../../src/core';

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
  /** The task's folder of the reports workspace. */
  readonly reports: string;
  /** The gate's working folder. */
  readonly work: string;
}

export interface GateRunOptions {
  /**
   * Files in the source workspace. Files under `.gatehouse/reports/<step>/` stand for what the scan
   * wrote in its findings folder: the gate's read-only input mount of that scan shows them.
   */
  readonly files?: Record<string, string>;
  /** What the ConfigMap volume holds (default: what the engine emitted). */
  readonly bundle?: Buffer;
  /** Shell that runs the script. */
  readonly shell?: string;
  /** Files of the trust folder by name (default: the emitted inline trust ConfigMap's items). */
  readonly trust?: Record<string, string>;
  /**
   * Files another task wrote into the shared source workspace itself (beneath any scan's findings
   * volume, at the same paths).
   */
  readonly sourceOverlay?: Record<string, string>;
}

const tempDirs: string[] = [];

/** Removes the temp dirs of every run so far (call in afterAll). */
export function removeGateRuns(): void {
  for (const d of tempDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/** The pipeline task whose taskSpec holds `step`. */
function taskHolding(manifests: any[], step: any): any {
  const task = pipelineOf(manifests).spec.tasks.find((t: any) => (t.taskSpec?.steps ?? []).includes(step));
  if (!task) throw new Error(`step ${step.name} is not a step of the Pipeline`);
  return task;
}

/** Replaces each mount path (longest first) at the start of a path with its local folder. */
export function localPaths(text: string, mounts: Array<[string, string]>): string {
  const sorted = [...mounts].sort((a, b) => b[0].length - a[0].length);
  return text.replace(/(^|[\s"'=])(\/[A-Za-z0-9._/-]+)/g, (all: string, before: string, p: string) => {
    for (const [mount, local] of sorted) {
      if (p === mount || p.startsWith(`${mount}/`)) return before + local + p.slice(mount.length);
    }
    return all;
  });
}

/**
 * Runs a rendered gate step as Tekton would: its script with Tekton's variables replaced by paths
 * in a temp dir, its env, its working folder; each volume it mounts (the bundled gate ConfigMap,
 * its trust files, its working folder, its inputs) becomes a local folder at the same place.
 */
export function runGateStep(manifests: any[], step: any, opts: GateRunOptions = {}): GateRun {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-gate-'));
  tempDirs.push(dir);
  const task = taskHolding(manifests, step);
  const [src, reports, results, home, tmp, work, bundleDir, trustDir, findings] = ['src', 'reports', 'results', 'home', 'tmp', 'work', 'bundle', 'trust', 'findings']
    .map((d) => path.join(dir, d));
  for (const d of [src, reports, results, home, tmp, work, bundleDir, trustDir, findings]) fs.mkdirSync(d);
  const write = (file: string, content: string) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  };
  // a file of a scan's findings folder is in that scan's findings volume (what its scanner wrote)
  for (const [f, content] of Object.entries(opts.files ?? {})) {
    const scan = /^\.gatehouse\/reports\/([^/]+)\/(.+)$/.exec(f);
    write(scan ? path.join(findings, scan[1], scan[2]) : path.join(src, f), content);
  }
  for (const [f, content] of Object.entries(opts.sourceOverlay ?? {})) write(path.join(src, f), content);
  fs.writeFileSync(path.join(bundleDir, 'gatehouse.js.gz'), opts.bundle ?? bundleBytes(manifests));
  const trustVolume = (task.taskSpec.volumes ?? []).find((v: any) => v.name === 'gatehouse-trust');
  if (opts.trust) {
    for (const [f, content] of Object.entries(opts.trust)) fs.writeFileSync(path.join(trustDir, f), content);
  } else if (trustVolume) {
    for (const source of trustVolume.projected.sources) {
      const cm = source.configMap && manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name === source.configMap.name);
      if (!cm) throw new Error(`trust source ${JSON.stringify(source)} is not an emitted ConfigMap: pass opts.trust`);
      for (const item of source.configMap.items) fs.writeFileSync(path.join(trustDir, item.path), cm.data[item.key]);
    }
  }
  // every mount of the step (and the task's workspaces) at its local folder
  const mounts: Array<[string, string]> = [['/workspace/source', src], ['/home/gatehouse', home]];
  for (const m of step.volumeMounts ?? []) {
    if (m.name === 'gatehouse') mounts.push([m.mountPath, bundleDir]);
    else if (m.name === 'gatehouse-work') mounts.push([m.mountPath, work]);
    else if (m.name === 'gatehouse-trust') mounts.push([m.mountPath, trustDir]);
    else if (m.name === 'gatehouse-findings') mounts.push([m.mountPath, path.join(findings, path.basename(m.mountPath))]);
    else throw new Error(`gate step mounts ${m.name}, which this runner does not know`);
  }
  for (const w of task.taskSpec.workspaces ?? []) {
    if (w.name.startsWith('findings-')) mounts.push([w.mountPath, path.join(findings, path.basename(w.mountPath))]);
  }
  for (const [, local] of mounts) fs.mkdirSync(local, { recursive: true });
  const script = localPaths(step.script
    .replace(/\$\(results\.([A-Za-z0-9_-]+)\.path\)/g, (_: string, r: string) => path.join(results, r))
    .replace(/\$\(workspaces\.reports\.path\)/g, reports)
    .replace(/\$\(workspaces\.source\.path\)/g, src), mounts);
  expect(script).not.toMatch(/\$\((steps|results|workspaces|context|params)\./);
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: home, TMPDIR: tmp };
  for (const e of step.env ?? []) env[e.name] = localPaths(e.value, mounts);
  expect(step.workingDir).toBe('/gatehouse/work');
  let code = 0;
  let out = '';
  let err = '';
  try {
    out = execFileSync(opts.shell ?? 'sh', ['-c', script], { cwd: localPaths(step.workingDir, mounts), env, encoding: 'utf8', stdio: 'pipe' });
  } catch (e: any) {
    code = e.status;
    out = String(e.stdout ?? '');
    err = String(e.stderr ?? '');
  }
  const written = Object.fromEntries(fs.readdirSync(results).map((r) => [r, fs.readFileSync(path.join(results, r), 'utf8')]));
  return { code, out, err, results: written, src, reports, work };
}

/** What the engine tells gateArgs for a gate over `scans` in pipeline `pipelineName`. */
export function gateOptions(scans: ScanStep[], reports: string[], pipelineName = 'app') {
  const reportFormats = gateReportFormats(scans, reports);
  return { pipelineName, trustDir: '/gatehouse/trust', ...(reportFormats ? { reportFormats } : {}) };
}

/** What every gate step adds to the policy's arguments, before the `--` that starts the reports. */
export const EMIT_OPTIONS = ' --emit-env "$gate_dir/gatehouse.env" --emit-results "$(dirname "$(results.GATE_VERDICT.path)")" -- ';

/** The line of the script that runs the gate, without the emit options (checked to be there, once). */
export function gateCommandLine(step: any): string {
  const line: string | undefined = step.script.split('\n').find((l: string) => l.startsWith('node "$gate" '));
  if (!line) throw new Error('no gate command in the script');
  if (line.split(EMIT_OPTIONS).length !== 2) throw new Error(`the gate command does not emit its values once, before the reports: ${line}`);
  return line.replace(EMIT_OPTIONS, ' -- ');
}

export { pipelineOf, taskOf };
