import {
  assertName, CommandStep, OutputArtifact, PlatformForm, SecretEnv, SecurityContextException, SecurityContextNeed, StepPlatform,
} from '../../core';
import { assertPath, q } from '../internal/shell';
import { ScannerImage } from '../scanner-image';

/** Where `ImageBuild` pushes the image, when it does. */
export interface ImagePushOptions {
  /** Repository, without tag (e.g. `ghcr.io/acme/app` or an ECR repository URI). */
  readonly repository: string;
  /**
   * Tag pushed with the image (later steps address the digest, never the tag).
   * @default 'latest'
   */
  readonly tag?: string;
  /**
   * File the build writes `repository:tag@sha256:…` to (`SignedArtifact.imageFromFile` reads it).
   * @default '.gatehouse/image/ref'
   */
  readonly refFile?: string;
}

/** Options of an image build. */
export interface ImageBuildProps {
  /**
   * Step name.
   * @default 'image-build'
   */
  readonly name?: string;
  /**
   * Build context folder, relative to the source root.
   * @default '.'
   */
  readonly context?: string;
  /**
   * Dockerfile, relative to the source root.
   * @default '<context>/Dockerfile'
   */
  readonly dockerfile?: string;
  /**
   * The image tarball the build writes (docker-archive: `ScanTarget.imageTarball` reads it).
   * @default '.gatehouse/image/image.tar'
   */
  readonly tarball?: string;
  /**
   * Name of the output artifact holding the tarball (and the reference file when pushing).
   * @default 'image'
   */
  readonly artifactName?: string;
  /**
   * Build arguments (`--build-arg` / `--opt build-arg:`), never secrets.
   * @default - none
   */
  readonly buildArgs?: { [name: string]: string };
  /**
   * Build stage to stop at.
   * @default - the last stage
   */
  readonly target?: string;
  /**
   * Target platform.
   * @default 'linux/amd64'
   */
  readonly platform?: string;
  /**
   * Push the image by digest after the build. Usually left out: scan the tarball first and push it
   * in a later step.
   * @default - the image stays a tarball
   */
  readonly push?: ImagePushOptions;
  /**
   * Commands that log in to the registry before the build (base images, push).
   * @default - none
   */
  readonly registryLogin?: string[];
  /**
   * Secrets of the build (registry credentials).
   * @default - none
   */
  readonly secrets?: SecretEnv[];
  /**
   * Steps of the same stage that finish first.
   * @default - none
   */
  readonly runAfter?: string[];
  /**
   * Artifacts of earlier steps the build reads.
   * @default - only the source
   */
  readonly inputs?: string[];
  /**
   * Timeout in minutes.
   * @default - the pipeline default
   */
  readonly timeoutMinutes?: number;
  /**
   * The rootless BuildKit image on Kubernetes.
   * @default ScannerImage.BUILDKIT_ROOTLESS
   */
  readonly buildkitImage?: ScannerImage;
  /**
   * The image with the Docker CLI and daemon on CodeBuild (a curated image starts the daemon in
   * privileged mode).
   * @default 'aws/codebuild/standard:7.0'
   */
  readonly codeBuildImage?: string;
  /**
   * The image of the engine-independent form (the Docker CLI, against a host daemon).
   * @default ScannerImage.DOCKER_CLI
   */
  readonly dockerImage?: ScannerImage;
}

/** Default CodeBuild image of the Docker form: curated, with the Docker daemon. */
export const CODEBUILD_DOCKER_IMAGE = 'aws/codebuild/standard:7.0';

const BUILD_ARG = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PLATFORM = /^[a-z0-9]+\/[a-z0-9]+(\/[a-z0-9]+)?$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const REPOSITORY = /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;

