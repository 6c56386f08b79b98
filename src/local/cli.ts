import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Command, CommanderError } from 'commander';
import { LocalEngine } from './engine';
import { hookSteps, installHooks, runHook, uninstallHooks } from './hooks';
import { LiveView } from './live-view';
import { LocalRunnerKind } from './runners/runner';
import { parseTriggerWord } from './trigger';
import type { TriggerKind } from '../core';

/** Where the local CLI writes. */
export interface LocalCliIo {
  out(text: string): void;
  err(text: string): void;
}

const PROCESS_IO: LocalCliIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

/** Thrown for bad input: exit 2. */
class BadInput extends Error {}

/** Whether a value is a gatehouse Pipeline (of any copy of the library). */
function isPipeline(v: unknown): boolean {
  const p = v as { graph?: unknown; requiresOf?: unknown; name?: unknown; stages?: unknown } | undefined;
  return !!p && typeof p === 'object' && typeof p.graph === 'function' && typeof p.requiresOf === 'function' && typeof p.name === 'string' && Array.isArray(p.stages);
}

/**
 * The module loader of TypeScript pipeline modules: jiti (pure JavaScript, no native binary, the
 * loader ESLint uses for `eslint.config.ts`) when it is installed beside gatehouse, else tsx from
 * the project. Undefined when neither is.
 */
function typeScriptLoader(abs: string, tsconfig?: string): { name: string; load: () => any } | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports, import/no-extraneous-dependencies
    const { createJiti } = require('jiti');
    const jiti = createJiti(__filename, { alias: tsconfig ? tsconfigAliases(tsconfig) : undefined, interopDefault: true, moduleCache: false });
    return { name: 'jiti', load: () => jiti(abs) };
  } catch (e) {
    if ((e as { code?: string }).code !== 'MODULE_NOT_FOUND') throw e;
  }
  try {
    // a project's tsx (a devDependency of most TypeScript projects)
    // eslint-disable-next-line @typescript-eslint/no-require-imports, import/no-extraneous-dependencies
    const tsx: { require(id: string, from: string): any } = require('tsx/cjs/api');
    if (tsconfig) process.env.TSX_TSCONFIG_PATH = resolve(tsconfig);
    return { name: 'tsx', load: () => tsx.require(abs, __filename) };
  } catch (e) {
    if ((e as { code?: string }).code !== 'MODULE_NOT_FOUND' && (e as { code?: string }).code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') throw e;
  }
  return undefined;
}

/** The exact (wildcard-free) `compilerOptions.paths` of a tsconfig as loader aliases. */
function tsconfigAliases(tsconfig: string): { [name: string]: string } {
  const file = resolve(tsconfig);
  let json: { compilerOptions?: { baseUrl?: string; paths?: { [name: string]: string[] } } };
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new BadInput(`tsconfig ${tsconfig} cannot be read as JSON (${(e as Error).message}): give a tsconfig without comments, or none`);
  }
  const base = resolve(dirname(file), json.compilerOptions?.baseUrl ?? '.');
  const out: { [name: string]: string } = {};
  for (const [name, targets] of Object.entries(json.compilerOptions?.paths ?? {})) {
    if (!name.includes('*') && targets.length > 0) out[name] = resolve(base, targets[0]);
  }
  return out;
}

/**
 * Loads the module at `file` (TypeScript through jiti or tsx, JavaScript with require) and
 * returns the pipeline it exports (by `name` when it exports several).
 */
