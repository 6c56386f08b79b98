import { objectLabel, TektonIssue, TektonRule } from './types';
import { isObject, taskSpecs } from './walk';

/** What Tekton runs: the step merged over the task's stepTemplate (objects merge, lists are replaced). */
function merged(template: unknown, step: unknown): any {
  if (!isObject(template)) return step;
  if (!isObject(step)) return step === undefined ? template : step;
  const out: Record<string, unknown> = { ...template };
  for (const [k, v] of Object.entries(step)) out[k] = merged(template[k], v);
  return out;
}

/** The needs a task's typed security-context exception declares for one of its steps (see render/security.ts). */
function declaredNeeds(spec: any, manifest: any, stepName: unknown): Set<string> {
  const raw = spec?.metadata?.annotations?.['gatehouse.dev/security-context-exception'] ?? manifest?.metadata?.annotations?.['gatehouse.dev/security-context-exception'];
  if (typeof raw !== 'string') return new Set();
  try {
    const e = JSON.parse(raw);
    if (e?.step !== stepName || typeof e.reason !== 'string' || e.reason.length === 0 || !Array.isArray(e.needs)) return new Set();
    return new Set(e.needs.filter((n: unknown) => typeof n === 'string'));
  } catch {
    return new Set();
  }
}

/**
 * Every step runs restricted (the Kubernetes "restricted" Pod Security Standard: non-root, no
 * privilege escalation, all capabilities dropped, RuntimeDefault seccomp) with CPU and memory
 * requests and limits, and reads secrets only key by key (`secretKeyRef`, never `envFrom`).
 * A step whose task declares a typed security-context exception for it (annotation
 * `gatehouse.dev/security-context-exception`, with a reason) may deviate in exactly what it
 * declares: privilege escalation, an Unconfined seccomp or AppArmor profile. Privileged never.
 */
export const restrictedStepsRule: TektonRule = {
  id: 'restricted-steps',
  description: 'every step is restricted, has resource requests and limits, and takes secrets only as secretKeyRef',
  check(ctx) {
    const issues: TektonIssue[] = [];
    for (const t of taskSpecs(ctx)) {
      for (const key of ['steps', 'sidecars']) {
        (Array.isArray(t.spec[key]) ? t.spec[key] : []).forEach((raw: unknown, i: number) => {
          if (!isObject(raw)) return;
          // steps start from the step template (sidecars do not): merge the fields checked here
          const tpl = key === 'steps' && isObject(t.spec.stepTemplate) ? t.spec.stepTemplate : {};
          const s = {
            securityContext: merged(tpl.securityContext, raw.securityContext),
            computeResources: merged(tpl.computeResources, raw.computeResources),
            envFrom: raw.envFrom ?? tpl.envFrom,
          };
          const field = `${t.field}.${key}[${i}]`;
          const issue = (f: string, message: string) => issues.push({ object: objectLabel(t.manifest), field: `${field}.${f}`, message });
          const sc = isObject(s.securityContext) ? s.securityContext : {};
          const declared = key === 'steps' ? declaredNeeds(t.spec, t.manifest, raw.name) : new Set<string>();
          if (sc.runAsNonRoot !== true) issue('securityContext.runAsNonRoot', 'must be true: steps never run as root');
          if (sc.runAsUser === 0) issue('securityContext.runAsUser', 'is 0 (root): use a non-root user id');
          if (sc.allowPrivilegeEscalation !== false && !(sc.allowPrivilegeEscalation === true && declared.has('privilege-escalation'))) {
            issue('securityContext.allowPrivilegeEscalation', 'must be false (or true with a declared privilege-escalation exception)');
          }
          const apparmor = sc.appArmorProfile?.type;
          if (apparmor === 'Unconfined' && !declared.has('apparmor-unconfined')) {
            issue('securityContext.appArmorProfile.type', 'is Unconfined without a declared apparmor-unconfined exception');
          }
          if (sc.privileged === true) issue('securityContext.privileged', 'must not be true: privileged steps are not allowed');
          const drop = Array.isArray(sc.capabilities?.drop) ? sc.capabilities.drop : [];
          if (!drop.includes('ALL')) issue('securityContext.capabilities.drop', 'must include "ALL"');
          if (Array.isArray(sc.capabilities?.add) && sc.capabilities.add.some((c: unknown) => c !== 'NET_BIND_SERVICE')) {
            issue('securityContext.capabilities.add', 'may add only NET_BIND_SERVICE');
          }
          const seccomp = sc.seccompProfile?.type;
          if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost' && !(seccomp === 'Unconfined' && declared.has('seccomp-unconfined'))) {
            issue('securityContext.seccompProfile.type', 'must be RuntimeDefault (or Localhost, or Unconfined with a declared seccomp-unconfined exception)');
          }
          const res = isObject(s.computeResources) ? s.computeResources : {};
          for (const kind of ['requests', 'limits']) {
            for (const r of ['cpu', 'memory']) {
              if (res[kind]?.[r] === undefined) issue(`computeResources.${kind}.${r}`, `is not set: give every step a ${r} ${kind === 'requests' ? 'request' : 'limit'}`);
            }
          }
          if (Array.isArray(s.envFrom) && s.envFrom.some((e: any) => e?.secretRef !== undefined)) {
            issue('envFrom', 'loads a whole Secret into the environment: read each key with env[].valueFrom.secretKeyRef');
          }
        });
      }
    }
    return issues;
  },
};