/**
 * Builds a Dockerfile into an image tarball (docker-archive), optionally pushed by digest, with the
 * least privilege each platform allows:
 * - Kubernetes (Tekton): rootless BuildKit (`buildctl-daemonless.sh`, user 1000), a typed
 *   exception for seccomp and AppArmor `Unconfined` and privilege escalation (user namespaces,
 *   `newuidmap`), never privileged;
 * - CodeBuild: `docker build` against CodeBuild's Docker daemon, a typed exception for privileged
 *   mode (the only way CodeBuild runs a daemon);
 * - elsewhere (the engine-independent form): the Docker CLI against the host's daemon.
 * The exceptions appear in the rendered pipeline and in the pipeline document (policy rule
 * GH-SECURITY-CONTEXT-EXCEPTIONS).
 */
export class ImageBuild extends CommandStep {
  /** The image tarball. */
  public readonly tarball: string;
  /** The file holding `repository:tag@sha256:…` when the build pushes, else undefined. */
  public readonly refFile?: string;
  /** Name of the output artifact. */
  public readonly artifactName: string;

  constructor(props: ImageBuildProps = {}) {
    const name = props.name ?? 'image-build';
    assertName('image build step', name);
    const where = `image build step "${name}"`;
    const context = props.context ?? '.';
    const dockerfile = props.dockerfile ?? (context === '.' ? 'Dockerfile' : `${context}/Dockerfile`);
    const tarball = props.tarball ?? '.gatehouse/image/image.tar';
    assertPath(where, 'context', context);
    assertPath(where, 'dockerfile', dockerfile);
    assertPath(where, 'tarball', tarball);
    const platform = props.platform ?? 'linux/amd64';
    if (!PLATFORM.test(platform)) throw new Error(`${where} platform "${platform}" is not os/arch: use e.g. linux/amd64 or linux/arm64`);
    if (props.target !== undefined && !TAG.test(props.target)) throw new Error(`${where} target "${props.target}" is not a build stage name`);
    const args = Object.entries(props.buildArgs ?? {});
    for (const [k, v] of args) {
      if (!BUILD_ARG.test(k)) throw new Error(`${where} build arg "${k}" is not a variable name: use letters, digits and "_"`);
      if (typeof v !== 'string' || /[\r\n\0]/.test(v)) throw new Error(`${where} build arg "${k}" is not a one-line string`);
    }
    const push = props.push;
    let refFile: string | undefined;
    let pushRef: string | undefined;
    if (push) {
      if (!REPOSITORY.test(push.repository ?? '')) throw new Error(`${where} push repository "${push.repository}" is not an image repository without tag`);
      const tag = push.tag ?? 'latest';
      if (!TAG.test(tag)) throw new Error(`${where} push tag "${tag}" is not a valid tag`);
      refFile = push.refFile ?? '.gatehouse/image/ref';
      assertPath(where, 'refFile', refFile);
      pushRef = `${push.repository}:${tag}`;
    }
    for (const img of [props.buildkitImage, props.dockerImage]) {
      if (img !== undefined && !(img instanceof ScannerImage)) throw new Error(`${where} buildkitImage and dockerImage must be ScannerImage: use ScannerImage.of(repository, tag, digest)`);
    }
    const login = props.registryLogin ?? [];
    const local = pushRef ?? `gatehouse.local/${name}:build`;
    const dirs = [...new Set([tarball, ...(refFile ? [refFile] : [])].map((f) => f.split('/').slice(0, -1).join('/')).filter((d) => d.length > 0))];
    const mkdir = dirs.length > 0 ? [`mkdir -p ${dirs.map(q).join(' ')}`] : [];

    const docker = [
      ...mkdir,
      ...login,
      `docker build --pull --platform ${q(platform)} -f ${q(dockerfile)} -t ${q(local)}${args.map(([k, v]) => ` --build-arg ${q(`${k}=${v}`)}`).join('')}${props.target ? ` --target ${q(props.target)}` : ''} ${q(context)}`,
      `docker save ${q(local)} -o ${q(tarball)}`,
      `test -s ${q(tarball)}`,
      ...(pushRef && refFile
        ? [
          `docker push ${q(pushRef)}`,
          `printf '%s' "$(docker inspect --format '{{index .RepoDigests 0}}' ${q(pushRef)})" > ${q(refFile)}`,
          `grep -q '@sha256:' ${q(refFile)}`,
        ]
        : []),
    ];
    const dockerfileDir = dockerfile.includes('/') ? dockerfile.split('/').slice(0, -1).join('/') : '.';
    const dockerfileName = dockerfile.split('/').pop()!;
    const metadata = `${tarball}.metadata.json`;
    const buildkit = [
      ...mkdir,
      ...login,
      'buildctl-daemonless.sh build --frontend dockerfile.v0' +
        ` --local ${q(`context=${context}`)} --local ${q(`dockerfile=${dockerfileDir}`)} --opt ${q(`filename=${dockerfileName}`)}` +
        ` --opt ${q(`platform=${platform}`)}${args.map(([k, v]) => ` --opt ${q(`build-arg:${k}=${v}`)}`).join('')}${props.target ? ` --opt ${q(`target=${props.target}`)}` : ''}` +
        ` --output ${q(`type=docker,name=${local},dest=${tarball}`)}${pushRef ? ` --output ${q(`type=image,name=${pushRef},push=true`)}` : ''}` +
        ` --metadata-file ${q(metadata)}`,
      `test -s ${q(tarball)}`,
      ...(pushRef && refFile
        ? [
          `digest="$(tr -d ' \\n' < ${q(metadata)} | grep -o '"containerimage.digest":"sha256:[a-f0-9]*"' | head -n 1 | cut -d '"' -f 4)"`,
          `test -n "$digest" || { echo "gatehouse: buildkit wrote no image digest to ${metadata}" >&2; exit 1; }`,
          `printf '%s@%s' ${q(pushRef)} "$digest" > ${q(refFile)}`,
        ]
        : []),
    ];
    const outputs: OutputArtifact[] = [{ name: props.artifactName ?? 'image', paths: [tarball, ...(refFile ? [refFile] : [])] }];
    super({
      name,
      commands: docker,
      image: (props.dockerImage ?? ScannerImage.DOCKER_CLI).reference,
      runAfter: props.runAfter,
      inputs: props.inputs,
      outputs,
      secrets: props.secrets,
      timeoutMinutes: props.timeoutMinutes,
      platformForms: [
        new PlatformForm({
          platform: StepPlatform.KUBERNETES,
          image: (props.buildkitImage ?? ScannerImage.BUILDKIT_ROOTLESS).reference,
          commands: buildkit,
          // no PID namespace of its own: the restricted pod cannot mount /proc for one
          env: { BUILDKITD_FLAGS: '--oci-worker-no-process-sandbox' },
          securityContext: new SecurityContextException({
            platform: StepPlatform.KUBERNETES,
            needs: [SecurityContextNeed.SECCOMP_UNCONFINED, SecurityContextNeed.APPARMOR_UNCONFINED, SecurityContextNeed.PRIVILEGE_ESCALATION],
            runAsUser: 1000,
            reason: 'rootless BuildKit creates a user namespace (seccomp), mounts inside it (AppArmor) and maps its ids with the setuid newuidmap/newgidmap (privilege escalation), as user 1000 of its /etc/subuid; never privileged',
          }),
        }),
        new PlatformForm({
          platform: StepPlatform.CODEBUILD,
          image: props.codeBuildImage ?? CODEBUILD_DOCKER_IMAGE,
          securityContext: new SecurityContextException({
            platform: StepPlatform.CODEBUILD,
            needs: [SecurityContextNeed.PRIVILEGED],
            reason: 'docker build needs the Docker daemon, which CodeBuild runs only in privileged mode',
          }),
        }),
      ],
    });
    this.tarball = tarball;
    this.refFile = refFile;
    this.artifactName = outputs[0].name;
  }
}
