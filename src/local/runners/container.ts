import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { runProcess, ShellResult } from '../process';
import { Runner, StepPlan, StepRun } from './runner';

/** Container runtimes tried, in order, when none is named. */
export const CONTAINER_RUNTIMES = ['podman', 'docker'];

/** Where the workspace is mounted in every step's container (and the folder its commands start in). */
export const CONTAINER_WORKSPACE = '/workspace';

/** Milliseconds a runtime has to answer `info`. */
const ANSWER_TIMEOUT_MS = 15_000;
/** Milliseconds a pull may take. */
const PULL_TIMEOUT_MS = 10 * 60_000;

/**
 * Variables the runtime's own client reads: a secret of that name cannot be handed over with
 * `--env NAME` (its value would have to sit in the client's own environment).
 */
const CLIENT_VARIABLES = /^(PATH|HOME|USER|TMPDIR|TMP|SHELL|XDG_[A-Z_]+|LD_[A-Z_]+|(CONTAINERS|CONTAINER|DOCKER|PODMAN|BUILDAH|STORAGE|REGISTRY|CNI|NETAVARK)_[A-Z0-9_]*)$/;

/** A container runtime that answered. */
export interface ContainerRuntime {
  /** `podman` or `docker` (or the program named). */
  readonly name: string;
  /** The program run. */
  readonly bin: string;
}

type Env = { [name: string]: string | undefined };

