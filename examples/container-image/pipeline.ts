import { CommandStep, GatePolicy, GateSeverity, Pipeline, SecretEnv, Source, Stage, security } from 'gatehouse';

/**
 * Go toolchain that builds the image (ko) and pushes it (crane). golang 1.24.5 on Debian 12,
 * pinned by the digest that several independent public Dockerfiles pin for this tag.
 */
export const GO_IMAGE = 'golang:1.24.5-bookworm@sha256:ef8c5c733079ac219c77edab604c425d748c740d8699530ea6aced9de79aea40';

/**
 * Base image of the application image: distroless static, non-root user (Debian 12), pinned by
 * the digest that several independent public Dockerfiles pin for this tag.
 */
export const BASE_IMAGE = 'gcr.io/distroless/static-debian12:nonroot@sha256:afa5c872c891853ca7fcf1f12c3edb23f7eeef36189728842dd51042ff57f7ab';

/**
 * kubectl 1.31.5 for linux/amd64, checked against the sha256 of `dl.k8s.io`'s `kubectl.sha256`
 * (found in several independent public files) before it runs. No image with kubectl and a shell
 * was found pinned by digest in public files, so the rollout runs in the catalog's pinned Python
 * image and installs this binary (an image that has kubectl on PATH uses its own).
 */
export const KUBECTL = security.ReleaseBinary.of({
  name: 'kubectl',
  version: '1.31.5',
  url: 'https://dl.k8s.io/release/v1.31.5/bin/linux/amd64/kubectl',
  sha256: 'fbecbfd375b3686002c2e81d51c390172f5ffba3d6b47920d55342cb03f557af',
});

/** Image of the rollout step: the catalog's Python image, pinned by digest (kubectl is installed into it). */
export const ROLLOUT_IMAGE = security.ScannerImage.PYTHON.reference;

/** Versions installed with `go install` (resolved through the Go checksum database). */
export const KO_VERSION = 'v0.17.1';
export const CRANE_VERSION = 'v0.20.2';

/** The image the build writes: a docker-archive tarball, scanned before anything is pushed. */
export const IMAGE_TARBALL = '.gatehouse/image/image.tar';

/** `repository@sha256:…` of the pushed image, written by `crane push --image-refs`. */
export const IMAGE_REF_FILE = '.gatehouse/image/ref';

/** Where the Syft step writes the SBOM (its report folder, `.gatehouse/reports/<step>/`). */
export const SBOM_FILE = '.gatehouse/reports/syft/sbom.cdx.json';

/** What differs between the engines that run this pipeline: the registry, its login and the keys. */
export interface ContainerImageOptions {
  /**
   * Repository the image is pushed to (no tag).
   * @default 'ghcr.io/acme/hello-api'
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
   * Secrets of the steps that talk to the registry (push and cosign). cosign runs with
   * `--k8s-keychain`: it reads `$GITHUB_TOKEN` for ghcr.io and ambient AWS credentials for ECR.
   * @default - GITHUB_TOKEN from key `token` of secret `hello-api-registry`
   */
  readonly registrySecrets?: SecretEnv[];
  /**
   * Key that signs the image and its SBOM attestation, and verifies both before deploy.
   * @default security.CosignKey.secret('hello-api-cosign')
   */
  readonly signingKey?: security.CosignKey;
  /**
   * The kubeconfig of the target cluster: the secret (and the variable) the rollout reads it from.
   * The rollout image has no cloud CLI: give a kubeconfig that carries its credentials (a service
   * account token), not an exec plugin.
   * @default - key `kubeconfig` of secret `hello-api-deployer`
   */
  readonly kubeconfigSecret?: SecretEnv;
  /**
   * Image of the Syft SBOM step.
   * @default - the catalog's: the pinned Python image with the sha256-checked Syft release binary
   */
  readonly syftImage?: security.ScannerImage;
}

/**
 * An image to a registry without Docker and without privileged mode: ko builds the Go service
 * into an image tarball (no daemon, any user), Trivy scans the tarball and Syft writes its SBOM
 * before anything leaves the pipeline; crane pushes exactly that tarball, cosign signs the pushed
 * digest and attests the SBOM, and the deploy stage verifies signature and attestation before it
 * rolls the deployment to the digest.
 */
