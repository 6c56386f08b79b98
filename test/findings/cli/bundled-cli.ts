import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support';

/** The bundled gate CLI (`npx projen bundle:cli`). */
export const CLI = join(ROOT, 'assets', 'gatehouse.js');

/** Newest modification time of the gate's sources (src/findings and the core constants it reads). */
function newestSource(): number {
  return Math.max(newestIn(join(ROOT, 'src', 'findings')), newestIn(join(ROOT, 'src', 'core')));
}

function newestIn(dir: string): number {
  return readdirSync(dir).reduce((newest, name) => {
    const path = join(dir, name);
    const st = statSync(path);
    return Math.max(newest, st.isDirectory() ? newestIn(path) : st.mtimeMs);
  }, 0);
}

/**
 * Bundles the CLI as `npx projen bundle:cli` does when it is missing or older than the sources.
 * The bundle is written beside it and renamed into place, so a test running the CLI meanwhile never
 * reads a half-written file.
 */
export function ensureBundledCli(): void {
  if (existsSync(CLI) && statSync(CLI).mtimeMs >= newestSource()) return;
  const b = spawnSync(process.execPath, [join(ROOT, 'scripts', 'bundle-cli.js')], { cwd: ROOT, encoding: 'utf8' });
  if (b.status !== 0) throw new Error(`cannot bundle the CLI: ${b.stderr}`);
}
