import { objectLabel, TektonIssue, TektonRule } from './types';

/**
 * A CronJob that creates runs has a five-field schedule and a restricted pod (non-root, no
 * privilege escalation, every capability dropped, read-only root, RuntimeDefault seccomp), and
 * the Roles bound to its ServiceAccount only `create` pipelineruns.
 */
export const scheduledRunsRule: TektonRule = {
  id: 'scheduled-runs',
  description: 'schedule CronJobs run restricted pods whose ServiceAccount may only create pipelineruns',
  check(ctx) {
    const issues: TektonIssue[] = [];
    for (const cj of ctx.manifests.filter((m) => m.apiVersion === 'batch/v1' && m.kind === 'CronJob')) {
      const add = (field: string, message: string) => issues.push({ object: objectLabel(cj), field, message });
      if (typeof cj.spec?.schedule !== 'string' || cj.spec.schedule.trim().split(/ +/).length !== 5) add('spec.schedule', 'is not a five-field cron expression');
      const pod = cj.spec?.jobTemplate?.spec?.template?.spec ?? {};
      const f = 'spec.jobTemplate.spec.template.spec';
      if (pod.securityContext?.runAsNonRoot !== true) add(`${f}.securityContext.runAsNonRoot`, 'is not true: the pod must not run as root');
      (Array.isArray(pod.containers) ? pod.containers : []).forEach((c: any, i: number) => {
        const sc = c?.securityContext ?? {};
        const cf = `${f}.containers[${i}].securityContext`;
        if (sc.allowPrivilegeEscalation !== false) add(`${cf}.allowPrivilegeEscalation`, 'is not false');
        if (sc.readOnlyRootFilesystem !== true) add(`${cf}.readOnlyRootFilesystem`, 'is not true');
        if (!(Array.isArray(sc.capabilities?.drop) && sc.capabilities.drop.includes('ALL'))) add(`${cf}.capabilities.drop`, 'does not drop ALL');
        if ((sc.seccompProfile ?? pod.securityContext?.seccompProfile)?.type !== 'RuntimeDefault') add(`${cf}.seccompProfile`, 'is not RuntimeDefault');
      });
      const sa = pod.serviceAccountName;
      if (typeof sa !== 'string') {
        add(`${f}.serviceAccountName`, 'is missing: give the CronJob its own ServiceAccount');
        continue;
      }
      const roles = ctx.manifests
        .filter((m) => m.kind === 'RoleBinding' && (m.subjects ?? []).some((s: any) => s.kind === 'ServiceAccount' && s.name === sa))
        .map((b) => ctx.manifests.find((m) => m.kind === b.roleRef?.kind && m.metadata?.name === b.roleRef?.name));
      for (const role of roles.filter((r): r is Record<string, any> => r !== undefined)) {
        for (const rule of role?.rules ?? []) {
          const only = JSON.stringify(rule.apiGroups) === '["tekton.dev"]' && JSON.stringify(rule.resources) === '["pipelineruns"]' && JSON.stringify(rule.verbs) === '["create"]';
          if (!only) add(`${f}.serviceAccountName`, `is bound to ${role.kind} "${role.metadata?.name}", which grants more than create pipelineruns: ${JSON.stringify(rule)}`);
        }
      }
    }
    return issues;
  },
};
