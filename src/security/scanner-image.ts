/** Where the digest of a catalog image comes from (see docs/security-steps.md). */
export enum DigestProvenance {
  /** The tag and digest appear together in a cited public repository file (repository and path recorded). */
  CITED = 'CITED',
  /** The same tag and digest appear together in several independent public files (their repositories are not recorded). */
  CORROBORATED = 'CORROBORATED',
  /** The digest was seen in one public project only: re-resolve it before relying on it. */
  UNVERIFIED = 'UNVERIFIED',
  /** No published digest was found: the image is referenced by its tag only. Pin it with `ScannerImage.of`. */
  NONE = 'NONE',
  /** Given by the user with `ScannerImage.of`. */
  USER = 'USER',
}

/** Properties of a scanner image. */
export interface ScannerImageProps {
  /** Repository, e.g. `aquasec/trivy` or `ghcr.io/gitleaks/gitleaks`. */
  readonly repository: string;
  /** Tag, kept for people reading the reference (the digest decides what runs). */
  readonly tag: string;
  /**
   * Digest `sha256:<64 hex>`.
   * @default - none: the image is referenced by tag only (provenance NONE)
   */
  readonly digest?: string;
  /**
   * Where the digest comes from.
   * @default DigestProvenance.USER
   */
  readonly provenance?: DigestProvenance;
  /**
   * The source of the digest (a repository and path, or a description of the public files).
   * @default - none
   */
  readonly source?: string;
  /**
   * How the image gets a shell (the catalog's commands need POSIX `sh`).
   * @default - the image ships a shell
   */
  readonly shell?: string;
  /**
   * Path of a POSIX shell in the image; engines start the commands with it (e.g. a Tekton script's
   * shebang). Distroless debug images have no `/bin/sh`, only `/busybox/sh`.
   * @default '/bin/sh'
   */
  readonly shellPath?: string;
}

const REPOSITORY = /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/**
 * A container image that runs a catalog scanner, pinned by digest (`repository:tag@sha256:…`).
 * The static members are the catalog defaults; `ScannerImage.of` pins any other image.
 */
export class ScannerImage {
  /** Bandit's own image (PyCQA publishes `latest`; the digest pins one build). */
  public static readonly BANDIT = new ScannerImage({
    repository: 'ghcr.io/pycqa/bandit/bandit',
    tag: 'latest',
    digest: 'sha256:3fd754dc770eacef5aeff3ed3e43f821f1c0eb18194fa0061c83b3e03a16b33f',
    provenance: DigestProvenance.UNVERIFIED,
    source: 'one public project pinning the published image digest (repository not recorded)',
  });

  /** Semgrep CE. */
  public static readonly SEMGREP = new ScannerImage({
    repository: 'semgrep/semgrep',
    tag: 'latest',
    digest: 'sha256:027ea6e8a009cbf0031df5abe9d1491ca82656fe7c584257c198ab680d770eb7',
    provenance: DigestProvenance.CITED,
    source: 'pankajmouriyakong/shared-actions-pankaj: security-actions/build/dockerfiles/semgrep.Dockerfile (a copy of Kong/public-shared-actions)',
  });

  /** Python (pip-audit and safety are installed into it at a pinned version when missing). */
  public static readonly PYTHON = new ScannerImage({
    repository: 'python',
    tag: '3.12.7-slim-bookworm',
    digest: 'sha256:032c52613401895aa3d418a4c563d2d05f993bc3ecc065c8f4e2280978acd249',
    provenance: DigestProvenance.CITED,
    source: 'nalabelle/build: images/digests.Dockerfile (Renovate-pinned); the same digest is pinned as python:3.12-slim-bookworm elsewhere',
  });

  /** Node.js (npm audit, cyclonedx-npm and secretlint run in it). */
  public static readonly NODE = new ScannerImage({
    repository: 'node',
    tag: '22.14.0-bookworm-slim',
    digest: 'sha256:bac8ff0b5302b06924a5e288fb4ceecef9c8bb0bb92515985d2efdc3a2447052',
    provenance: DigestProvenance.CORROBORATED,
    source: 'pinned as node:22.14.0-slim / 22.14.0-bookworm-slim in ten or more independent public Dockerfiles, several Renovate-managed',
  });

  /** OSV-Scanner v2. */
  public static readonly OSV_SCANNER = new ScannerImage({
    repository: 'ghcr.io/google/osv-scanner',
    tag: 'v2.4.0',
    digest: 'sha256:5116601dedc01c1c580eb92371883ec052fc4c13c3fbc109d621a63ac416d475',
    provenance: DigestProvenance.CORROBORATED,
    source: 'three independent public files (one names the tag v2.4.0)',
    shell: 'Alpine base: /bin/sh',
  });

  /** Trivy (fs, image and config scans). */
  public static readonly TRIVY = new ScannerImage({
    repository: 'aquasec/trivy',
    tag: '0.50.0',
    digest: 'sha256:a195a07b467618b7683b9170338bcfd7423b2aa5b869e7ef49ab9e3c0af4d130',
    provenance: DigestProvenance.CITED,
    source: 'nikitabarskov/dev: Dockerfile (Renovate-pinned FROM line); the same file pins 0.43.1 to the digest that tektoncd/catalog task/trivy-scanner/0.3 uses',
    shell: 'Alpine base: /bin/sh',
  });

