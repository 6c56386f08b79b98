import { approverRoleNameOf, runnerNameOf } from './names';
import { RenderOptions } from './options';
import { ApprovalStep, Approver, ApproverKind, CommandStep, FailureStrategy, GatePolicy, Pipeline, ScanStep } from '../../core';

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
 * Role and no token; the approvers (of approval steps and of gates' manual interventions) get
 * only what `tkn-approvaltask approve|reject` needs.
 */
export function rbacObjects(pipeline: Pipeline, options: RenderOptions, labels: Record<string, string>): RbacObjects {
  const serviceAccount = {
    metadata: { name: runnerNameOf(pipeline.name), labels },
    automountServiceAccountToken: false,
    ...(options.sourceSecretName ? { secrets: [{ name: options.sourceSecretName }] } : {}),
  };
  const approvals = pipeline.stages.flatMap((s) => s.steps).filter((s): s is ApprovalStep => s instanceof ApprovalStep);
  const interventions = interventionPolicies(pipeline);
  const stepInterventions: Approver[] = pipeline.stages
    .flatMap((s) => s.steps)
    .filter((s): s is CommandStep => s instanceof CommandStep && s.onFailure.strategy === FailureStrategy.MANUAL_INTERVENTION)
    .flatMap((s) => s.onFailure.approvers);
  if (approvals.length === 0 && interventions.length === 0 && stepInterventions.length === 0) {
    return { serviceAccount };
  }
  const subjects = new Map<string, Record<string, string>>();
  const add = (kind: string, name: string) => subjects.set(`${kind}/${name}`, { kind, name, apiGroup: 'rbac.authorization.k8s.io' });
  for (const a of [...approvals.flatMap((s) => s.approvers), ...interventions.flatMap((p) => p.interventionApprovers), ...stepInterventions]) {
    add(a.kind === ApproverKind.GROUP ? 'Group' : 'User', a.name);
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

/** Gate policies whose failure waits for an approval (scan steps' and stages'). */
export function interventionPolicies(pipeline: Pipeline): GatePolicy[] {
  const policies: GatePolicy[] = [];
  for (const stage of pipeline.stages) {
    if (stage.gate) policies.push(stage.gate);
    for (const s of stage.steps) {
      if (s instanceof ScanStep && s.gate) policies.push(s.gate);
    }
  }
  return policies.filter((p) => p.failureStrategy === FailureStrategy.MANUAL_INTERVENTION);
}
