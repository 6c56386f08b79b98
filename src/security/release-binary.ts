import { installPinnedBinary } from './internal/pinned-binary';
import { scratchDir } from './internal/suppressions';

/** How a release ships its linux/amd64 binary. */
export enum ReleasePackaging {
  /** A `.tar.gz` archive holding the binary under its name at the top level. */
  TAR_GZ = 'TAR_GZ',
  /** The binary itself (e.g. `cosign-linux-amd64`, `kubectl`). */
  BINARY = 'BINARY',
}

/** Properties of a release binary. */
export interface ReleaseBinaryProps {
  /** Command name the binary is installed as, e.g. `kubectl` (lowercase letters, digits, `-`). */
  readonly name: string;
  /** Release version, for messages. */
  readonly version: string;
  /** HTTPS URL of the linux/amd64 release download. */
  readonly url: string;
  /** sha256 of the download (64 lowercase hex digits), from the project's own checksums. */
  readonly sha256: string;
  /**
   * How the release ships the binary.
   * @default ReleasePackaging.BINARY
   */
  readonly packaging?: ReleasePackaging;
}

const NAME = /^[a-z][a-z0-9-]*$/;
const SHA256 = /^[a-f0-9]{64}$/;
const URL_SHAPE = /^https:\/\/[\w.-]+(:\d+)?\/[\w./-]+$/;

/**
 * A tool's release binary pinned by sha256, for a command step whose image (e.g. the catalog's
 * pinned `ScannerImage.PYTHON`) lacks the tool: `installCommand()` is one command line that uses the
 * image's own binary when it has one on PATH, and otherwise downloads the release, checks it
 * against the sha256 written into the pipeline and puts it first on PATH from a temporary folder
 * outside the source tree. Any other download stops the step before the tool runs. The catalog's
 * Syft, Grype and cosign entries install their binaries the same way.
 */
export class ReleaseBinary {
  /** A release binary; throws one error listing every bad property. */
  public static of(props: ReleaseBinaryProps): ReleaseBinary {
    return new ReleaseBinary(props);
  }

  /** Command name. */
  public readonly name: string;
  /** Release version. */
  public readonly version: string;
  /** Download URL (linux/amd64). */
  public readonly url: string;
  /** sha256 of the download. */
  public readonly sha256: string;
  /** How the release ships the binary. */
  public readonly packaging: ReleasePackaging;

  private constructor(props: ReleaseBinaryProps) {
    const packaging = props.packaging ?? ReleasePackaging.BINARY;
    const problems: string[] = [];
    if (typeof props.name !== 'string' || !NAME.test(props.name)) problems.push(`name "${props.name}" is not a command name: use lowercase letters, digits and "-"`);
    if (typeof props.version !== 'string' || !/^[A-Za-z0-9._+-]+$/.test(props.version)) problems.push(`version "${props.version}" is empty or has characters a version cannot have`);
    if (typeof props.url !== 'string' || !URL_SHAPE.test(props.url)) {
      problems.push(`url "${props.url}" is not a plain https URL: give the release's download address (letters, digits, ".", "_", "-", "/")`);
    } else if (packaging === ReleasePackaging.TAR_GZ && !props.url.endsWith('.tar.gz')) {
      problems.push(`url "${props.url}" does not end with .tar.gz, and packaging is TAR_GZ: give the archive's address or packaging BINARY`);
    }
    if (typeof props.sha256 !== 'string' || !SHA256.test(props.sha256)) problems.push(`sha256 "${props.sha256}" is not 64 lowercase hex digits: give the download's checksum from the release's checksums file`);
    if (problems.length > 0) throw new Error(`release binary ${props.name}: ${problems.join('; ')}`);
    this.name = props.name;
    this.version = props.version;
    this.url = props.url;
    this.sha256 = props.sha256;
    this.packaging = packaging;
  }

  /**
   * One POSIX `sh` command line that makes `name` runnable in the step (see the class). Needs
   * `python3`, `sha256sum`, `mktemp` (and `tar` for an archive) in the image; put it before the
   * commands that use the tool.
   */
  public installCommand(): string {
    const line = installPinnedBinary({
      name: this.name,
      version: this.version,
      url: this.url,
      sha256: this.sha256,
      packaging: this.packaging === ReleasePackaging.TAR_GZ ? 'tar.gz' : 'binary',
    });
    return `${scratchDir(this.name)}; ${line}`;
  }
}
