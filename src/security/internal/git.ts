/** A shell test that succeeds when the working directory is a git repository with at least one commit. */
export const HAS_GIT_HISTORY = 'git rev-parse --verify -q HEAD >/dev/null 2>&1';
