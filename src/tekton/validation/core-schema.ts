import { schemaIssues, SchemaName } from './schema';
import { objectLabel, TektonIssue, TektonRule } from './types';

const SCHEMA_OF: { [apiVersionKind: string]: SchemaName } = {
  'v1/ConfigMap': 'ConfigMap',
  'v1/ServiceAccount': 'ServiceAccount',
  'rbac.authorization.k8s.io/v1/Role': 'Role',
  'rbac.authorization.k8s.io/v1/RoleBinding': 'RoleBinding',
};

/** Kinds emitted for triggers, checked by their own rules (trigger-refs, trigger-secrets, trigger-params, scheduled-runs). */
const TRIGGER_KINDS = new Set([
  'triggers.tekton.dev/v1beta1/EventListener',
  'triggers.tekton.dev/v1beta1/TriggerBinding',
  'triggers.tekton.dev/v1beta1/TriggerTemplate',
  'batch/v1/CronJob',
  'rbac.authorization.k8s.io/v1/ClusterRole',
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding',
]);

/** The ConfigMap, ServiceAccount, Role and RoleBinding emitted beside the Tekton objects; any other kind is unknown. */
export const coreSchemaRule: TektonRule = {
  id: 'core-schema',
  description: 'ConfigMap, ServiceAccount, Role and RoleBinding objects have only known fields; no other non-Tekton kind is emitted',
  check(ctx) {
    const issues: TektonIssue[] = [];
    for (const m of ctx.manifests) {
      if (typeof m.apiVersion === 'string' && m.apiVersion.startsWith('tekton.dev/')) continue;
      // checked by the trigger rules (the Triggers CRDs carry no schema)
      if (TRIGGER_KINDS.has(`${m.apiVersion}/${m.kind}`)) continue;
      const schema = SCHEMA_OF[`${m.apiVersion}/${m.kind}`];
      if (!schema) {
        issues.push({ object: objectLabel(m), field: 'kind', message: `${m.apiVersion} ${m.kind} is not a kind the Tekton engine emits: remove it or validate it elsewhere` });
        continue;
      }
      issues.push(...schemaIssues(schema, m, objectLabel(m), ''));
    }
    return issues;
  },
};
