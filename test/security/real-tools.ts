/**
 * Support for tests that run catalog steps with the real scanners installed on this machine: a
 * test that needs a missing tool is skipped with a message (failed under CI, which must install
 * it), and a step's exact commands run in `bash` with `set -e` (the way the engines run a step)
 * in a copy of a sample project from test/samples/.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CatalogScan } from '../../src/security';
import { SAMPLES, withTools as e2eWithTools } from '../e2e/support/tools';

export { ROOT, SAMPLES } from '../e2e/support/tools';

/** A test that needs real tools: skipped with a message when one is missing, failed under CI. */
export function withTools(binaries: string[], install: string, name: string, fn: () => void, timeout?: number): void {
  e2eWithTools(binaries, name, fn, timeout, install);
}

export interface Run {
  readonly status: number;
  readonly stderr: string;
  readonly dir: string;
}

/**
 * Copies a sample project into a fresh folder under `work` and runs the step's exact commands in
 * it, with the step's env. `setup` may change the copy first; `env` adds variables (e.g. caches).
 */
export function runStep(
  step: CatalogScan,
  work: string,
  sample: string,
  options: { setup?: (dir: string) => void; timeout?: number; before?: (dir: string) => void } = {},
): Run {
  const dir = fs.mkdtempSync(path.join(work, `${step.name}-`));
  fs.cpSync(path.join(SAMPLES, sample), dir, { recursive: true });
  fs.chmodSync(dir, 0o755);
  options.before?.(dir);
  options.setup?.(dir);
  const res = spawnSync('bash', ['-c', ['set -e', ...step.commands].join('\n')], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, ...step.env },
    timeout: options.timeout ?? 600_000,
  });
  return { status: res.status ?? -1, stderr: res.stderr, dir };
}
