import { CommandStep, GatePolicy, GateSeverity, Pipeline, SecretEnv, Source, Stage, security } from 'gatehouse';

/** Go toolchain that installs crane for the push (golang 1.24.5 on Debian 12, pinned by digest). */
export const GO_IMAGE = 'golang:1.24.5-bookworm@sha256:ef8c5c733079ac219c77edab604c425d748c740d8699530ea6aced9de79aea40';

/** crane version installed with `go install` (resolved through the Go checksum database). */
export const CRANE_VERSION = 'v0.20.2';

/** The image the build writes: a docker-archive tarball, scanned before anything is pushed. */
export const IMAGE_TARBALL = '.gatehouse/image/image.tar';

/** `repository@sha256:…` of the pushed image, written by `crane push --image-refs`. */
export const IMAGE_REF_FILE = '.gatehouse/image/ref';

/** The CycloneDX SBOM of the tarball (written by Trivy, whose pinned image has a shell on every engine). */
export const SBOM_FILE = '.gatehouse/sbom/sbom.cdx.json';

/** What differs between the places this pipeline runs: the registry, its login and the key. */
export interface DockerfileImageOptions {
  /**
   * Repository the image is pushed to (no tag).
   * @default 'ghcr.io/acme/web'
   */
  readonly repository?: string;
  /**
   * Image of the push step: it needs `go` (crane is installed with `go install`) and whatever
   * `registryLogin` calls.
   * @default GO_IMAGE
   */
  readonly pushImage?: string;
  /**
   * Commands that log crane in to the registry (`$crane` is the crane binary).
   * @default - GHCR: `crane auth login ghcr.io` with the token in `$GITHUB_TOKEN`
   */
  readonly registryLogin?: string[];
  /**
   * Secrets of the steps that talk to the registry.
   * @default - GITHUB_TOKEN from key `token` of secret `web-registry`
   */
  readonly registrySecrets?: SecretEnv[];
  /**
   * Key that signs the image and its SBOM attestation, and verifies both.
   * @default security.CosignKey.secret('web-cosign')
   */
  readonly signingKey?: security.CosignKey;
}

/**
 * A Dockerfile to a registry, written once for every engine: `security.ImageBuild` builds the
 * image tarball with the least privilege each engine allows (rootless BuildKit on Tekton, the
 * Docker daemon in CodeBuild privileged mode; both typed exceptions, shown in the output and the
 * pipeline document); Trivy scans the tarball and writes its SBOM before anything leaves the
 * pipeline; crane pushes exactly that tarball; cosign signs the pushed digest and attests the
 * SBOM; the verify stage checks both.
 */
export function dockerfileImage(options: DockerfileImageOptions = {}): Pipeline {
  const repository = options.repository ?? 'ghcr.io/acme/web';
  const registrySecrets = options.registrySecrets ?? [{ variable: 'GITHUB_TOKEN', secretName: 'web-registry', key: 'token' }];
  const registryLogin = options.registryLogin ?? ['printf \'%s\' "$GITHUB_TOKEN" | "$crane" auth login ghcr.io -u web-ci --password-stdin'];
  const key = options.signingKey ?? security.CosignKey.secret('web-cosign');
  const signed = security.SignedArtifact.imageFromFile(IMAGE_REF_FILE);
  const registryAuth = ['--k8s-keychain'];

  return new Pipeline({
    name: 'dockerfile-image',
    source: Source.gitHub({ owner: 'acme', repository: 'web', branch: 'main' }),
    defaults: { image: GO_IMAGE },
    stages: [
      Stage.buildStage('build', {
        steps: [new security.ImageBuild({ name: 'image', tarball: IMAGE_TARBALL, artifactName: 'image-tarball', timeoutMinutes: 30 })],
      }),
      Stage.securityStage('scan', {
        steps: [
          new security.TrivyImage({
            target: security.ScanTarget.imageTarball(IMAGE_TARBALL),
            inputs: ['image-tarball'],
            gate: new GatePolicy({ failOn: GateSeverity.HIGH }),
          }),
          new CommandStep({
            name: 'sbom',
            image: security.ScannerImage.TRIVY.reference,
            inputs: ['image-tarball'],
            env: { TRIVY_CACHE_DIR: '.gatehouse/cache/trivy' },
            cacheDirs: ['.gatehouse/cache/trivy'],
            commands: [
              'mkdir -p .gatehouse/sbom',
              `trivy image --quiet --input ${IMAGE_TARBALL} --format cyclonedx --output ${SBOM_FILE}`,
              `test -s ${SBOM_FILE}`,
            ],
            outputs: [{ name: 'sbom', paths: [SBOM_FILE] }],
          }),
        ],
      }),
      Stage.buildStage('publish', {
        steps: [
          new CommandStep({
            name: 'push',
            image: options.pushImage ?? GO_IMAGE,
            inputs: ['image-tarball'],
            secrets: registrySecrets,
            commands: [
              `go install github.com/google/go-containerregistry/cmd/crane@${CRANE_VERSION}`,
              'crane="$(go env GOPATH)/bin/crane"',
              ...registryLogin,
              `"$crane" push ${IMAGE_TARBALL} ${repository}:main --image-refs ${IMAGE_REF_FILE}`,
              `grep -q '@sha256:' ${IMAGE_REF_FILE}`,
            ],
            outputs: [{ name: 'image-ref', paths: [IMAGE_REF_FILE] }],
          }),
          new security.CosignSign({ artifact: signed, key, runAfter: ['push'], inputs: ['image-ref'], secrets: registrySecrets, extraArgs: registryAuth }),
          new security.CosignAttest({
            artifact: signed,
            key,
            predicate: SBOM_FILE,
            runAfter: ['cosign-sign'],
            inputs: ['image-ref', 'sbom'],
            secrets: registrySecrets,
            extraArgs: registryAuth,
          }),
        ],
      }),
      Stage.securityStage('verify', {
        steps: [new security.CosignVerify({ artifact: signed, key, inputs: ['image-ref'], secrets: registrySecrets, extraArgs: registryAuth })],
      }),
    ],
  });
}
