import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CommandStep, CommandStepProps, Pipeline, Source, Stage, StageOptions } from '../../src';
import { LocalEngine, LocalEngineProps, LocalRunnerKind, LocalRunResult, LocalStepRecord } from '../../src/local';

const made: string[] = [];
/** Removes the source folders (and their runs) made so far. */
export function cleanup(): void {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/** A fresh source folder holding `files` (removed by `cleanup`). */
export function sourceDir(files: Record<string, string> = { 'README.md': 'app\n' }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-local-'));
  made.push(dir);
  for (const [f, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), content);
  }
  return dir;
}

/** A pipeline of the given stages. */
export function pipeline(stages: Stage[], name = 'local-test'): Pipeline {
  return new Pipeline({ name, source: Source.gitHub({ owner: 'acme', repository: 'app', branch: 'main' }), stages });
}

export const cmd = (name: string, commands: string[], props: Partial<CommandStepProps> = {}) => new CommandStep({ name, commands, ...props });
export const build = (name: string, steps: CommandStep[], options: StageOptions = {}) => Stage.buildStage(name, { ...options, steps });

/** Runs a pipeline silently on a source folder (host runner unless `props` names another). */
export function run(p: Pipeline, source: string, props: Partial<LocalEngineProps> = {}): Promise<LocalRunResult> {
  return new LocalEngine({ pipeline: p, sourceDir: source, silent: true, interactive: false, runner: LocalRunnerKind.HOST, ...props }).run();
}

/** The record of one step. */
export function step(r: LocalRunResult, id: string): LocalStepRecord {
  const found = r.steps.find((s) => `${s.stage}/${s.step}` === id);
  if (!found) throw new Error(`no step ${id} in ${r.steps.map((s) => `${s.stage}/${s.step}`).join(', ')}`);
  return found;
}

/** A file of the run's workspace. */
export const ws = (r: LocalRunResult, f: string) => fs.readFileSync(path.join(r.workspace, f), 'utf8');
/** A file of the run folder. */
export const runFile = (r: LocalRunResult, f: string) => fs.readFileSync(path.join(r.runDir, f), 'utf8');

/** Whether a process is alive (a zombie, killed and waiting to be reaped, is not). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // "<pid> (<name>) <state> ...": Z is a zombie (this machine's init may not reap them)
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
