import { q } from './shell';
import { scratchFile } from './suppressions';

/**
 * A scanner's release binary, pinned by the sha256 of its release archive, for the scanners whose
 * published images have no shell (distroless): the catalog runs them in a shell-bearing image pinned
 * by digest (the catalog's Python image) and, when the image has no such binary, downloads the
 * release archive, checks it against the sha256 written into the pipeline, and unpacks the one
 * binary into the step's temporary folder (outside the source tree). Any other archive — a
 * different release, a truncated download, another architecture — stops the step before the tool
 * runs. Checksums are those of the project's own `checksums.txt` of the release, as found in
 * independent public files (docs/security-steps.md).
 */
export interface PinnedBinary {
  /** Binary name, and the archive member holding it. */
  readonly name: string;
  /** Release version, for messages. */
  readonly version: string;
  /** HTTPS URL of the release archive (tar.gz) for linux/amd64. */
  readonly url: string;
  /** sha256 of the archive, 64 lowercase hex digits. */
  readonly sha256: string;
}

/** Syft 1.45.1 for linux/amd64. */
export const SYFT_BINARY: PinnedBinary = {
  name: 'syft',
  version: '1.45.1',
  url: 'https://github.com/anchore/syft/releases/download/v1.45.1/syft_1.45.1_linux_amd64.tar.gz',
  sha256: '20c84195e24927f50a3b2269946be51f4c4abc9d2f145fee7388b4199149f716',
};

/** Grype 0.114.0 for linux/amd64. */
export const GRYPE_BINARY: PinnedBinary = {
  name: 'grype',
  version: '0.114.0',
  url: 'https://github.com/anchore/grype/releases/download/v0.114.0/grype_0.114.0_linux_amd64.tar.gz',
  sha256: 'edda0968d8827daab01d32b3cd7de192ae0915005e7bbfcfef9e68e79bc43343',
};

/** Downloads a URL to a file with the image's Python (the catalog's Python image has no curl or wget). */
const DOWNLOAD_PY = 'import sys, urllib.request; urllib.request.urlretrieve(sys.argv[1], sys.argv[2])';

/**
 * One command line that makes `b.name` available: the image's own binary when it has one on PATH;
 * else, on linux/amd64, the verified release binary in the step's temporary folder (created before
 * by `scratchDir`), put first on PATH. Needs `python3`, `sha256sum` and `tar` in the image.
 */
export function installPinnedBinary(b: PinnedBinary): string {
  if (!/^[a-f0-9]{64}$/.test(b.sha256) || !/^https:\/\/[\w.-]+(:\d+)?\/[\w./-]+\.tar\.gz$/.test(b.url) || !/^[a-z][a-z0-9-]*$/.test(b.name)) {
    throw new Error(`pinned binary ${b.name}: bad url, name or sha256`);
  }
  const archive = scratchFile(`${b.name}.tar.gz`);
  const fail = (why: string) => `{ echo "gatehouse: ${b.name} ${b.version}: ${why}" >&2; exit 1; }`;
  return [
    `if ! command -v ${b.name} >/dev/null 2>&1; then`,
    `[ "$(uname -m)" = x86_64 ] || ${fail('the verified release binary is for linux/amd64 only: give an image that has it (ScannerImage.of)')};`,
    `python3 -c ${q(DOWNLOAD_PY)} ${q(b.url)} ${archive} || ${fail(`could not download ${b.url}`)};`,
    `echo ${q(`${b.sha256}  `)}${archive} | sha256sum -c --strict --quiet >/dev/null 2>&1 || ${fail(`the downloaded archive is not the release whose sha256 the pipeline pins (${b.sha256}): not run`)};`,
    `tar -xzf ${archive} -C "$gatehouse_scratch" ${b.name} && chmod 0500 ${scratchFile(b.name)} || ${fail('could not unpack the verified archive')};`,
    'PATH="$gatehouse_scratch:$PATH"; export PATH;',
    'fi',
  ].join(' ');
}