  /** Gitleaks v8. */
  public static readonly GITLEAKS = new ScannerImage({
    repository: 'ghcr.io/gitleaks/gitleaks',
    tag: 'v8.30.1',
    digest: 'sha256:c00b6bd0aeb3071cbcb79009cb16a60dd9e0a7c60e2be9ab65d25e6bc8abbb7f',
    provenance: DigestProvenance.CORROBORATED,
    source: 'ten or more independent public files pin ghcr.io/gitleaks/gitleaks or zricethezav/gitleaks v8.30.1 to this digest',
    shell: 'Alpine base with bash and git (gitleaks/gitleaks Dockerfile)',
  });

  /** TruffleHog v3. */
  public static readonly TRUFFLEHOG = new ScannerImage({
    repository: 'trufflesecurity/trufflehog',
    tag: '3.96.0',
    digest: 'sha256:aa821cf4ace8861c7d096d83818cdf7bb9719028a52d37a52eaad44086a52577',
    provenance: DigestProvenance.CORROBORATED,
    source: 'ten or more independent public files pin trufflesecurity/trufflehog (or ghcr.io/…) 3.96.0 to this digest',
    shell: 'Alpine base: /bin/sh',
  });

  /** Syft, debug variant: the default Syft image is distroless and has no shell. */
  public static readonly SYFT = new ScannerImage({
    repository: 'anchore/syft',
    tag: 'v1.45.1-debug',
    provenance: DigestProvenance.NONE,
    source: 'no published digest found for a -debug tag; pin it with ScannerImage.of',
    shell: 'distroless debug base: busybox at /busybox, the binary at /syft',
    shellPath: '/busybox/sh',
  });

  /** Grype, debug variant: the default Grype image is distroless and has no shell. */
  public static readonly GRYPE = new ScannerImage({
    repository: 'anchore/grype',
    tag: 'v0.114.0-debug',
    provenance: DigestProvenance.NONE,
    source: 'no published digest found for a -debug tag; pin it with ScannerImage.of',
    shell: 'distroless debug base: busybox at /busybox, the binary at /grype',
    shellPath: '/busybox/sh',
  });

  /** Checkov 3. */
  public static readonly CHECKOV = new ScannerImage({
    repository: 'bridgecrew/checkov',
    tag: '3.2.334',
    digest: 'sha256:888060aaaa6f4499fd3b00a1a03185ed760937b049d438fa6e00b3203a5d613e',
    provenance: DigestProvenance.UNVERIFIED,
    source: 'one public project pinning checkov 3.2.334 to this digest (repository not recorded)',
  });

  /** KICS. */
  public static readonly KICS = new ScannerImage({
    repository: 'checkmarx/kics',
    tag: 'v2.1.19',
    digest: 'sha256:7b0a4d750acd491942ce9de52c1183fbf4451c1c936780ec2cfacd2650e7d84c',
    provenance: DigestProvenance.CORROBORATED,
    source: 'four public Dockerfiles (FROM docker.io/checkmarx/kics:v2.1.19@sha256:… AS kics-env, the layout of Checkmarx/kics-github-action)',
  });

  /** OWASP ZAP (zap-baseline.py). */
  public static readonly ZAP = new ScannerImage({
    repository: 'ghcr.io/zaproxy/zaproxy',
    tag: '2.16.1',
    digest: 'sha256:7840969c7c9fead565bf9734b12f49f6886db90b1d35b1f74d79710bbd081dab',
    provenance: DigestProvenance.CORROBORATED,
    source: 'five or more independent public files pin ghcr.io/zaproxy/zaproxy:2.16.1 to this digest',
  });

  /** Debian 12 (OpenSCAP and the SCAP Security Guide are installed from Debian when missing). */
  public static readonly DEBIAN = new ScannerImage({
    repository: 'debian',
    tag: '12.2-slim',
    digest: 'sha256:2bc5c236e9b262645a323e9088dfa3bb1ecb16cc75811daf40a23a824d665be9',
    provenance: DigestProvenance.CITED,
    source: 'nalabelle/build: images/digests.Dockerfile (Renovate-pinned)',
  });

  /** Conftest. */
  public static readonly CONFTEST = new ScannerImage({
    repository: 'openpolicyagent/conftest',
    tag: 'v0.54.0',
    digest: 'sha256:094e3bc9af439d16d15379bff9fc3aec0d558936aa1ac1e0574c0dcfa1c43e86',
    provenance: DigestProvenance.CITED,
    source: 'tektoncd/catalog: task/conftest/0.2/conftest.yaml',
    shell: 'Alpine base: /bin/sh',
  });

