/**
 * The actions the workflows use, each pinned by the full commit SHA of a release tag (a tag can be
 * moved, a commit cannot). The tag is written beside every `uses:` as a comment. To update one,
 * resolve the new tag to its commit (`git ls-remote https://github.com/<repo> refs/tags/<tag>`)
 * and change both fields here.
 */
export interface PinnedAction {
  /** `owner/repo` or `owner/repo/path`. */
  readonly action: string;
  /** Full commit SHA of the release tag. */
  readonly sha: string;
  /** The release tag the SHA is the commit of. */
  readonly tag: string;
}

/** actions/checkout v7.0.1. */
export const CHECKOUT: PinnedAction = { action: 'actions/checkout', sha: '3d3c42e5aac5ba805825da76410c181273ba90b1', tag: 'v7.0.1' };
/** actions/upload-artifact v7.0.0. */
export const UPLOAD_ARTIFACT: PinnedAction = { action: 'actions/upload-artifact', sha: 'bbbca2ddaa5d8feaa63e36b76fdaad77386f024f', tag: 'v7.0.0' };
/** actions/download-artifact v8.0.1. */
export const DOWNLOAD_ARTIFACT: PinnedAction = { action: 'actions/download-artifact', sha: '3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c', tag: 'v8.0.1' };
/** github/codeql-action/upload-sarif v4.36.2. */
export const UPLOAD_SARIF: PinnedAction = { action: 'github/codeql-action/upload-sarif', sha: '8aad20d150bbac5944a9f9d289da16a4b0d87c1e', tag: 'v4.36.2' };

/** Every action a workflow may use. */
export const PINNED_ACTIONS: readonly PinnedAction[] = [CHECKOUT, UPLOAD_ARTIFACT, DOWNLOAD_ARTIFACT, UPLOAD_SARIF];

/** The `uses:` value of an action: `owner/repo@<sha>`. */
export function uses(a: PinnedAction): string {
  return `${a.action}@${a.sha}`;
}