export function containerImage(options: ContainerImageOptions = {}): Pipeline {
  const repository = options.repository ?? 'ghcr.io/acme/hello-api';
  const registrySecrets = options.registrySecrets ?? [{ variable: 'GITHUB_TOKEN', secretName: 'hello-api-registry', key: 'token' }];
  const registryLogin = options.registryLogin ?? ['printf \'%s\' "$GITHUB_TOKEN" | "$crane" auth login ghcr.io -u hello-api-ci --password-stdin'];
  const key = options.signingKey ?? security.CosignKey.secret('hello-api-cosign');
  const kubeconfig = options.kubeconfigSecret ?? { variable: 'KUBECONFIG_DATA', secretName: 'hello-api-deployer', key: 'kubeconfig' };
  const image = security.ScanTarget.imageTarball(IMAGE_TARBALL);
  const signed = security.SignedArtifact.imageFromFile(IMAGE_REF_FILE);
  // cosign finds registry credentials through the cloud keychains (ECR, GHCR token …)
  const registryAuth = ['--k8s-keychain'];

  return new Pipeline({
    name: 'container-image',
    source: Source.gitHub({ owner: 'acme', repository: 'hello-api', branch: 'main' }),
    defaults: { image: GO_IMAGE },
    stages: [
      Stage.buildStage('build', {
        steps: [
          new CommandStep({
            name: 'image',
            image: GO_IMAGE,
            env: { KO_DOCKER_REPO: repository, KO_DEFAULTBASEIMAGE: BASE_IMAGE, CGO_ENABLED: '0' },
            commands: [
              `go install github.com/google/ko@${KO_VERSION}`,
              'mkdir -p .gatehouse/image',
              // --push=false: nothing leaves the pipeline before the scan; the tarball is the image
              `"$(go env GOPATH)/bin/ko" build ./cmd/hello-api --bare --push=false --sbom=none --platform=linux/amd64 --tarball=${IMAGE_TARBALL}`,
              `test -s ${IMAGE_TARBALL}`,
            ],
            outputs: [{ name: 'image-tarball', paths: [IMAGE_TARBALL] }],
          }),
        ],
      }),
      Stage.securityStage('scan', {
        steps: [
          new security.TrivyImage({
            target: image,
            inputs: ['image-tarball'],
            gate: new GatePolicy({ failOn: GateSeverity.HIGH }),
          }),
          // the SBOM travels with the image tarball as an artifact, and is attested once pushed
          new security.Syft({
            target: image,
            image: options.syftImage,
            inputs: ['image-tarball'],
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
              // the scanned tarball itself is pushed; every later step addresses it by digest
              `"$crane" push ${IMAGE_TARBALL} ${repository}:main --image-refs ${IMAGE_REF_FILE}`,
              `grep -q '@sha256:' ${IMAGE_REF_FILE}`,
            ],
            outputs: [{ name: 'image-ref', paths: [IMAGE_REF_FILE] }],
          }),
          new security.CosignSign({
            artifact: signed,
            key,
            runAfter: ['push'],
            inputs: ['image-ref'],
            secrets: registrySecrets,
            extraArgs: registryAuth,
          }),
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
      Stage.deployStage('deploy', {
        environment: 'prod',
        steps: [
          // refuses an image that is unsigned or has no CycloneDX attestation by this key
          new security.CosignVerify({
            artifact: signed,
            key,
            inputs: ['image-ref'],
            secrets: registrySecrets,
            extraArgs: registryAuth,
          }),
          new CommandStep({
            name: 'rollout',
            image: ROLLOUT_IMAGE,
            runAfter: ['cosign-verify'],
            inputs: ['image-ref'],
            secrets: [kubeconfig],
            commands: [
              KUBECTL.installCommand(),
              `umask 077 && printf '%s' "$${kubeconfig.variable}" > "$HOME/kubeconfig"`,
              'export KUBECONFIG="$HOME/kubeconfig"',
              `kubectl -n hello-api set image deployment/hello-api hello-api="$(cat ${IMAGE_REF_FILE})"`,
              'kubectl -n hello-api rollout status deployment/hello-api --timeout=5m',
            ],
          }),
        ],
      }),
    ],
  });
}
