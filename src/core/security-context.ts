/**
 * Where a step's container runs. A command step may give one form per platform (another image,
 * other commands, a security-context exception) when no single form runs with the least
 * privilege on every engine, e.g. an image build: rootless BuildKit on Kubernetes, the Docker
 * daemon on CodeBuild.
 */
export enum StepPlatform {
  /** AWS CodeBuild (the CodePipeline engine). */
  CODEBUILD = 'CODEBUILD',
  /** Kubernetes pods (the Tekton engine). */
  KUBERNETES = 'KUBERNETES',
}

/** One thing a step needs beyond the engine's least-privilege security context. */
export enum SecurityContextNeed {
  /** A privileged container (CodeBuild privileged mode: the Docker daemon). */
  PRIVILEGED = 'PRIVILEGED',
  /** seccomp profile `Unconfined` (creating user namespaces, e.g. rootless BuildKit). */
  SECCOMP_UNCONFINED = 'SECCOMP_UNCONFINED',
  /** AppArmor profile `Unconfined` (mounting inside the user namespace, e.g. rootless BuildKit). */
  APPARMOR_UNCONFINED = 'APPARMOR_UNCONFINED',
  /** `allowPrivilegeEscalation: true` (the setuid `newuidmap`/`newgidmap` of rootless user namespaces). */
  PRIVILEGE_ESCALATION = 'PRIVILEGE_ESCALATION',
}

/** Properties of a security-context exception. */
export interface SecurityContextExceptionProps {
  /** Platform the exception applies to. */
  readonly platform: StepPlatform;
  /** What the step needs beyond the least-privilege default (at least one). */
  readonly needs: SecurityContextNeed[];
  /** Why: shown in the rendered pipeline and the pipeline document, for reviewers and policy. */
  readonly reason: string;
  /**
   * Non-root user id the container must run as (e.g. 1000, the user that rootless BuildKit's
   * `/etc/subuid` maps), instead of the engine's fixed user.
   * @default - the engine's user
   */
  readonly runAsUser?: number;
}

/**
 * A typed, reasoned exception to the least-privilege security context of one platform. Engines
 * render exactly what it lists (and refuse what they cannot honour), show it in their output, and
 * the pipeline document records it, so policy can see and forbid it.
 */
export class SecurityContextException {
  /** Platform. */
  public readonly platform: StepPlatform;
  /** What the step needs, sorted, each once. */
  public readonly needs: SecurityContextNeed[];
  /** Why. */
  public readonly reason: string;
  /** Non-root user id the container runs as, when the exception sets one. */
  public readonly runAsUser?: number;

  constructor(props: SecurityContextExceptionProps) {
    if (!Object.values(StepPlatform).includes(props.platform)) {
      throw new Error(`security-context exception platform "${props.platform}" is not StepPlatform.CODEBUILD or KUBERNETES`);
    }
    const needs = props.needs ?? [];
    if (needs.length === 0) throw new Error('security-context exception lists no needs: name what the step needs (e.g. SecurityContextNeed.PRIVILEGED) or drop the exception');
    for (const n of needs) {
      if (!Object.values(SecurityContextNeed).includes(n)) {
        throw new Error(`security-context exception need "${n}" is not a SecurityContextNeed: use PRIVILEGED, SECCOMP_UNCONFINED, APPARMOR_UNCONFINED or PRIVILEGE_ESCALATION`);
      }
    }
    if (typeof props.reason !== 'string' || props.reason.trim().length < 10) {
      throw new Error('security-context exception has no reason: say in a sentence why the step needs it (reviewers and policy read it)');
    }
    if (props.runAsUser !== undefined && !(Number.isInteger(props.runAsUser) && props.runAsUser >= 1)) {
      throw new Error(`security-context exception runAsUser ${props.runAsUser} is not a non-root user id: use a whole number of at least 1`);
    }
    this.platform = props.platform;
    this.needs = [...new Set(needs)].sort();
    this.reason = props.reason.trim();
    this.runAsUser = props.runAsUser;
  }

  /** Whether the exception lists `need`. */
  public has(need: SecurityContextNeed): boolean {
    return this.needs.includes(need);
  }
}

/** Properties of a platform form of a command step. */
export interface PlatformFormProps {
  /** Platform this form is for. */
  readonly platform: StepPlatform;
  /**
   * Image on this platform.
   * @default - the step's image
   */
  readonly image?: string;
  /**
   * Commands on this platform.
   * @default - the step's commands
   */
  readonly commands?: string[];
  /**
   * Plain environment variables added on this platform.
   * @default - none
   */
  readonly env?: { [name: string]: string };
  /**
   * What the form needs beyond the platform's least-privilege security context.
   * @default - nothing: the platform's defaults
   */
  readonly securityContext?: SecurityContextException;
}

/** How a command step runs on one platform (engines of that platform render this form). */
export class PlatformForm {
  /** Platform. */
  public readonly platform: StepPlatform;
  /** Image, when the form sets one. */
  public readonly image?: string;
  /** Commands, when the form sets them. */
  public readonly commands?: string[];
  /** Environment added on this platform. */
  public readonly env: { [name: string]: string };
  /** Security-context exception, if any. */
  public readonly securityContext?: SecurityContextException;

  constructor(props: PlatformFormProps) {
    if (!Object.values(StepPlatform).includes(props.platform)) {
      throw new Error(`platform form platform "${props.platform}" is not StepPlatform.CODEBUILD or KUBERNETES`);
    }
    if (props.image !== undefined && (props.image.trim().length === 0 || /\s/.test(props.image))) {
      throw new Error(`platform form ${props.platform} image "${props.image}" is not an image reference`);
    }
    if (props.commands !== undefined && (props.commands.length === 0 || props.commands.some((c) => typeof c !== 'string' || c.trim().length === 0))) {
      throw new Error(`platform form ${props.platform} has an empty command list or command: give shell commands or leave commands out`);
    }
    if (props.securityContext !== undefined && props.securityContext.platform !== props.platform) {
      throw new Error(`platform form ${props.platform} carries a security-context exception for ${props.securityContext.platform}: give the exception of the form's own platform`);
    }
    this.platform = props.platform;
    this.image = props.image;
    this.commands = props.commands ? [...props.commands] : undefined;
    this.env = { ...(props.env ?? {}) };
    this.securityContext = props.securityContext;
  }
}
