import { q } from './shell';
import { scratchFile } from './suppressions';

/**
 * A tool's release binary, pinned by the sha256 of its release download, for the tools whose
 * published images have no shell (distroless): the catalog runs them in a shell-bearing image pinned
 * by digest (the catalog's Python image) and, when the image has no such binary, downloads the
 * release (a tar.gz archive, or the plain binary), checks it against the sha256 written into the
 * pipeline, and puts the one binary into the step's temporary folder (outside the source tree). Any
 * other download — a different release, a truncated file, another architecture — stops the step
 * before the tool runs. Checksums are those of the project's own checksums file of the release, as
 * found in independent public files (docs/security-steps.md).
 */
export interface PinnedBinary {
  /** Binary name, and the archive member holding it. */
  readonly name: string;
  /** Release version, for messages. */
  readonly version: string;
  /** HTTPS URL of the release download for linux/amd64: a `.tar.gz` archive, or the binary itself (`packaging: 'binary'`). */
  readonly url: string;
  /** sha256 of the download, 64 lowercase hex digits. */
  readonly sha256: string;
  /**
   * How the release ships the binary: in a tar.gz archive (member `name`) or as the file itself.
   * @default 'tar.gz'
   */
  readonly packaging?: 'tar.gz' | 'binary';
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

/**
 * cosign 2.4.1 for linux/amd64: sigstore ships the plain binary (`cosign-linux-amd64`), no archive.
 * The sha256 is the release's `cosign_checksums.txt` entry, found in several independent public
 * files (install scripts, a CircleCI orb's bootstrap, a Homebrew formula).
 */
export const COSIGN_BINARY: PinnedBinary = {
  name: 'cosign',
  version: '2.4.1',
  url: 'https://github.com/sigstore/cosign/releases/download/v2.4.1/cosign-linux-amd64',
  sha256: '8b24b946dd5809c6bd93de08033bcf6bc0ed7d336b7785787c080f574b89249b',
  packaging: 'binary',
};

/** Downloads a URL to a file with the image's Python (the catalog's Python image has no curl or wget). */
const DOWNLOAD_PY = 'import sys, urllib.request; urllib.request.urlretrieve(sys.argv[1], sys.argv[2])';

/**
 * One command line that makes `b.name` available: the image's own binary when it has one on PATH;
 * else, on linux/amd64, the verified release binary in the step's temporary folder (created before
 * by `scratchDir`), put first on PATH. Needs `python3` and `sha256sum` in the image, and `tar` for
 * an archive.
 */
export function installPinnedBinary(b: PinnedBinary): string {
  const binary = b.packaging === 'binary';
  const urlShape = binary ? /^https:\/\/[\w.-]+(:\d+)?\/[\w./-]+$/ : /^https:\/\/[\w.-]+(:\d+)?\/[\w./-]+\.tar\.gz$/;
  if (!/^[a-f0-9]{64}$/.test(b.sha256) || !urlShape.test(b.url) || !/^[a-z][a-z0-9-]*$/.test(b.name)) {
    throw new Error(`pinned binary ${b.name}: bad url, name or sha256`);
  }
  const download = scratchFile(binary ? `${b.name}.download` : `${b.name}.tar.gz`);
  const fail = (why: string) => `{ echo "gatehouse: ${b.name} ${b.version}: ${why}" >&2; exit 1; }`;
  const place = binary
    ? `mv ${download} ${scratchFile(b.name)} && chmod 0500 ${scratchFile(b.name)} || ${fail('could not place the verified binary')};`
    : `tar -xzf ${download} -C "$gatehouse_scratch" ${b.name} && chmod 0500 ${scratchFile(b.name)} || ${fail('could not unpack the verified archive')};`;
  return [
    `if ! command -v ${b.name} >/dev/null 2>&1; then`,
    `[ "$(uname -m)" = x86_64 ] || ${fail('the verified release binary is for linux/amd64 only: give an image that has it (ScannerImage.of)')};`,
    `python3 -c ${q(DOWNLOAD_PY)} ${q(b.url)} ${download} || ${fail(`could not download ${b.url}`)};`,
    `echo ${q(`${b.sha256}  `)}${download} | sha256sum -c --strict --quiet >/dev/null 2>&1 || ${fail(`the downloaded ${binary ? 'binary' : 'archive'} is not the release whose sha256 the pipeline pins (${b.sha256}): not run`)};`,
    place,
    'PATH="$gatehouse_scratch:$PATH"; export PATH;',
    'fi',
  ].join(' ');
}