  /**
   * Cosign, `-dev` variant: the release image is distroless and has no shell. Not the cosign
   * entries' default (they run in `PYTHON` with the sha256-checked cosign release binary).
   */
  public static readonly COSIGN = new ScannerImage({
    repository: 'gcr.io/projectsigstore/cosign',
    tag: 'v2.4.1-dev',
    provenance: DigestProvenance.NONE,
    source: 'no published digest found for a -dev tag; pin it with ScannerImage.of',
    shell: 'busybox base of the -dev variant',
  });

  /**
   * Rootless BuildKit (`buildctl-daemonless.sh`, user 1000): `ImageBuild` on Kubernetes. It needs
   * seccomp and AppArmor unconfined and privilege escalation, never privileged mode.
   */
  public static readonly BUILDKIT_ROOTLESS = new ScannerImage({
    repository: 'moby/buildkit',
    tag: 'v0.33.0-rootless',
    digest: 'sha256:80b15f0735e87bab7bf59ec4d695dfb4a7cfb25521cf56dc75d6f256285b63ef',
    provenance: DigestProvenance.UNVERIFIED,
    source: 'two public files of one project pin moby/buildkit:v0.33.0-rootless to this digest (repository not recorded)',
    shell: 'Alpine base: /bin/sh',
  });

  /** Docker CLI (Alpine): `ImageBuild`'s engine-independent form, run against a host's Docker daemon. */
  public static readonly DOCKER_CLI = new ScannerImage({
    repository: 'docker',
    tag: '27.3.1-cli',
    digest: 'sha256:328eb399a065780c2cebe9224de003aa14084cf69efae882ac27430f921819b7',
    provenance: DigestProvenance.CORROBORATED,
    source: 'two independent public Dockerfiles pin docker:27.3.1-cli to this digest (FROM and COPY --from lines)',
    shell: 'Alpine base: /bin/sh',
  });

  /**
   * Any image, pinned by digest: `ScannerImage.of('aquasec/trivy', '0.58.0', 'sha256:…')`.
   * The digest is required: a scanner that can change under a tag is not a control. Give
   * `shellPath` when the image has no `/bin/sh` (e.g. `/busybox/sh` in distroless debug images).
   */
  public static of(repository: string, tag: string, digest: string, shellPath?: string): ScannerImage {
    if (typeof digest !== 'string' || !DIGEST.test(digest)) {
      throw new Error(`scanner image ${repository}:${tag} digest "${digest}" is not sha256:<64 lowercase hex>: give the image's manifest digest`);
    }
    return new ScannerImage({ repository, tag, digest, provenance: DigestProvenance.USER, source: 'given by the user', shellPath });
  }

  /** Repository. */
  public readonly repository: string;
  /** Tag. */
  public readonly tag: string;
  /** Digest (`sha256:…`), when known. */
  public readonly digest?: string;
  /** Where the digest comes from. */
  public readonly provenance: DigestProvenance;
  /** Source of the digest. */
  public readonly source: string;
  /** How the image gets a shell. */
  public readonly shell: string;
  /** Path of a POSIX shell in the image. */
  public readonly shellPath: string;

  private constructor(props: ScannerImageProps) {
    if (!REPOSITORY.test(props.repository ?? '')) {
      throw new Error(`scanner image repository "${props.repository}" is not a valid image repository: use lowercase names like "aquasec/trivy"`);
    }
    if (!TAG.test(props.tag ?? '')) {
      throw new Error(`scanner image ${props.repository} tag "${props.tag}" is not a valid tag: use letters, digits, "_", "." and "-"`);
    }
    if (props.digest !== undefined && !DIGEST.test(props.digest)) {
      throw new Error(`scanner image ${props.repository}:${props.tag} digest "${props.digest}" is not sha256:<64 lowercase hex>`);
    }
    const provenance = props.provenance ?? DigestProvenance.USER;
    if ((provenance === DigestProvenance.NONE) !== (props.digest === undefined)) {
      throw new Error(`scanner image ${props.repository}:${props.tag} has provenance ${provenance} but ${props.digest ? 'a' : 'no'} digest`);
    }
    this.repository = props.repository;
    this.tag = props.tag;
    this.digest = props.digest;
    this.provenance = provenance;
    this.source = props.source ?? '';
    if (props.shellPath !== undefined && !/^\/[A-Za-z0-9._\/-]+$/.test(props.shellPath)) {
      throw new Error(`scanner image ${props.repository}:${props.tag} shellPath "${props.shellPath}" is not an absolute path like /bin/sh`);
    }
    this.shell = props.shell ?? 'the image ships /bin/sh';
    this.shellPath = props.shellPath ?? '/bin/sh';
  }

  /** `repository:tag@sha256:…`, or `repository:tag` when no digest is known. */
  public get reference(): string {
    return this.digest ? `${this.repository}:${this.tag}@${this.digest}` : `${this.repository}:${this.tag}`;
  }

  /** Whether the image is pinned by digest. */
  public get pinned(): boolean {
    return this.digest !== undefined;
  }

  /** Whether the digest comes from a cited source, several independent sources, or the user. */
  public get digestVerified(): boolean {
    return (
      this.provenance === DigestProvenance.CITED ||
      this.provenance === DigestProvenance.CORROBORATED ||
      this.provenance === DigestProvenance.USER
    );
  }
}