/** What a spawnSync of the runtime gave: exit code and the last lines of its error output. */
function call(bin: string, args: string[], env: Env, timeout: number): { ok: boolean; out: string; err: string } {
  const r = spawnSync(bin, args, { env: env as NodeJS.ProcessEnv, encoding: 'utf8', timeout, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) return { ok: false, out: '', err: (r.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not installed' : r.error.message };
  const err = (r.stderr ?? '').trim().split('\n').filter((l) => l.trim()).slice(-2).join(' / ');
  return { ok: r.status === 0, out: (r.stdout ?? '').trim(), err: err || `exit ${r.status ?? r.signal}` };
}

/**
 * The first runtime that answers (`<runtime> info` exits 0): `explicit` only when given, else
 * podman, then docker. Returns the runtime, or the reason each one did not answer.
 */
export function findRuntime(env: Env, explicit?: string): ContainerRuntime | { problems: string[] } {
  const problems: string[] = [];
  for (const bin of explicit ? [explicit] : CONTAINER_RUNTIMES) {
    const r = call(bin, ['info'], env, ANSWER_TIMEOUT_MS);
    if (r.ok) return { name: bin.split('/').pop()!, bin };
    problems.push(`${bin} info: ${r.err}`);
  }
  return { problems };
}

/** The image's id (`sha256:<hex>`, the digest of its configuration), or undefined when it is not here. */
function imageId(rt: ContainerRuntime, ref: string, env: Env): string | undefined {
  const r = call(rt.bin, ['image', 'inspect', '--format', '{{.Id}}', ref], env, ANSWER_TIMEOUT_MS);
  if (!r.ok) return undefined;
  const id = r.out.split('\n')[0].trim();
  if (/^sha256:[0-9a-f]{64}$/.test(id)) return id;
  if (/^[0-9a-f]{64}$/.test(id)) return `sha256:${id}`;
  return undefined;
}

/** Options of the `run` command every step's container gets (before its image). */
export interface ContainerCommand {
  readonly bin: string;
  /** The container's name: what a timeout or a cancel kills. */
  readonly name: string;
  /** The image id (`sha256:<hex>`). */
  readonly imageId: string;
  readonly shell: string;
  readonly script: string;
  readonly workspace: string;
  readonly privileged: boolean;
  readonly env: { [name: string]: string };
  /** Names of the secret variables: passed as `--env NAME`, their values in the client's environment. */
  readonly secretNames: string[];
}

/**
 * The argv of one step's container: removed when it ends, named, the workspace mounted at
 * /workspace and its working folder, privileged only when the step asks, plain variables as
 * `--env NAME=value`, secrets as `--env NAME` (never their values), the image by id, then
 * `<shell> -e -c <script>`.
 */
export function containerArgv(c: ContainerCommand): string[] {
  const argv = [c.bin, 'run', '--rm', '--name', c.name, '--volume', `${c.workspace}:${CONTAINER_WORKSPACE}`, '--workdir', CONTAINER_WORKSPACE];
  if (c.privileged) argv.push('--privileged');
  const secret = new Set(c.secretNames);
  for (const [k, v] of Object.entries(c.env)) if (!secret.has(k)) argv.push('--env', `${k}=${v}`);
  for (const k of c.secretNames) argv.push('--env', k);
  argv.push(c.imageId, c.shell, '-e', '-c', c.script);
  return argv;
}

/** Problems of running these steps in containers, whatever the runtime: one line each. */
export function containerPlanProblems(plans: StepPlan[], workspace?: string): string[] {
  const problems: string[] = [];
  for (const p of plans) {
    if (p.image.startsWith('-') || /\s/.test(p.image)) problems.push(`${p.id} image "${p.image}" is not an image reference: name an image (registry/name:tag or @sha256:digest)`);
    for (const s of p.secretNames) {
      if (CLIENT_VARIABLES.test(s)) problems.push(`${p.id} secret variable ${s} is one the container runtime itself reads: rename the variable`);
    }
  }
  if (workspace !== undefined && /[:,]/.test(workspace)) problems.push(`the workspace ${workspace} has ":" or ",": a container cannot mount it: run from a folder without them`);
  return problems;
}

/**
 * Runs each step in its image with docker or podman: every image resolved once, before the run,
 * to its id (pulled when it is not here), and every step run by that id, so the whole run uses the
 * same images whatever their tags do meanwhile. Timeouts and cancels kill the container by name.
 */
export class ContainerRunner implements Runner {
  /**
   * Prepares a run: the runtime that answers, every image's id, and one container started from
   * the first image to check the runtime can run containers here. Returns the runner, or every
   * problem found.
   */
  public static prepare(plans: StepPlan[], env: Env, explicitRuntime?: string): ContainerRunner | { problems: string[] } {
    const problems = containerPlanProblems(plans);
    if (problems.length > 0) return { problems };
    const found = findRuntime(env, explicitRuntime);
    if ('problems' in found) return { problems: [`no container runtime answers (${found.problems.join('; ')})`] };
    const rt = found;
    const ids = new Map<string, string>();
    for (const ref of [...new Set(plans.map((p) => p.image))]) {
      let id = imageId(rt, ref, env);
      if (!id) {
        const pulled = call(rt.bin, ['pull', ref], env, PULL_TIMEOUT_MS);
        id = imageId(rt, ref, env);
        if (!id) {
          problems.push(`image ${ref} is not in ${rt.name} and cannot be pulled (${pulled.err}): pull or load it first`);
          continue;
        }
      }
      ids.set(ref, id);
    }
    if (problems.length > 0) return { problems };
    const runner = new ContainerRunner(rt, ids);
    const first = plans[0];
    if (first) {
      const name = runner.nextName();
      const probe = call(rt.bin, ['run', '--rm', '--name', name, ids.get(first.image)!, first.shell, '-c', 'true'], env, 5 * 60_000);
      if (!probe.ok) {
        call(rt.bin, ['rm', '-f', name], env, ANSWER_TIMEOUT_MS);
        return { problems: [`${rt.name} cannot start a container from ${first.image} here (${probe.err})`] };
      }
    }
    return runner;
  }

  public readonly name = 'container';
  public readonly notes: string[];
  private readonly prefix = `gatehouse-${randomBytes(4).toString('hex')}`;
  private count = 0;

  private constructor(private readonly rt: ContainerRuntime, private readonly ids: Map<string, string>) {
    this.notes = [
      `runner container (${rt.name}): each step in its image, the workspace mounted at ${CONTAINER_WORKSPACE}; images: ${[...ids].map(([ref, id]) => `${ref} → ${id.slice(0, 19)}`).join(', ')}`,
    ];
  }

  public imageOf(image: string): string | undefined {
    return this.ids.get(image);
  }

  public async run(step: StepRun): Promise<ShellResult> {
    const name = this.nextName();
    const argv = containerArgv({
      bin: this.rt.bin,
      name,
      imageId: this.ids.get(step.image)!,
      shell: step.shell,
      script: step.script,
      workspace: step.workspace,
      privileged: step.privileged,
      env: step.env,
      secretNames: [...step.secrets.keys()],
    });
    // the secrets' values live only in the client's environment, never on its command line
    const clientEnv: NodeJS.ProcessEnv = { ...step.baseEnv, ...Object.fromEntries(step.secrets) };
    let kill: Promise<void> | undefined;
    const result = await runProcess({
      argv,
      cwd: step.workspace,
      env: clientEnv,
      timeoutMs: step.timeoutMs,
      output: step.output,
      cancel: step.cancel,
      onStop: () => {
        kill = quiet(this.rt.bin, ['kill', name], step.baseEnv);
      },
    });
    if (kill) {
      await kill;
      await quiet(this.rt.bin, ['rm', '-f', name], step.baseEnv);
      step.output(`gatehouse: container ${name} was killed\n`);
    } else if (result.exitCode === 125) {
      step.output(`gatehouse: ${this.rt.name} could not run the step's container (exit 125)\n`);
    }
    return result;
  }

  private nextName(): string {
    return `${this.prefix}-${++this.count}`;
  }
}

/** Runs a runtime command, ignoring its output and outcome. */
function quiet(bin: string, args: string[], env: Env): Promise<void> {
  return new Promise((resolve) => {
    const c = spawn(bin, args, { env: env as NodeJS.ProcessEnv, stdio: 'ignore' });
    c.on('error', () => resolve());
    c.on('close', () => resolve());
  });
}
