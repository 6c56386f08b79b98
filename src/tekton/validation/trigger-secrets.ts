import { objectLabel, TektonIssue, TektonRule } from './types';

/**
 * A webhook interceptor (github, gitlab) verifies deliveries with a secret by reference only:
 * its `secretRef` is `{secretName, secretKey}` and no param carries a secret value. A listener
 * without a secretRef on its provider interceptor accepts forged events from anyone.
 */
export const triggerSecretsRule: TektonRule = {
  id: 'trigger-secrets',
  description: 'provider interceptors verify webhooks with a Secret by reference, never a value',
  check(ctx) {
    const issues: TektonIssue[] = [];
    for (const el of ctx.manifests.filter((m) => m.apiVersion === 'triggers.tekton.dev/v1beta1' && m.kind === 'EventListener')) {
      (Array.isArray(el.spec?.triggers) ? el.spec.triggers : []).forEach((t: any, i: number) => {
        (Array.isArray(t.interceptors) ? t.interceptors : []).forEach((ic: any, j: number) => {
          if (!['github', 'gitlab', 'bitbucket'].includes(ic?.ref?.name)) return;
          const f = `spec.triggers[${i}].interceptors[${j}]`;
          const params: any[] = Array.isArray(ic.params) ? ic.params : [];
          const ref = params.find((p) => p?.name === 'secretRef')?.value;
          const keys = ref && typeof ref === 'object' ? Object.keys(ref).sort().join(',') : '';
          if (keys !== 'secretKey,secretName' || typeof ref.secretName !== 'string' || typeof ref.secretKey !== 'string') {
            issues.push({ object: objectLabel(el), field: `${f}.params`, message: 'has no secretRef {secretName, secretKey}: without it the listener accepts unsigned events; reference the webhook Secret' });
          }
          params.forEach((p, k) => {
            if (p?.name !== 'secretRef' && /secret|token|password/i.test(String(p?.name))) {
              issues.push({ object: objectLabel(el), field: `${f}.params[${k}]`, message: `param "${p.name}" would carry a secret value: pass the secret only as secretRef` });
            }
          });
        });
      });
    }
    return issues;
  },
};
