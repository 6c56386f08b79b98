import { assertPath, q } from '../internal/shell';

/** What kind of artifact cosign signs. */
export enum SignedArtifactKind {
  /** A container image, by digest. */
  IMAGE = 'IMAGE',
  /** A file (signed with `sign-blob`). */
  BLOB = 'BLOB',
}

const DIGEST_REF = /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?@sha256:[a-f0-9]{64}$/;

/**
 * The artifact a cosign step signs, attests or verifies. Images are always addressed by digest:
 * signing a tag signs whatever the tag points to at that moment.
 */
export class SignedArtifact {
  /** An image by digest: `registry/repo[:tag]@sha256:…`. */
  public static image(reference: string): SignedArtifact {
    if (typeof reference !== 'string' || !DIGEST_REF.test(reference)) {
      throw new Error(`signed artifact "${reference}" is not an image reference by digest: use registry/repository@sha256:<digest>`);
    }
    return new SignedArtifact(SignedArtifactKind.IMAGE, reference, undefined);
  }

  /**
   * An image whose `registry/repo[:tag]@sha256:…` reference an earlier step wrote into a file
   * (kaniko `--image-name-with-digest-file`, buildah `--digestfile` plus the name …), read at run
   * time; a reference without a digest fails the step.
   */
  public static imageFromFile(path: string): SignedArtifact {
    assertPath('signed artifact', 'reference file', path);
    return new SignedArtifact(SignedArtifactKind.IMAGE, undefined, path);
  }

  /** A file of the source tree (a release archive, an SBOM …), signed with `sign-blob`. */
  public static blob(path: string): SignedArtifact {
    assertPath('signed artifact', 'blob', path);
    return new SignedArtifact(SignedArtifactKind.BLOB, undefined, path);
  }

  private constructor(
    /** Image or blob. */
    public readonly kind: SignedArtifactKind,
    /** The image reference, when fixed. */
    public readonly reference?: string,
    /** The file: the blob, or the file holding the image reference. */
    public readonly file?: string,
  ) {}

  /**
   * Shell command that sets `$artifact_ref` to the image reference by digest (fails closed on a
   * reference without digest).
   * @internal
   */
  public _readImageRef(): string {
    if (this.reference) return `artifact_ref=${q(this.reference)}`;
    return (
      `artifact_ref="$(head -n 1 ${q(this.file!)} | tr -d '[:space:]')"; ` +
      'case "$artifact_ref" in *@sha256:????????????????????????????????????????????????????????????????) ;; ' +
      `*) echo "gatehouse: ${this.file} holds no image reference by digest (repository@sha256:…)" >&2; exit 1 ;; esac`
    );
  }
}