export function loadPipeline(file: string, name?: string, tsconfig?: string): any {
  const abs = resolve(file);
  if (!existsSync(abs)) throw new BadInput(`pipeline module ${file} does not exist: give the path of a .ts or .js file that exports a Pipeline`);
  let mod: Record<string, unknown>;
  try {
    if (/\.[cm]?js$/.test(abs)) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      mod = require(abs);
    } else {
      const loader = typeScriptLoader(abs, tsconfig);
      if (!loader) {
        throw new BadInput(`pipeline module ${file} is TypeScript and no TypeScript loader is installed: npm install --save-dev tsx (or jiti), or give the compiled .js file`);
      }
      mod = loader.load();
    }
  } catch (e) {
    if (e instanceof BadInput) throw e;
    throw new BadInput(`pipeline module ${file} cannot be loaded: ${(e as Error).message.split('\n')[0]}`);
  }
  const found = new Map<string, any>();
  for (const value of Object.values(mod ?? {})) {
    if (isPipeline(value)) found.set((value as any).name, value);
  }
  if (found.size === 0) {
    throw new BadInput(`pipeline module ${file} exports no Pipeline: export one (export const pipeline = new Pipeline({...}))`);
  }
  if (name !== undefined) {
    const p = found.get(name);
    if (!p) throw new BadInput(`pipeline module ${file} exports no pipeline named "${name}": it exports ${[...found.keys()].sort().join(', ')}`);
    return p;
  }
  if (found.size > 1) {
    throw new BadInput(`pipeline module ${file} exports ${found.size} pipelines (${[...found.keys()].sort().join(', ')}): choose one with --pipeline NAME`);
  }
  return [...found.values()][0];
}

const collect = (v: string, prev: string[]) => [...prev, v];

function runnerKind(v: string): LocalRunnerKind {
  const kinds = Object.values(LocalRunnerKind) as string[];
  if (!kinds.includes(v)) throw new BadInput(`--runner ${v} is not one of ${kinds.join(', ')}`);
  return v as LocalRunnerKind;
}

function triggerKind(v: string): TriggerKind {
  const k = parseTriggerWord(v);
  if (!k) throw new BadInput(`--trigger ${v} is not one of push, pull_request, schedule, manual`);
  return k;
}

function positiveInt(flag: string) {
  return (v: string) => {
    if (!/^[1-9][0-9]*$/.test(v)) throw new BadInput(`${flag} ${v} is not a whole number of at least 1`);
    return Number(v);
  };
}

/**
 * `gatehouse run PIPELINE_MODULE [options]`: `argv` are the arguments after `run`. Resolves to the
 * exit code: 0 the pipeline succeeded, 1 a step or gate failed, an approval was rejected or waits,
 * or the run was cancelled, 2 bad input.
 */
export async function runLocalCli(argv: string[], io: LocalCliIo = PROCESS_IO): Promise<number> {
  const program = new Command('gatehouse run')
    .description('run a pipeline on this machine (a shell or containers), with the same gates: exit 0 succeeded, 1 failed, 2 bad input')
    .argument('<module>', 'a .ts or .js module that exports a Pipeline')
    .option('--pipeline <name>', 'the pipeline to run, when the module exports several')
    .option('--jobs <n>', 'steps run at the same time (default: the number of CPUs)', positiveInt('--jobs'))
    .option('--env-file <file>', 'NAME=value file secrets are read from before the environment')
    .option('--stage <name>', 'run only this stage (repeatable)', collect, [])
    .option('--trigger <kind>', 'run as started by push, pull_request, schedule or manual: stages limited to other triggers are skipped (default: manual)', triggerKind)
    .option('--approve <stage>', 'approve the approvals and manual interventions of this stage (repeatable)', collect, [])
    .option('--approve-all', 'approve every approval and manual intervention')
    .option('--reject <stage>', 'reject the approvals and manual interventions of this stage (repeatable)', collect, [])
    .option('--source <dir>', 'the source folder (default: the current folder)')
    .option('--in-place', 'run in the source folder instead of a fresh copy')
    .option('--step-timeout <seconds>', 'timeout of every command step, in seconds, in place of the pipeline\'s', positiveInt('--step-timeout'))
    .option('--runner <runner>', 'host, container (podman or docker) or auto: container when a runtime answers and can run the images, else host', runnerKind, LocalRunnerKind.AUTO)
    .option('--container-runtime <program>', 'the container runtime (default: podman, then docker: the first that answers)')
    .option('--plain', 'one plain line per event, also on a terminal')
    .option('--tsconfig <file>', 'tsconfig the TypeScript module is loaded with (paths, e.g. "gatehouse")')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError('(run with --help for usage)');
  let engine: LocalEngine | undefined;
  let view: LiveView | undefined;
  const onSigint = () => {
    io.err('\ngatehouse run: cancelled: ending every step\n');
    engine?.cancel();
  };
  try {
    program.parse(argv, { from: 'user' });
    const opts = program.opts();
    const pipeline = loadPipeline(program.args[0], opts.pipeline, opts.tsconfig);
    engine = new LocalEngine({
      pipeline,
      sourceDir: opts.source,
      inPlace: opts.inPlace,
      jobs: opts.jobs,
      envFile: opts.envFile,
      stages: opts.stage,
      trigger: opts.trigger,
      approve: opts.approve,
      approveAll: opts.approveAll,
      reject: opts.reject,
      stepTimeoutSeconds: opts.stepTimeout,
      runner: opts.runner,
      containerRuntime: opts.containerRuntime,
    });
    // on a terminal, a live view; elsewhere (CI logs), one plain line per event
    if (process.stdout.isTTY === true && !opts.plain) {
      view = new LiveView();
      engine._observe(view);
    }
    process.on('SIGINT', onSigint);
    const result = await engine.run();
    return result.exitCode;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    io.err(`${(e as Error).message.startsWith('gatehouse run') ? '' : 'gatehouse run: '}${(e as Error).message}\n`);
    return 2;
  } finally {
    view?.done();
    process.removeListener('SIGINT', onSigint);
  }
}

