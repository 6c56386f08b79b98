import { HOME_DIR, LABEL_PREFIX, SOURCE_WORKSPACE } from './names';
import { RenderOptions } from './options';
import { SecurityContextException, SecurityContextNeed } from '../../core';
import * as tk from '../imports/tekton.dev';

/**
 * The securityContext of every step: the Kubernetes "restricted" Pod Security Standard, plus a
 * fixed non-root user so that images whose default user is root still start.
 */
export function restrictedSecurityContext(options: RenderOptions): tk.TaskSpecStepTemplateSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: options.runAsUser,
    runAsGroup: options.runAsUser,
    allowPrivilegeEscalation: false,
    privileged: false,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** The pod-level securityContext of every TaskRun pod (fsGroup makes the workspaces writable). */
export function restrictedPodSecurityContext(options: RenderOptions): Record<string, unknown> {
  return {
    runAsNonRoot: true,
    runAsUser: options.runAsUser,
    runAsGroup: options.runAsUser,
    fsGroup: options.runAsUser,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/**
 * The step template of every task: each step starts from it (Tekton merges a step over its
 * template), so every step is restricted, has requests and limits, a writable home directory
 * (an emptyDir: the user is not root) and runs in the source workspace.
 */
export function secureStepTemplate(options: RenderOptions): tk.TaskSpecStepTemplate {
  return {
    workingDir: `$(workspaces.${SOURCE_WORKSPACE}.path)`,
    env: [{ name: 'HOME', value: HOME_DIR }],
    volumeMounts: [{ name: 'home', mountPath: HOME_DIR }],
    securityContext: restrictedSecurityContext(options),
    computeResources: {
      requests: {
        cpu: tk.TaskSpecStepTemplateComputeResourcesRequests.fromString(options.cpuRequest),
        memory: tk.TaskSpecStepTemplateComputeResourcesRequests.fromString(options.memoryRequest),
      },
      limits: {
        cpu: tk.TaskSpecStepTemplateComputeResourcesLimits.fromString(options.cpuLimit),
        memory: tk.TaskSpecStepTemplateComputeResourcesLimits.fromString(options.memoryLimit),
      },
    },
  };
}

/** The volumes the step template mounts. */
export const TEMPLATE_VOLUMES = [{ name: 'home', emptyDir: {} }];

/** Annotation naming a step's typed security-context exception (what, why) on its task and pod. */
export const EXCEPTION_ANNOTATION = `${LABEL_PREFIX}/security-context-exception`;

/** The annotations of a task whose `run` step carries a security-context exception. */
export function exceptionAnnotations(exception?: SecurityContextException): Record<string, string> {
  if (!exception) return {};
  return {
    [EXCEPTION_ANNOTATION]: JSON.stringify({
      step: 'run',
      needs: exception.needs.map((n) => n.toLowerCase().replace(/_/g, '-')),
      ...(exception.runAsUser !== undefined ? { runAsUser: exception.runAsUser } : {}),
      reason: exception.reason,
    }),
  };
}

/**
 * What a typed exception changes in the `run` step's securityContext (merged over the restricted
 * template): exactly the needs it lists, never `privileged` (the check refuses that first).
 */
export function exceptionSecurityContext(exception: SecurityContextException): tk.TaskSpecStepsSecurityContext {
  return {
    ...(exception.runAsUser !== undefined ? { runAsUser: exception.runAsUser } : {}),
    ...(exception.has(SecurityContextNeed.PRIVILEGE_ESCALATION) ? { allowPrivilegeEscalation: true } : {}),
    ...(exception.has(SecurityContextNeed.SECCOMP_UNCONFINED) ? { seccompProfile: { type: 'Unconfined' } } : {}),
    ...(exception.has(SecurityContextNeed.APPARMOR_UNCONFINED) ? { appArmorProfile: { type: 'Unconfined' } } : {}),
  };
}
