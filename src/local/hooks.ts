import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { parseDocument, YAMLMap, YAMLSeq } from 'yaml';
import { LocalEngine } from './engine';
import { LocalRunResult, LocalStepStatus } from './records';

/** The line that marks a pre-commit hook gatehouse wrote (uninstall removes only such a hook). */
export const HOOK_MARKER = '# gatehouse pre-commit hook: written by `gatehouse hooks install`, removed by `gatehouse hooks uninstall`';
/** The id of gatehouse's entry in `.pre-commit-config.yaml`. */
export const PRE_COMMIT_HOOK_ID = 'gatehouse-scans';
/** Scan categories the hook runs: quick ones over the code being committed. */
export const HOOK_CATEGORIES = ['SECRETS', 'SAST'];

/** Where the hook is installed and what it runs. */
export interface HookInstallOptions {
  /** A folder inside the git work tree. */
  readonly cwd: string;
  /** The pipeline module, as given (relative to `cwd` or absolute). */
  readonly pipelineModule: string;
  /** tsconfig the module is loaded with. @default - none */
  readonly tsconfig?: string;
  /** The gatehouse CLI the hook runs (`node <cli> hooks run ...`). */
  readonly cli: string;
  /** The node binary the hook runs it with. @default process.execPath */
  readonly node?: string;
}

/** What install or uninstall did: one line per file. */
export interface HookChange {
  readonly lines: string[];
}

function git(cwd: string, args: string[], input?: string): string {
  const res = spawnSync('git', args, { cwd, encoding: 'utf8', input });
  if (res.error || res.status !== 0) {
    throw new Error(`git ${args.join(' ')} failed in ${cwd}: ${(res.stderr || res.error?.message || '').trim()}: run it inside a git work tree`);
  }
  return res.stdout;
}

/** The top of the work tree and the hooks folder git uses (core.hooksPath respected). */
export function gitPaths(cwd: string): { top: string; hooksDir: string } {
  const top = git(cwd, ['rev-parse', '--show-toplevel']).trim();
  const hooks = git(cwd, ['rev-parse', '--git-path', 'hooks']).trim();
  return { top, hooksDir: isAbsolute(hooks) ? hooks : resolve(cwd, hooks) };
}

const sh = (word: string) => `'${word.replace(/'/g, '\'"\'"\'')}'`;

/** The command the hook and the pre-commit entry run, from the top of the work tree. */
function hookCommand(o: HookInstallOptions, top: string): string[] {
  const module = relative(top, resolve(o.cwd, o.pipelineModule)).split('\\').join('/');
  const args = [o.node ?? process.execPath, resolve(o.cli), 'hooks', 'run', '--pipeline', module];
  if (o.tsconfig) args.push('--tsconfig', relative(top, resolve(o.cwd, o.tsconfig)).split('\\').join('/'));
  return args;
}

/**
 * Writes `.git/hooks/pre-commit` (running the pipeline's secrets and SAST scans over the commit
 * with the local engine and the same gates) and a `repo: local` entry in `.pre-commit-config.yaml`
 * for the pre-commit framework. Refuses to replace a pre-commit hook it did not write.
 */
export function installHooks(o: HookInstallOptions): HookChange {
  const { top, hooksDir } = gitPaths(o.cwd);
  if (!existsSync(resolve(o.cwd, o.pipelineModule))) {
    throw new Error(`pipeline module ${o.pipelineModule} does not exist: give --pipeline the path of the .ts or .js file that exports the Pipeline`);
  }
  const hook = join(hooksDir, 'pre-commit');
  if (existsSync(hook) && !readFileSync(hook, 'utf8').includes(HOOK_MARKER)) {
    throw new Error(
      `${hook} exists and gatehouse did not write it: it is left as it is. To run both, move it to ${hook}.local, install again, ` +
        `then add the line \`"$(dirname "$0")/pre-commit.local" "$@" || exit $?\` to the new hook; or call \`gatehouse hooks run --pipeline ${o.pipelineModule}\` from your hook`,
    );
  }
  const command = hookCommand(o, top);
  mkdirSync(hooksDir, { recursive: true });
  writeFileSync(hook, ['#!/bin/sh', HOOK_MARKER, '# the secrets and SAST scans of the pipeline, over the commit, with the same gates', `cd ${sh(top)} || exit 2`, `exec ${command.map(sh).join(' ')}`, ''].join('\n'));
  chmodSync(hook, 0o755);
  const lines = [`wrote ${hook}`];

  const configFile = join(top, '.pre-commit-config.yaml');
  const doc = parseDocument(existsSync(configFile) ? readFileSync(configFile, 'utf8') : 'repos: []\n');
  if (doc.errors.length > 0) throw new Error(`${configFile} is not YAML (${doc.errors[0].message}): fix it, then install again`);
  if (!doc.has('repos')) doc.set('repos', doc.createNode([]));
  const repos = doc.get('repos') as YAMLSeq;
  if (!(repos instanceof YAMLSeq)) throw new Error(`${configFile} "repos" is not a list: fix it, then install again`);
  repos.flow = false;
  removeEntry(repos);
  repos.add(doc.createNode({
    repo: 'local',
    hooks: [{
      id: PRE_COMMIT_HOOK_ID,
      name: 'gatehouse: secrets and SAST scans of the pipeline',
      entry: command.join(' '),
      language: 'system',
      pass_filenames: false,
      always_run: true,
      stages: ['pre-commit'],
    }],
  }));
  writeFileSync(configFile, doc.toString({ lineWidth: 0 }));
  lines.push(`wrote the ${PRE_COMMIT_HOOK_ID} entry of ${configFile}`);
  return { lines };
}