/**
 * `gatehouse hooks install|uninstall|run`: `argv` are the arguments after `hooks`. `install`
 * writes the git pre-commit hook and the `.pre-commit-config.yaml` entry; `uninstall` removes
 * them; `run` (what the hook calls) runs the pipeline's secrets and SAST scans over the commit.
 * Resolves to the exit code: 0 done (the commit may go on), 1 a gate or scan failed, 2 bad input.
 */
export async function runHooksCli(argv: string[], io: LocalCliIo = PROCESS_IO): Promise<number> {
  const program = new Command('gatehouse hooks')
    .description('a git pre-commit hook running the pipeline\'s secrets and SAST scans with the same gates, from the same definition')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError('(run with --help for usage)');
  let code = 2;
  program
    .command('install')
    .description('write .git/hooks/pre-commit and a .pre-commit-config.yaml entry (refuses to replace a hook it did not write)')
    .option('--pipeline <module>', 'the .ts or .js module that exports the Pipeline', 'pipeline.ts')
    .option('--tsconfig <file>', 'tsconfig the module is loaded with')
    .action((opts: { pipeline: string; tsconfig?: string }) => {
      loadPipeline(opts.pipeline, undefined, opts.tsconfig); // a module that does not load is refused now, not at the first commit
      const done = installHooks({ cwd: process.cwd(), pipelineModule: opts.pipeline, tsconfig: opts.tsconfig, cli: process.argv[1] });
      io.out(`${done.lines.join('\n')}\nthe hook runs: ${hookSteps(loadPipeline(opts.pipeline, undefined, opts.tsconfig)).join(', ') || 'nothing (no secrets or SAST scan step)'}\n`);
      code = 0;
    });
  program
    .command('uninstall')
    .description('remove the hook and the .pre-commit-config.yaml entry gatehouse wrote, and nothing else')
    .action(() => {
      io.out(`${uninstallHooks(process.cwd()).lines.join('\n')}\n`);
      code = 0;
    });
  program
    .command('run')
    .description('run the pipeline\'s secrets and SAST scans over the commit being made (what the hook calls)')
    .option('--pipeline <module>', 'the .ts or .js module that exports the Pipeline', 'pipeline.ts')
    .option('--name <name>', 'the pipeline to run, when the module exports several')
    .option('--tsconfig <file>', 'tsconfig the module is loaded with')
    .action(async (opts: { pipeline: string; name?: string; tsconfig?: string }) => {
      const result = await runHook(process.cwd(), loadPipeline(opts.pipeline, opts.name, opts.tsconfig));
      (result.exitCode === 0 ? io.out : io.err)(`${result.lines.join('\n')}\n`);
      code = result.exitCode;
    });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    io.err(`gatehouse hooks: ${(e as Error).message}\n`);
    return 2;
  }
}
