import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CommandStep } from '../../src/core';

/** How a fake scanner behaves: its exit code, and what it writes (to a file or to stdout). */
export interface FakeTool {
  readonly exitCode: number;
  /** Report content the fake writes. */
  readonly content?: string;
  /** Where: a file (relative to the work dir) or stdout. */
  readonly writeTo?: string | 'stdout';
}

export interface StepRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly dir: string;
  /**
   * Argument lines each fake was called with; the step's temporary folder (created with
   * `mktemp -d`) reads as `<scratch>`.
   */
  readonly calls: string[];
  /** The files the step left in its temporary folder (outside the work dir), by name. */
  readonly scratch: { [name: string]: string };
}

/** The commands of a step as one POSIX sh script with `set -e`, the way engines run them. */
export function scriptOf(step: CommandStep): string {
  return ['set -e', ...step.commands].join('\n') + '\n';
}

/**
 * Runs a step's exact commands with `sh` in a fresh folder, with fake scanner binaries first on
 * PATH. Fakes log their arguments and behave as told.
 */
export function runWithFakes(step: CommandStep, fakes: { [bin: string]: FakeTool }, setup?: (dir: string) => void): StepRun {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-step-'));
  const binDir = path.join(dir, '.fake-bin');
  fs.mkdirSync(binDir);
  const log = path.join(dir, '.fake-calls');
  for (const [name, f] of Object.entries(fakes)) {
    const write =
      f.content === undefined
        ? ''
        : f.writeTo === 'stdout'
          ? `printf '%s' '${f.content.replace(/'/g, '\'"\'"\'')}'`
          : `mkdir -p "$(dirname '${f.writeTo}')" && printf '%s' '${f.content.replace(/'/g, '\'"\'"\'')}' > '${f.writeTo}'`;
    fs.writeFileSync(
      path.join(binDir, name),
      `#!/bin/sh\necho "${name} $*" >> '${log}'\n${write}\nexit ${f.exitCode}\n`,
      { mode: 0o755 },
    );
  }
  setup?.(dir);
  // the step's `mktemp -d` lands here: outside the work dir, as on a real runner
  const tmpRoot = `${dir}-tmp`;
  fs.mkdirSync(tmpRoot);
  const res = spawnSync('sh', ['-c', scriptOf(step)], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, ...step.env, PATH: `${binDir}:${process.env.PATH}`, HOME: dir, TMPDIR: tmpRoot },
    timeout: 30_000,
  });
  const scratchDirs = fs.readdirSync(tmpRoot);
  const scratch: { [name: string]: string } = {};
  if (scratchDirs.length > 0) {
    const d = path.join(tmpRoot, scratchDirs[0]);
    for (const f of fs.readdirSync(d)) scratch[f] = fs.readFileSync(path.join(d, f), 'utf8');
  }
  const mask = (line: string) => line.split(`${tmpRoot}/`).map((part, i) => (i === 0 ? part : part.replace(/^[^/ ]+/, '<scratch>'))).join('');
  const calls = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').map(mask) : [];
  return { status: res.status ?? -1, stdout: res.stdout, stderr: mask(res.stderr), dir, calls, scratch };
}

/** Removes a run's folder (and its temporary folder). */
export function cleanup(run: StepRun): void {
  fs.rmSync(run.dir, { recursive: true, force: true });
  fs.rmSync(`${run.dir}-tmp`, { recursive: true, force: true });
}