/** Removes gatehouse's entry (a `repo: local` whose hooks are all gatehouse's) from `repos`. */
function removeEntry(repos: YAMLSeq): boolean {
  let removed = false;
  for (let i = repos.items.length - 1; i >= 0; i--) {
    const repo = repos.items[i];
    if (!(repo instanceof YAMLMap) || repo.get('repo') !== 'local') continue;
    const hooks = repo.get('hooks');
    if (!(hooks instanceof YAMLSeq)) continue;
    const ours = hooks.items.filter((h) => h instanceof YAMLMap && h.get('id') === PRE_COMMIT_HOOK_ID);
    if (ours.length === 0) continue;
    removed = true;
    if (ours.length === hooks.items.length) repos.items.splice(i, 1);
    else hooks.items = hooks.items.filter((h) => !ours.includes(h));
  }
  return removed;
}

/** Removes what `installHooks` wrote, and only that. */
export function uninstallHooks(cwd: string): HookChange {
  const { top, hooksDir } = gitPaths(cwd);
  const lines: string[] = [];
  const hook = join(hooksDir, 'pre-commit');
  if (existsSync(hook)) {
    if (readFileSync(hook, 'utf8').includes(HOOK_MARKER)) {
      unlinkSync(hook);
      lines.push(`removed ${hook}`);
    } else {
      lines.push(`left ${hook}: gatehouse did not write it`);
    }
  }
  const configFile = join(top, '.pre-commit-config.yaml');
  if (existsSync(configFile)) {
    const doc = parseDocument(readFileSync(configFile, 'utf8'));
    const repos = doc.get('repos');
    if (doc.errors.length === 0 && repos instanceof YAMLSeq && removeEntry(repos)) {
      if (repos.items.length === 0 && doc.contents instanceof YAMLMap && doc.contents.items.length === 1) {
        unlinkSync(configFile);
        lines.push(`removed ${configFile} (it held only the ${PRE_COMMIT_HOOK_ID} entry)`);
      } else {
        writeFileSync(configFile, doc.toString({ lineWidth: 0 }));
        lines.push(`removed the ${PRE_COMMIT_HOOK_ID} entry of ${configFile}`);
      }
    }
  }
  if (lines.length === 0) lines.push('no gatehouse hook is installed here');
  return { lines };
}

/** The steps the hook runs: every scan step of a category in `HOOK_CATEGORIES`, as `stage/step`. */
export function hookSteps(pipeline: any): string[] {
  const ids: string[] = [];
  for (const stage of pipeline.stages) {
    for (const step of stage.steps) {
      if (step.kind === 'scan' && HOOK_CATEGORIES.includes(String(step.category).toUpperCase())) ids.push(`${stage.name}/${step.name}`);
    }
  }
  return ids;
}

/** What a hook run did. */
export interface HookRunResult {
  /** 0 the commit may go on, 1 a gate failed (or a scan failed), 2 bad input. */
  readonly exitCode: number;
  /** The local run, when one ran. */
  readonly run?: LocalRunResult;
  readonly lines: string[];
}

/**
 * Runs the pipeline's secrets and SAST scan steps, each followed by its gate, over the commit
 * being made: the index (every tracked file as staged, not the work tree) checked out into a
 * temporary folder. Nothing to commit: nothing runs. The run folder is kept under
 * `.gatehouse/runs/` of the work tree.
 */
export async function runHook(
  cwd: string, pipeline: any, options: { gateCli?: string; env?: { [name: string]: string } } = {},
): Promise<HookRunResult> {
  const { top } = gitPaths(cwd);
  const staged = git(top, ['diff', '--cached', '--name-only', '-z', '--diff-filter=ACMR']).split('\0').filter(Boolean);
  if (staged.length === 0) return { exitCode: 0, lines: ['gatehouse hook: nothing staged, nothing to scan'] };
  const steps = hookSteps(pipeline);
  if (steps.length === 0) return { exitCode: 0, lines: [`gatehouse hook: pipeline ${pipeline.name} has no secrets or SAST scan step: nothing to run`] };
  const snapshot = mkdtempSync(join(tmpdir(), 'gatehouse-hook-'));
  try {
    // the commit as it will be recorded: the index, not the work tree
    git(top, ['checkout-index', '--all', `--prefix=${snapshot}/`]);
    const run = await new LocalEngine({
      pipeline,
      sourceDir: snapshot,
      inPlace: true,
      runsDir: join(top, '.gatehouse', 'runs'),
      steps,
      silent: true,
      interactive: false,
      gateCli: options.gateCli,
      env: options.env,
    }).run();
    const lines = run.steps.filter((s) => s.status !== LocalStepStatus.NOT_SELECTED).map((s) =>
      `${s.status === LocalStepStatus.SUCCEEDED ? '✓' : '✗'} ${s.stage}/${s.step}: ${s.status}${s.gate ? `, gate ${s.gate.verdict}` : ''}` +
        (s.gate && s.gate.verdict !== 'PASSED'
          ? ` (findings: ${join(run.runDir, s.gate.outputs, 'gatehouse.md')})`
          : s.status === LocalStepStatus.FAILED && s.log ? ` (log: ${join(run.runDir, s.log)})` : ''),
    );
    if (run.exitCode !== 0) {
      lines.push(`gatehouse hook: the commit is refused: fix the findings, or ask for an exemption (the gate is the one CI runs); run folder: ${run.runDir}`);
    }
    return { exitCode: run.exitCode, run, lines };
  } finally {
    rmSync(snapshot, { recursive: true, force: true });
  }
}
