import { objectLabel, TektonIssue, TektonRule } from './types';

const TRIGGERS = 'triggers.tekton.dev/v1beta1';

/**
 * An EventListener's triggers each name a binding and a template emitted beside it, every
 * interceptor names its ClusterInterceptor, and names are unique: the Triggers webhook accepts a
 * dangling reference and the listener then drops every event of that trigger.
 */
export const triggerRefsRule: TektonRule = {
  id: 'trigger-refs',
  description: 'EventListener triggers reference emitted TriggerBindings and TriggerTemplates and name their interceptors',
  check(ctx) {
    const issues: TektonIssue[] = [];
    const names = (kind: string) => new Set(ctx.manifests.filter((m) => m.apiVersion === TRIGGERS && m.kind === kind).map((m) => m.metadata?.name));
    const bindings = names('TriggerBinding');
    const templates = names('TriggerTemplate');
    for (const el of ctx.manifests.filter((m) => m.apiVersion === TRIGGERS && m.kind === 'EventListener')) {
      const seen = new Set<string>();
      const triggers: any[] = Array.isArray(el.spec?.triggers) ? el.spec.triggers : [];
      if (!el.spec?.serviceAccountName) issues.push({ object: objectLabel(el), field: 'spec.serviceAccountName', message: 'is missing: the listener would run as the default ServiceAccount; name its own' });
      triggers.forEach((t, i) => {
        const f = `spec.triggers[${i}]`;
        if (typeof t.name !== 'string' || seen.has(t.name)) issues.push({ object: objectLabel(el), field: `${f}.name`, message: 'is missing or not unique: give every trigger a unique name' });
        seen.add(t.name);
        (Array.isArray(t.bindings) ? t.bindings : []).forEach((b: any, j: number) => {
          if (!bindings.has(b?.ref)) issues.push({ object: objectLabel(el), field: `${f}.bindings[${j}].ref`, message: `names TriggerBinding "${b?.ref}", which is not emitted: emit it or fix the name` });
        });
        if (!templates.has(t.template?.ref)) issues.push({ object: objectLabel(el), field: `${f}.template.ref`, message: `names TriggerTemplate "${t.template?.ref}", which is not emitted: emit it or fix the name` });
        (Array.isArray(t.interceptors) ? t.interceptors : []).forEach((ic: any, j: number) => {
          if (typeof ic?.ref?.name !== 'string' || ic.ref.kind !== 'ClusterInterceptor') {
            issues.push({ object: objectLabel(el), field: `${f}.interceptors[${j}].ref`, message: 'does not name a ClusterInterceptor: give ref.name and kind ClusterInterceptor' });
          }
        });
      });
    }
    return issues;
  },
};
