/**
 * Runs one pipeline task of synthesized Tekton YAML on this machine the way a TaskRun would: its
 * steps in order, each step's `script` byte for byte, in the source workspace, with the step
 * template's and the step's `env`, honouring `onError: continue` and a failing step's stop.
 *
 * What a cluster provides is replaced, and only that (each replacement is listed here):
 * - Tekton variables `$(workspaces.<w>.path)`, `$(results.<r>.path)`, `$(steps.step-<s>.exitCode.path)`,
 *   `$(context.taskRun.name)`, `$(context.pipelineRun.name)` become local paths and names
 *   (any other `$(…)` Tekton variable is an error, never left for the shell to read);
 * - every workspace becomes a local folder (the source the given one; another workspace a folder
 *   of its root, at the binding's subPath, so tasks run one after the other share it as on a PVC);
 * - every volume mount becomes a local folder (an `emptyDir` a fresh one, a ConfigMap a folder
 *   holding its decoded `binaryData` / `data` keys, a projected volume its ConfigMaps' items), and
 *   absolute paths under a mount path in scripts, env values and working folders follow it; a mount
 *   nested in the source workspace is a link from that folder of the source to the volume's folder;
 * - read-only mounts are not enforced (the tests assert readOnly on the YAML);
 * - the step image is not pulled: the tools come from this machine (the test checks they exist).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';

/** A Kubernetes object as written. */
export type Manifest = Record<string, any>;

/** Reads every document of the YAML files in a folder. */
export function readManifests(dir: string): Manifest[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => YAML.parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJSON() as Manifest));
}

/** The pipeline task named `name` of the (only) Pipeline. */
export function pipelineTask(manifests: Manifest[], name: string): Manifest {
  const pipelines = manifests.filter((m) => m.kind === 'Pipeline');
  if (pipelines.length !== 1) throw new Error(`expected one Pipeline, found ${pipelines.length}`);
  const task = (pipelines[0].spec.tasks as Manifest[]).find((t) => t.name === name);
  if (!task) throw new Error(`no pipeline task "${name}" (tasks: ${(pipelines[0].spec.tasks as Manifest[]).map((t) => t.name).join(', ')})`);
  return task;
}

