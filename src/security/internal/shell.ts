/**
 * Shell helpers of the catalog. Every command a catalog entry renders is POSIX `sh` (busybox ash,
 * dash and bash all run it), because scanner images range from Debian to distroless-debug.
 */

/** Characters a plain path may hold: no spaces, no shell syntax, no parent-directory escapes. */
const PLAIN_PATH = /^[A-Za-z0-9._\/@+=:,-]+$/;

/** Quotes one shell word. */
export function q(word: string): string {
  return `'${word.replace(/'/g, '\'"\'"\'')}'`;
}

/**
 * Throws unless `path` is a plain relative path inside the source root (absolute paths allowed
 * only when `absolute` is true, for paths inside a scanner image).
 */
export function assertPath(where: string, what: string, path: string, absolute = false): void {
  if (typeof path !== 'string' || path.length === 0) {
    throw new Error(`${where} ${what} is empty: give a path relative to the source root`);
  }
  if (!PLAIN_PATH.test(path)) {
    throw new Error(`${where} ${what} "${path}" is not a plain path: use letters, digits and . _ / @ + = : , - only`);
  }
  if (!absolute && path.startsWith('/')) {
    throw new Error(`${where} ${what} "${path}" is absolute: give a path relative to the source root`);
  }
  if (path.split('/').includes('..')) {
    throw new Error(`${where} ${what} "${path}" leaves the source root: remove ".." from it`);
  }
}

/** Throws unless every extra argument is a non-empty single line. */
export function assertArgs(where: string, args: string[] | undefined): void {
  for (const a of args ?? []) {
    if (typeof a !== 'string' || a.length === 0 || /[\r\n\0]/.test(a)) {
      throw new Error(`${where} extraArgs entry ${JSON.stringify(a)} is empty or spans lines: give one argument per entry`);
    }
  }
}

/**
 * How a scanner's exit codes read. `findings` are the codes that mean "ran and found something";
 * every other non-zero code is an error that fails the step. When `marker` is set, a findings
 * code only counts when the report holds that text (for tools that use the same code for
 * findings and errors, like `npm audit`).
 */
export interface ExitCodes {
  readonly findings: number[];
  readonly marker?: string;
}

/** Exit codes of a tool for which any non-zero code is an error (findings never fail it). */
export const ZERO_ONLY: ExitCodes = { findings: [] };

/**
 * One command line: runs `invocation`, keeps its exit code, and fails the step (with the tool's own
 * code) when the code means an error rather than findings.
 */
export function guarded(tool: string, invocation: string, report: string, codes: ExitCodes): string {
  const fail = (why: string) => `echo "gatehouse: ${tool} ${why}" >&2; exit "$rc"`;
  const error = fail('failed with exit code $rc: a scanner error, not findings');
  const arms: string[] = ['0) ;;'];
  if (codes.findings.length > 0) {
    const list = codes.findings.join('|');
    arms.push(
      codes.marker
        ? `${list}) grep -q ${q(codes.marker)} ${q(report)} 2>/dev/null || { ${fail(`exited $rc without a report holding ${codes.marker.replace(/"/g, '')}: an error, not findings`)}; } ;;`
        : `${list}) ;;`,
    );
  }
  arms.push(`*) ${error} ;;`);
  return `rc=0; ${invocation} || rc=$?; case "$rc" in ${arms.join(' ')} esac`;
}

/** One command line that fails the step when the report is missing or empty (fail closed). */
export function requireReport(tool: string, report: string): string {
  return `[ -s ${q(report)} ] || { echo "gatehouse: ${tool} wrote no report at ${report}: failing closed" >&2; exit 1; }`;
}

/** Extra arguments as shell words, with a leading space when there are any. */
export function extra(args: string[] | undefined): string {
  return (args ?? []).map((a) => ` ${q(a)}`).join('');
}

/**
 * The binary of a tool: found on PATH, else at `/name` (distroless debug images keep it there) or
 * at one of `alsoAt`.
 */
export function bin(name: string, alsoAt: string[] = []): string {
  return `"$(command -v ${name} || ls ${[`/${name}`, ...alsoAt].join(' ')} 2>/dev/null | head -n 1)"`;
}
