import { CHECKOUT, DOWNLOAD_ARTIFACT, UPLOAD_ARTIFACT, UPLOAD_SARIF, uses } from './actions';

/** One step of a job, as written to YAML. */
export type WorkflowStep = Record<string, unknown>;

/** Checks out the commit that triggered the run; the token is not left in the git config. */
export function checkoutStep(path?: string): WorkflowStep {
  return { name: 'checkout', uses: uses(CHECKOUT), with: { ...(path ? { path } : {}), 'persist-credentials': false } };
}

/** Uploads a staged folder as an artifact (hidden files included: reports live under `.gatehouse/`). */
export function uploadStep(props: { name: string; artifact: string; path: string; condition?: string; ifNoFiles: 'warn' | 'error' }): WorkflowStep {
  return {
    name: props.name,
    ...(props.condition ? { if: props.condition } : {}),
    uses: uses(UPLOAD_ARTIFACT),
    with: { 'name': props.artifact, 'path': props.path, 'if-no-files-found': props.ifNoFiles, 'include-hidden-files': true },
  };
}

/** Downloads one artifact of this run, by its exact name, into `path`. */
export function downloadStep(name: string, artifact: string, path: string): WorkflowStep {
  return { name, uses: uses(DOWNLOAD_ARTIFACT), with: { name: artifact, path } };
}

/** Uploads a SARIF file to code scanning, whatever happened before, when the file exists. */
export function sarifStep(name: string, file: string, category: string, checkoutPath?: string): WorkflowStep {
  return {
    name,
    if: `always() && hashFiles('${file}') != ''`,
    uses: uses(UPLOAD_SARIF),
    with: { sarif_file: file, category, ...(checkoutPath ? { checkout_path: checkoutPath } : {}) },
  };
}

/**
 * The shell function printing one sha256 over every file of a folder (names and contents, in
 * byte order of the names). The scan job publishes it for its findings; the gate job recomputes it
 * over what it downloaded and refuses anything else. POSIX sh with find, sort, sha256sum and cut
 * (coreutils or busybox); a missing folder or tool prints nothing or the sha256 of nothing, which
 * no gate accepts.
 */
export const MANIFEST_FUNCTION =
  'gatehouse_manifest() { [ -d "$1" ] || return 1; ( cd "$1" && find . -type f | LC_ALL=C sort | while IFS= read -r f; do sha256sum "$f" || echo "unreadable $f"; done ) | sha256sum | cut -d " " -f 1; }';

/** sha256 of no input: what the manifest of nothing is. A gate never accepts it. */
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