/** One step's outcome. */
export interface StepRun {
  readonly name: string;
  /** Exit code, or undefined when the step did not run (an earlier step failed). */
  readonly exitCode?: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** What a TaskRun ended with. */
export interface TaskRunResult {
  /** Whether every step that ran succeeded or was allowed to fail (`onError: continue`). */
  readonly succeeded: boolean;
  readonly steps: StepRun[];
  /** Task results by name (the files the steps wrote). */
  readonly results: Record<string, string>;
  /** Local folder standing for each workspace. */
  readonly workspaces: Record<string, string>;
  /** The exit code of the step that failed the task, if one did. */
  readonly failedExitCode?: number;
}

/** Where the run happens. */
export interface TaskRunOptions {
  /** Local folder for the `source` workspace (the sample project). */
  readonly source: string;
  /** Scratch folder for the other workspaces, results, volumes and home. */
  readonly scratch: string;
  /** The objects applied with the Pipeline (ConfigMaps mounted by steps are looked up here). */
  readonly manifests: Manifest[];
  /** Extra environment (e.g. a shared npm cache); the step's own env wins. */
  readonly env?: Record<string, string>;
  /** Per-step timeout in ms. @default 600000 */
  readonly timeoutMs?: number;
  /** TaskRun name. @default `<task>-run` */
  readonly taskRunName?: string;
  /** PipelineRun name. @default `<taskRunName>-pipeline` */
  readonly pipelineRunName?: string;
  /**
   * Local folder of each pipeline workspace other than `source` (subPaths resolve inside it), to
   * share it between task runs. @default a fresh folder per task run
   */
  readonly workspaceRoots?: Record<string, string>;
  /** Values of the pipeline's params the task passes on. @default { 'gatehouse-trigger': 'manual' } (a run created by hand) */
  readonly pipelineParams?: Record<string, string>;
}

const TEKTON_VARIABLE = /\$\(((?:workspaces|results|steps|context|params|tasks)\.[A-Za-z0-9_.-]+)\)/g;

/** Runs the embedded taskSpec of a pipeline task. */
export function runPipelineTask(task: Manifest, o: TaskRunOptions): TaskRunResult {
  const spec = task.taskSpec as Manifest | undefined;
  if (!spec) throw new Error(`pipeline task "${task.name}" has no embedded taskSpec`);
  const taskRunName = o.taskRunName ?? `${task.name}-run`;
  const dir = (...p: string[]) => {
    const d = path.join(o.scratch, ...p);
    fs.mkdirSync(d, { recursive: true });
    return d;
  };
  const pipelineRunName = o.pipelineRunName ?? `${taskRunName}-pipeline`;
  const context = { 'context.taskRun.name': taskRunName, 'context.pipelineRun.name': pipelineRunName };
  const workspaces: Record<string, string> = {};
  const workspaceMounts: Array<[string, string]> = [];
  for (const w of (spec.workspaces ?? []) as Manifest[]) {
    const binding = ((task.workspaces ?? []) as Manifest[]).find((b) => b.name === w.name);
    const bound = String(binding?.workspace ?? w.name);
    let local = o.source;
    if (bound !== 'source') {
      const root = o.workspaceRoots?.[bound] ?? dir('workspaces', bound);
      local = binding?.subPath ? path.join(root, substitute(String(binding.subPath), context)) : root;
      fs.mkdirSync(local, { recursive: true });
    }
    workspaces[w.name] = local;
    workspaceMounts.push([String(w.mountPath ?? `/workspace/${w.name}`), local]);
  }
  const resultsDir = dir('results');
  const volumes = new Map<string, string>();
  for (const v of (spec.volumes ?? []) as Manifest[]) {
    const into = dir('volumes', v.name);
    if (v.configMap) configMapFolder(o.manifests, v.configMap.name, into);
    if (v.projected) projectedFolder(o.manifests, v.projected, into);
    volumes.set(v.name, into);
  }
  const variables = (stepsDir: string): Record<string, string> => {
    const vars: Record<string, string> = { ...context };
    // the task's params: what the pipeline task passes (pipeline params resolved), else their defaults
    const pipelineVars = Object.fromEntries(Object.entries(o.pipelineParams ?? { 'gatehouse-trigger': 'manual' }).map(([k, v]) => [`params.${k}`, v]));
    for (const d of (spec.params ?? []) as Manifest[]) {
      const passed = ((task.params ?? []) as Manifest[]).find((x) => x.name === d.name);
      if (passed && typeof passed.value === 'string' && /^\$\(params\.[A-Za-z0-9_-]+\)$/.test(passed.value)) {
        const v = pipelineVars[passed.value.slice(2, -1)];
        if (v !== undefined) vars[`params.${d.name}`] = v;
      } else if (passed && typeof passed.value === 'string' && /^\$\(context\.[A-Za-z.]+\)$/.test(passed.value)) {
        // a context variable the pipeline task passes (the run's name)
        vars[`params.${d.name}`] = substitute(passed.value, context);
      } else if (d.default !== undefined && typeof d.default === 'string') {
        vars[`params.${d.name}`] = d.default;
      }
    }
    for (const [w, p] of Object.entries(workspaces)) vars[`workspaces.${w}.path`] = p;
    for (const r of (spec.results ?? []) as Manifest[]) vars[`results.${r.name}.path`] = path.join(resultsDir, r.name);
    for (const s of (spec.steps ?? []) as Manifest[]) vars[`steps.step-${s.name}.exitCode.path`] = path.join(stepsDir, `step-${s.name}`, 'exitCode');
    return vars;
  };
  const stepsDir = dir('steps');
  const vars = variables(stepsDir);
  const template = (spec.stepTemplate ?? {}) as Manifest;
  const steps: StepRun[] = [];
  let failedExitCode: number | undefined;
  for (const step of spec.steps as Manifest[]) {
    if (failedExitCode !== undefined) {
      steps.push({ name: step.name, stdout: '', stderr: '' });
      continue;
    }
    const mounts: Array<[string, string]> = [...workspaceMounts];
    for (const m of [...((template.volumeMounts ?? []) as Manifest[]), ...((step.volumeMounts ?? []) as Manifest[])]) {
      const local = volumes.get(m.name);
      if (!local) throw new Error(`step "${step.name}" mounts volume "${m.name}", which the task does not declare`);
      const mountPath = String(m.mountPath);
      mounts.push([mountPath, local]);
      // a volume mounted over a folder of the source: that folder is the volume
      const source = workspaceMounts.find(([p, l]) => l === o.source && mountPath.startsWith(`${p}/`));
      if (source) {
        const nested = path.join(o.source, mountPath.slice(source[0].length + 1));
        fs.rmSync(nested, { recursive: true, force: true });
        fs.mkdirSync(path.dirname(nested), { recursive: true });
        fs.symlinkSync(local, nested);
      }
    }
    const env: Record<string, string> = { ...process.env, ...o.env } as Record<string, string>;
    for (const e of [...((template.env ?? []) as Manifest[]), ...((step.env ?? []) as Manifest[])]) {
      if (e.valueFrom) throw new Error(`step "${step.name}" env ${e.name} comes from a secret: not runnable here`);
      env[e.name] = localPaths(substitute(String(e.value ?? ''), vars), mounts);
    }
    const script = localPaths(substitute(String(step.script ?? ''), vars), mounts);
    if (!script.startsWith('#!')) throw new Error(`step "${step.name}" script has no shebang`);
    const shell = script.slice(2, script.indexOf('\n')).trim();
    if (!fs.existsSync(shell)) throw new Error(`step "${step.name}" runs ${shell}, which this machine does not have`);
    const file = path.join(dir('scripts'), `${step.name}.sh`);
    fs.writeFileSync(file, script, { mode: 0o755 });
    const cwd = localPaths(substitute(String(step.workingDir ?? template.workingDir ?? o.source), vars), mounts);
    const res = spawnSync(shell, [file], { cwd, env, encoding: 'utf8', timeout: o.timeoutMs ?? 600_000 });
    const exitCode = res.status ?? 128;
    fs.mkdirSync(path.join(stepsDir, `step-${step.name}`), { recursive: true });
    fs.writeFileSync(path.join(stepsDir, `step-${step.name}`, 'exitCode'), String(exitCode));
    steps.push({ name: step.name, exitCode, stdout: res.stdout ?? '', stderr: res.stderr ?? '' });
    if (exitCode !== 0 && step.onError !== 'continue') failedExitCode = exitCode;
  }
  const results: Record<string, string> = {};
  for (const r of (spec.results ?? []) as Manifest[]) {
    const f = path.join(resultsDir, r.name);
    if (fs.existsSync(f)) results[r.name] = fs.readFileSync(f, 'utf8');
  }
  return { succeeded: failedExitCode === undefined, steps, results, workspaces, failedExitCode };
}

/** Replaces Tekton variables; one this runner does not know is an error. */
export function substitute(text: string, vars: Record<string, string>): string {
  return text.replace(TEKTON_VARIABLE, (_, name: string) => {
    const v = vars[name];
    if (v === undefined) throw new Error(`Tekton variable $(${name}) is not one this runner substitutes`);
    return v;
  });
}

/** Absolute paths under a mount path (longest mount first) become paths under its local folder. */
export function localPaths(text: string, mounts: Array<[string, string]>): string {
  const sorted = [...mounts].sort((a, b) => b[0].length - a[0].length);
  return text.replace(/(^|[\s"'=])(\/[A-Za-z0-9._/-]+)/g, (all: string, before: string, p: string) => {
    for (const [mount, local] of sorted) {
      if (p === mount || p.startsWith(`${mount}/`)) return before + local + p.slice(mount.length);
    }
    return all;
  });
}

function projectedFolder(manifests: Manifest[], projected: Manifest, into: string): void {
  for (const source of (projected.sources ?? []) as Manifest[]) {
    if (!source.configMap) throw new Error(`projected source ${JSON.stringify(source)} is not a ConfigMap: not runnable here`);
    const cm = manifests.find((m) => m.kind === 'ConfigMap' && m.metadata?.name === source.configMap.name);
    if (!cm) throw new Error(`ConfigMap "${source.configMap.name}" is projected but not among the applied objects`);
    for (const item of (source.configMap.items ?? []) as Manifest[]) {
      const value = cm.data?.[item.key] ?? (cm.binaryData?.[item.key] !== undefined ? Buffer.from(cm.binaryData[item.key], 'base64') : undefined);
      if (value === undefined) throw new Error(`ConfigMap "${source.configMap.name}" has no key ${item.key}`);
      fs.writeFileSync(path.join(into, item.path), value);
    }
  }
}

function configMapFolder(manifests: Manifest[], name: string, into: string): string {
  const cm = manifests.find((m) => m.kind === 'ConfigMap' && m.metadata?.name === name);
  if (!cm) throw new Error(`ConfigMap "${name}" is mounted but not among the applied objects`);
  for (const [k, v] of Object.entries((cm.binaryData ?? {}) as Record<string, string>)) fs.writeFileSync(path.join(into, k), Buffer.from(v, 'base64'));
  for (const [k, v] of Object.entries((cm.data ?? {}) as Record<string, string>)) fs.writeFileSync(path.join(into, k), v);
  return into;
}
