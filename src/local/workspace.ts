import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readlinkSync, symlinkSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

/** Folder (relative to the source root) that holds run folders: `.gatehouse/runs/<run id>/`. */
export const RUNS_DIR = '.gatehouse/runs';

/**
 * The files of `source` a run copies: in a git work tree, the tracked files and the untracked ones
 * .gitignore does not exclude (`git ls-files --cached --others --exclude-standard`); elsewhere,
 * every file but `.git`. Run folders are never copied into a run.
 */
export function sourceFiles(source: string): string[] {
  const git = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: source, encoding: 'utf8' });
  let files: string[];
  if (git.status === 0 && !git.error) {
    files = git.stdout.split('\0').filter((f) => f.length > 0 && existsOrLink(join(source, f)));
  } else {
    files = walk(source, '', (rel) => rel === '.git');
  }
  return files.filter((f) => !(f === RUNS_DIR || f.startsWith(`${RUNS_DIR}/`)));
}

function existsOrLink(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

function walk(root: string, rel: string, skip: (rel: string) => boolean): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(root, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (skip(r)) continue;
    if (e.isDirectory()) out.push(...walk(root, r, skip));
    else out.push(r);
  }
  return out;
}

/** Copies the source tree into `workspace` (which must not exist); symlinks stay symlinks. */
export function copySource(source: string, workspace: string): number {
  mkdirSync(workspace, { recursive: true });
  const files = sourceFiles(source);
  for (const f of files) {
    const from = join(source, f);
    const to = join(workspace, f);
    mkdirSync(dirname(to), { recursive: true });
    const st = lstatSync(from);
    if (st.isSymbolicLink()) symlinkSync(readlinkSync(from), to);
    else if (st.isDirectory()) cpSync(from, to, { recursive: true }); // a submodule or nested repository
    else copyFileSync(from, to);
  }
  return files.length;
}

/** A glob (`*`, `?`, `**`) as a regular expression over `/`-separated relative paths. */
export function globRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      re += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') {
      re += '[^/]*';
    } else if (c === '?') {
      re += '[^/]';
    } else {
      re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}$`);
}

/**
 * Files of `workspace` matching `pattern` (a relative path, a folder, or a glob), as relative
 * paths. A pattern that leaves the workspace matches nothing.
 */
export function matchFiles(workspace: string, pattern: string): string[] {
  const clean = pattern.replace(/^\.\//, '');
  if (clean.startsWith('/') || clean.split('/').includes('..')) return [];
  if (!/[*?]/.test(clean)) {
    const p = join(workspace, clean);
    if (!existsSync(p)) return [];
    return lstatSync(p).isDirectory() ? walk(workspace, clean, () => false) : [clean];
  }
  const re = globRegExp(clean);
  const fixed = clean.split('/').findIndex((seg) => /[*?]/.test(seg));
  const base = clean.split('/').slice(0, fixed).join('/');
  if (base && !existsSync(join(workspace, base))) return [];
  return walk(workspace, base, (rel) => rel === '.git' || rel === RUNS_DIR).filter((f) => re.test(f));
}

/** Copies the files matching `patterns` from `workspace` into `dest`, keeping their relative paths. */
export function keepFiles(workspace: string, patterns: string[], dest: string): string[] {
  const kept: string[] = [];
  for (const pattern of patterns) {
    for (const f of matchFiles(workspace, pattern)) {
      const to = join(dest, f);
      mkdirSync(dirname(to), { recursive: true });
      copyFileSync(join(workspace, f), to);
      kept.push(f);
    }
  }
  return [...new Set(kept)];
}

/** `p` relative to `from`, with `/` separators. */
export function relPath(from: string, p: string): string {
  return relative(from, p).split(sep).join('/');
}
