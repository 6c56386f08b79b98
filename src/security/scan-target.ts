import { assertPath } from './internal/shell';

/** What kind of thing a scan target is. */
export enum ScanTargetKind {
  /** A folder of the source tree. */
  DIRECTORY = 'DIRECTORY',
  /** An image tarball written by `docker save`, kaniko `--tar-path`, buildah `push docker-archive:` … */
  IMAGE_TARBALL = 'IMAGE_TARBALL',
  /** An OCI image layout archive (`oci-archive`). */
  OCI_ARCHIVE = 'OCI_ARCHIVE',
  /** An image in a registry, pulled by the scanner itself (no Docker daemon). */
  REGISTRY_IMAGE = 'REGISTRY_IMAGE',
  /** An SBOM file (grype scans its packages). */
  SBOM = 'SBOM',
}

const REGISTRY_REF = /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;

/**
 * What an image or SBOM scanner looks at. None of them needs a Docker daemon or privileged mode:
 * tarballs are read as files and registry images are pulled by the scanner.
 */
export class ScanTarget {
  /** A folder of the source tree (relative path). */
  public static directory(path: string): ScanTarget {
    assertPath('scan target', 'directory', path);
    return new ScanTarget(ScanTargetKind.DIRECTORY, path);
  }

  /** An image tarball (docker-archive format), e.g. written by an earlier build step. */
  public static imageTarball(path: string): ScanTarget {
    assertPath('scan target', 'image tarball', path);
    return new ScanTarget(ScanTargetKind.IMAGE_TARBALL, path);
  }

  /** An OCI image layout archive. */
  public static ociArchive(path: string): ScanTarget {
    assertPath('scan target', 'OCI archive', path);
    return new ScanTarget(ScanTargetKind.OCI_ARCHIVE, path);
  }

  /** An image in a registry, e.g. `123456789012.dkr.ecr.eu-west-1.amazonaws.com/app@sha256:…`. */
  public static registryImage(reference: string): ScanTarget {
    if (typeof reference !== 'string' || !REGISTRY_REF.test(reference)) {
      throw new Error(`scan target image reference "${reference}" is not an image reference: use repository[:tag][@sha256:digest]`);
    }
    return new ScanTarget(ScanTargetKind.REGISTRY_IMAGE, reference);
  }

  /** An SBOM file (CycloneDX, SPDX or Syft JSON). */
  public static sbom(path: string): ScanTarget {
    assertPath('scan target', 'SBOM', path);
    return new ScanTarget(ScanTargetKind.SBOM, path);
  }

  private constructor(
    /** What kind of target. */
    public readonly kind: ScanTargetKind,
    /** Path or image reference. */
    public readonly value: string,
  ) {}

  /** Whether the target is a container image (tarball, OCI archive or registry). */
  public get isImage(): boolean {
    return this.kind === ScanTargetKind.IMAGE_TARBALL || this.kind === ScanTargetKind.OCI_ARCHIVE || this.kind === ScanTargetKind.REGISTRY_IMAGE;
  }

  /**
   * The target in Syft / Grype source syntax (`dir:`, `docker-archive:`, `oci-archive:`, `registry:`, `sbom:`).
   * @internal
   */
  public _anchoreSource(): string {
    switch (this.kind) {
      case ScanTargetKind.DIRECTORY:
        return `dir:${this.value}`;
      case ScanTargetKind.IMAGE_TARBALL:
        return `docker-archive:${this.value}`;
      case ScanTargetKind.OCI_ARCHIVE:
        return `oci-archive:${this.value}`;
      case ScanTargetKind.REGISTRY_IMAGE:
        return `registry:${this.value}`;
      default:
        return `sbom:${this.value}`;
    }
  }
}
