import { approverRoleNameOf, runnerNameOf } from './names';
import { RenderOptions } from './options';
import { ApprovalStep, ApproverKind, Pipeline } from '../../core';

/** Kubernetes objects as plain JSON bodies (without apiVersion/kind/metadata.namespace). */
export interface RbacObjects {
  /** The ServiceAccount the TaskRun pods run as: no API token, no Role bound. */
  readonly serviceAccount: Record<string, any>;
  /** Role letting the approvers answer ApprovalTasks (only when the pipeline has approvals). */
  readonly approverRole?: Record<string, any>;
  /** Binds the approver users and groups to that Role. */
  readonly approverRoleBinding?: Record<string, any>;
}

/**
 * Least privilege: the steps need no Kubernetes API access, so the runner ServiceAccount gets no
 * Role and no token; the approvers get only what `tkn-approvaltask approve|reject` needs.
 */
export function rbacObjects(pipeline: Pipeline, options: RenderOptions, labels: Record<string, string>): RbacObjects {
  const serviceAccount = {
    metadata: { name: runnerNameOf(pipeline.name), labels },
    automountServiceAccountToken: false,
    ...(options.sourceSecretName ? { secrets: [{ name: options.sourceSecretName }] } : {}),
  };
  const approvals = pipeline.stages.flatMap((s) => s.steps).filter((s): s is ApprovalStep => s instanceof ApprovalStep);
  if (approvals.length === 0) {
    return { serviceAccount };
  }
  const subjects = new Map<string, Record<string, string>>();
  for (const a of approvals.flatMap((s) => s.approvers)) {
    const kind = a.kind === ApproverKind.GROUP ? 'Group' : 'User';
    subjects.set(`${kind}/${a.name}`, { kind, name: a.name, apiGroup: 'rbac.authorization.k8s.io' });
  }
  const name = approverRoleNameOf(pipeline.name);
  return {
    serviceAccount,
    approverRole: {
      metadata: { name, labels },
      rules: [
        {
          apiGroups: ['openshift-pipelines.org'],
          resources: ['approvaltasks'],
          verbs: ['get', 'list', 'watch', 'update', 'patch'],
        },
      ],
    },
    approverRoleBinding: {
      metadata: { name, labels },
      subjects: [...subjects.values()],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
    },
  };
}
