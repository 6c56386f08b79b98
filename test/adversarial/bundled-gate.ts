import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../findings/support';

/** The bundled gate, exactly as pipelines run it. */
export const CLI = join(ROOT, 'assets', 'gatehouse.js');

/** Builds the bundled CLI when the test file runs on its own (`npm test` bundles it first). */
export function ensureCli(): void {
  if (existsSync(CLI)) return;
  const b = spawnSync('npx', ['esbuild', 'src/findings/cli.ts', '--bundle', '--platform=node', '--target=node20', `--outfile=${CLI}`, '--log-level=warning', '--legal-comments=none'], { cwd: ROOT, encoding: 'utf8' });
  if (b.status !== 0) throw new Error(`cannot bundle the CLI: ${b.stderr}`);
}

/** Runs `node assets/gatehouse.js ARGS` in `cwd`; `code` is null when it was killed after `timeoutMs`. */
export function gatehouse(cwd: string, args: string[], timeoutMs = 60_000): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: timeoutMs });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
