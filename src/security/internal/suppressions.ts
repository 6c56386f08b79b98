/**
 * How the catalog keeps in-source suppressions (`# nosec`, `.trivyignore`, `.gitleaksignore`,
 * skip comments, repository config files) from changing a verdict: a suppression is honoured only
 * as an approved exemption of the gatehouse gate. Each entry turns the tool's mechanism off, points
 * the tool at an empty file of its own in a temporary folder outside the source tree, or refuses
 * to scan while the mechanism is present (docs/security-steps.md, "In-source suppressions").
 */
import { q } from './shell';

/** Shell word of the step's temporary folder (created by `scratchDir`, outside the source tree). */
export const SCRATCH = '"$gatehouse_scratch"';

/** A file in the step's temporary folder, as a shell word. */
export function scratchFile(name: string): string {
  return `"$gatehouse_scratch/${name}"`;
}

/**
 * One command line that creates the step's temporary folder with `mktemp -d` and fails the step
 * when it cannot, or when the folder lies inside the source tree (a `TMPDIR` pointing into it).
 */
export function scratchDir(tool: string): string {
  return (
    `gatehouse_scratch="$(mktemp -d)" || { echo "gatehouse: ${tool}: could not create a temporary folder (mktemp -d)" >&2; exit 1; };` +
    ` case "$gatehouse_scratch" in "$PWD"|"$PWD"/*) echo "gatehouse: ${tool}: the temporary folder $gatehouse_scratch is inside the source tree: set TMPDIR to a folder outside it" >&2; exit 1 ;; esac`
  );
}

/** One command line that writes `content` (and a newline) to a file of the temporary folder. */
export function writeScratch(name: string, content: string): string {
  return `printf '%s\\n' ${q(content)} > ${scratchFile(name)}`;
}

/** One command line that creates an empty file in the temporary folder. */
export function emptyScratch(name: string): string {
  return `: > ${scratchFile(name)}`;
}

/**
 * One command line that fails the step when any of `files` (shell words, relative to the source
 * root) exists: for a repository file the tool would read and that no flag turns off.
 */
export function refuseFiles(tool: string, files: string[], why: string): string {
  return (
    `for gatehouse_f in ${files.join(' ')}; do [ ! -e "$gatehouse_f" ] || { echo "gatehouse: ${tool}: the repository holds $gatehouse_f, ${why}:` +
    ' in-source suppressions are not honoured; delete it and request an exemption for each finding it hid" >&2; exit 1; }; done'
  );
}

/**
 * One command line that fails the step when a file under `paths` (shell words) holds a line
 * matching the extended regular expression `pattern`: for inline suppression comments the tool
 * honours without a flag to turn them off. `.git` folders are not searched, nor `skipDirs` (names,
 * or `./`-paths, of folders the tool itself never scans).
 */
export function refuseMarkers(tool: string, paths: string[], pattern: string, what: string, skipDirs: string[] = []): string {
  const prune = ['-name .git', ...skipDirs.map((d) => (d.includes('/') ? `-path ${q(d)}` : `-name ${q(d)}`))].join(' -o ');
  return (
    `gatehouse_marked="$(find ${paths.join(' ')} \\( ${prune} \\) -prune -o -type f -exec grep -lE -e ${q(pattern)} {} + 2>/dev/null | head -n 20)";` +
    ` [ -z "$gatehouse_marked" ] || { echo "gatehouse: ${tool}: ${what} found in: $(printf '%s ' $gatehouse_marked)-` +
    ' in-source suppressions are not honoured; remove them and request an exemption for each finding they hid" >&2; exit 1; }'
  );
}

/**
 * Throws when an extra argument would turn an in-source suppression mechanism back on (or point
 * the tool at a configuration in the source tree) instead of leaving it to the catalog.
 */
export function refuseArgs(where: string, args: string[] | undefined, forbidden: RegExp, fix: string): void {
  const bad = (args ?? []).filter((a) => forbidden.test(a));
  if (bad.length > 0) {
    throw new Error(`${where} extraArgs ${bad.map((a) => JSON.stringify(a)).join(', ')} would let the repository suppress findings: ${fix}`);
  }
}

/**
 * Throws for an option that named a configuration file in the source tree: the repository being
 * judged may not configure its own scanner (skips, excludes, allowlists).
 */
export function refuseRepositoryConfig(where: string, option: string, value: string | undefined, inline: string): void {
  if (value !== undefined) {
    throw new Error(
      `${where} ${option} "${value}" is a file of the repository being judged, which could switch checks off or allowlist findings: ` +
        `give the settings in the pipeline definition with ${inline} instead`,
    );
  }
}
