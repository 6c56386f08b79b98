import { TektonEngineProps } from '../props';

/**
 * Default image of the clone step: Tekton's git-init image (git and sh, user 65532), v0.45.0 from
 * ghcr.io, pinned by the digest one public project passes as tektoncd/catalog git-clone's
 * `gitInitImage` (repository not recorded; docs/security-steps.md). v0.40.2, the catalog task's
 * default, appears in no public file beside a digest.
 */
export const DEFAULT_CLONE_IMAGE =
  'ghcr.io/tektoncd/github.com/tektoncd/pipeline/cmd/git-init:v0.45.0@sha256:8ab0f58d8381b0b71f5b2bae1f63522989d739e3154d8cab1bacfa0ef5317214';

/** The engine's props with every default applied. */
export interface RenderOptions {
  readonly runAsUser: number;
  readonly cpuRequest: string;
  readonly memoryRequest: string;
  readonly cpuLimit: string;
  readonly memoryLimit: string;
  readonly cloneImage: string;
  readonly workspaceSize: string;
  readonly storageClassName?: string;
  readonly reportsClaimName?: string;
  readonly sourceSecretName?: string;
  readonly auditEventsUrl?: string;
}

const QUANTITY = /^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Applies the defaults and rejects unusable values, naming the prop and the fix. */
export function resolveOptions(props: TektonEngineProps): RenderOptions {
  const runAsUser = props.runAsUser ?? 65532;
  if (!Number.isInteger(runAsUser) || runAsUser < 1) {
    throw new Error(`runAsUser ${runAsUser} is not a non-root user id: use a whole number of at least 1 (e.g. 65532)`);
  }
  const r = props.stepResources ?? {};
  const quantity = (what: string, value: string): string => {
    if (!QUANTITY.test(value)) {
      throw new Error(`${what} "${value}" is not a Kubernetes quantity: use e.g. "500m", "1", "512Mi" or "2Gi"`);
    }
    return value;
  };
  const name = (what: string, value: string | undefined): string | undefined => {
    if (value !== undefined && (value.length > 253 || !DNS_SUBDOMAIN.test(value))) {
      throw new Error(`${what} "${value}" is not a Kubernetes object name: use lowercase letters, digits, "-" and "."`);
    }
    return value;
  };
  const cloneImage = props.cloneImage ?? DEFAULT_CLONE_IMAGE;
  if (cloneImage.trim().length === 0 || /\s/.test(cloneImage)) {
    throw new Error(`cloneImage "${cloneImage}" is not an image reference: give one such as "${DEFAULT_CLONE_IMAGE}"`);
  }
  const sink = props.auditEventsUrl;
  if (sink !== undefined && !/^https?:\/\/[A-Za-z0-9.-]+(:\d+)?(\/[A-Za-z0-9._~/%-]*)?$/.test(sink)) {
    throw new Error(`auditEventsUrl "${sink}" is not a plain http(s) URL: give the address of a CloudEvents sink (no credentials, query or spaces), e.g. "http://el-audit.tekton-events.svc:8080"`);
  }
  return {
    ...(sink !== undefined ? { auditEventsUrl: sink } : {}),
    runAsUser,
    cpuRequest: quantity('stepResources.cpuRequest', r.cpuRequest ?? '250m'),
    memoryRequest: quantity('stepResources.memoryRequest', r.memoryRequest ?? '256Mi'),
    cpuLimit: quantity('stepResources.cpuLimit', r.cpuLimit ?? '1'),
    memoryLimit: quantity('stepResources.memoryLimit', r.memoryLimit ?? '1Gi'),
    cloneImage,
    workspaceSize: quantity('workspaceSize', props.workspaceSize ?? '1Gi'),
    storageClassName: name('storageClassName', props.storageClassName),
    reportsClaimName: name('reportsClaimName', props.reportsClaimName),
    sourceSecretName: name('sourceSecretName', props.sourceSecretName),
  };
}
