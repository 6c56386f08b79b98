import { assertPath } from '../internal/shell';

/** What OpenSCAP evaluates. */
export class OpenScapTarget {
  /** The machine (container) the step runs on. */
  public static buildHost(): OpenScapTarget {
    return new OpenScapTarget(undefined);
  }

  /**
   * An image's root filesystem unpacked into a folder of the source tree (e.g. by an earlier step
   * with `crane export` or `umoci unpack`), evaluated offline through `OSCAP_PROBE_ROOT` the way
   * `oscap-chroot` does: no Docker daemon, no privileged mode.
   */
  public static imageFilesystem(rootDir: string): OpenScapTarget {
    assertPath('openscap target', 'rootDir', rootDir);
    return new OpenScapTarget(rootDir);
  }

  private constructor(
    /** Root folder of an unpacked image, or undefined for the build host. */
    public readonly rootDir?: string,
  ) {}
}
