/**
 * What stands in for CircleCI when the e2e and adversarial tests run a job of a rendered config
 * here, for real, with `sh`: each step as the docker executor would run it, in order, in one
 * "container" (a scratch folder), with the workspace kept between jobs as CircleCI documents it
 * (each `persist_to_workspace` adds a layer; `attach_workspace` applies the layers of the jobs
 * given, in order). Not emulated: images (the host's tools run), contexts, `store_*` uploads
 * (the stored folders are read from the container instead).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { WORK_DIR } from '../../../src/circleci/render/names';

/** One step as it ran. */
export interface StepRun {
  readonly name: string;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A job as it ran. */
export interface JobRun {
  readonly steps: StepRun[];
  /** Exit code of the step that failed the job, or 0. */
  readonly exitCode: number;
  /** The job's `/tmp/gatehouse` (reports kept, test results, statuses). */
  readonly workDir: string;
  /** The checkout. */
  readonly project: string;
}

/** Workflow workspace: the layers persisted so far, by job. */
export class Workspace {
  public readonly layers = new Map<string, string>();
  constructor(private readonly root: string) {}

  /** Adds what `job` persisted from `from` (paths relative to it) as that job's layer. */
  public persist(job: string, from: string, paths: string[]): void {
    const layer = this.layers.get(job) ?? fs.mkdtempSync(path.join(this.root, `layer-${job}-`));
    for (const p of paths) {
      const src = path.join(from, p);
      if (!fs.existsSync(src)) throw new Error(`persist_to_workspace: ${p} does not exist in ${from}`);
      fs.cpSync(src, path.join(layer, p), { recursive: true, verbatimSymlinks: true });
    }
    this.layers.set(job, layer);
  }

  /** Applies the layers of `upstream` (in that order) at `at`. */
  public attach(at: string, upstream: string[]): void {
    fs.mkdirSync(at, { recursive: true });
    for (const job of upstream) {
      const layer = this.layers.get(job);
      if (layer) fs.cpSync(layer, at, { recursive: true, verbatimSymlinks: true });
    }
  }
}

/** Options of one job run. */
export interface RunJobOptions {
  /** The repository the job checks out (copied). */
  readonly repository: string;
  /** A scratch folder for the job's container. */
  readonly scratch: string;
  readonly workspace: Workspace;
  /** Upstream jobs whose layers `attach_workspace` applies, in workflow order. @default none */
  readonly upstream?: string[];
  /** Extra environment (a context's variables). */
  readonly env?: Record<string, string>;
  /** Replaces a step's command before it runs (an attack on the job). */
  readonly tamper?: (stepName: string, command: string) => string;
  /** Only these steps run (by name; checkout and workspace steps always). @default all */
  readonly only?: string[];
}

/** Runs job `name` of `config` as CircleCI would run its steps, `/tmp/gatehouse` moved into the scratch folder. */
export function runJob(config: any, name: string, o: RunJobOptions): JobRun {
  const def = config.jobs[name];
  if (!def) throw new Error(`no job ${name}`);
  const project = path.join(o.scratch, 'project');
  const work = path.join(o.scratch, 'gatehouse');
  const tmp = path.join(o.scratch, 'tmp');
  fs.mkdirSync(tmp, { recursive: true });
  const relocate = (s: string) => s.split(WORK_DIR).join(work);
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: o.scratch, TMPDIR: tmp, CIRCLE_JOB: name, ...def.environment, ...o.env };
  const steps: StepRun[] = [];
  for (const step of def.steps as any[]) {
    if (step === 'checkout') {
      fs.cpSync(o.repository, project, { recursive: true });
      continue;
    }
    if (step.attach_workspace) {
      o.workspace.attach(relocate(step.attach_workspace.at), o.upstream ?? []);
      continue;
    }
    if (step.persist_to_workspace) {
      o.workspace.persist(name, relocate(step.persist_to_workspace.root), step.persist_to_workspace.paths);
      continue;
    }
    if (step.setup_remote_docker || step.store_artifacts || step.store_test_results) continue;
    const run = step.run;
    if (!run) throw new Error(`unknown step ${JSON.stringify(step)}`);
    if (o.only && !o.only.includes(run.name)) continue;
    let command = relocate(run.command);
    if (o.tamper) command = o.tamper(run.name, command);
    const script = path.join(tmp, 'step.sh');
    fs.writeFileSync(script, command);
    const res = spawnSync(run.shell ?? '/bin/sh', [script], { cwd: project, env, encoding: 'utf8', timeout: 120_000 });
    steps.push({ name: run.name, exitCode: res.status ?? -1, stdout: res.stdout, stderr: res.stderr });
    if (res.status !== 0) return { steps, exitCode: res.status ?? -1, workDir: work, project };
  }
  return { steps, exitCode: 0, workDir: work, project };
}
