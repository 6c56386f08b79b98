import Ajv, { ValidateFunction } from 'ajv';
import { objectLabel, TektonIssue, TektonRule } from './types';

// the fields of the Kubernetes objects gatehouse emits besides Tekton's (API reference, core/v1 and
// rbac.authorization.k8s.io/v1); anything else is an unknown field
const stringMap = { type: 'object', additionalProperties: { type: 'string' } };
const metadata = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string' }, namespace: { type: 'string' }, labels: stringMap, annotations: stringMap },
  additionalProperties: false,
};
const names = { type: 'array', items: { type: 'string' } };
const CORE_SCHEMAS: { [apiVersionKind: string]: object } = {
  'v1/ServiceAccount': {
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata'],
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata,
      automountServiceAccountToken: { type: 'boolean' },
      secrets: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: { type: 'string' } }, additionalProperties: false } },
      imagePullSecrets: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: { type: 'string' } }, additionalProperties: false } },
    },
    additionalProperties: false,
  },
  'rbac.authorization.k8s.io/v1/Role': {
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', 'rules'],
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata,
      rules: {
        type: 'array',
        items: {
          type: 'object',
          required: ['verbs'],
          properties: { apiGroups: names, resources: names, resourceNames: names, verbs: { ...names, minItems: 1 } },
          additionalProperties: false,
        },
      },
    },
    additionalProperties: false,
  },
  'rbac.authorization.k8s.io/v1/RoleBinding': {
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', 'roleRef'],
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata,
      subjects: {
        type: 'array',
        items: {
          type: 'object',
          required: ['kind', 'name'],
          properties: { kind: { enum: ['User', 'Group', 'ServiceAccount'] }, name: { type: 'string' }, apiGroup: { type: 'string' }, namespace: { type: 'string' } },
          additionalProperties: false,
        },
      },
      roleRef: {
        type: 'object',
        required: ['apiGroup', 'kind', 'name'],
        properties: { apiGroup: { const: 'rbac.authorization.k8s.io' }, kind: { enum: ['Role', 'ClusterRole'] }, name: { type: 'string' } },
        additionalProperties: false,
      },
    },
    additionalProperties: false,
  },
};

const compiled = new Map<string, ValidateFunction>();
let ajv: Ajv | undefined;

/** The ServiceAccount, Role and RoleBinding emitted beside the Tekton objects; any other kind is unknown. */
export const coreSchemaRule: TektonRule = {
  id: 'core-schema',
  description: 'ServiceAccount, Role and RoleBinding objects have only known fields; no other non-Tekton kind is emitted',
  check(ctx) {
    const issues: TektonIssue[] = [];
    for (const m of ctx.manifests) {
      if (typeof m.apiVersion === 'string' && m.apiVersion.startsWith('tekton.dev/')) continue;
      const key = `${m.apiVersion}/${m.kind}`;
      const schema = CORE_SCHEMAS[key];
      if (!schema) {
        issues.push({ object: objectLabel(m), field: 'kind', message: `${m.apiVersion} ${m.kind} is not a kind the Tekton engine emits: remove it or validate it elsewhere` });
        continue;
      }
      let validate = compiled.get(key);
      if (!validate) {
        ajv ??= new Ajv({ allErrors: true, strict: false });
        validate = ajv.compile(schema);
        compiled.set(key, validate);
      }
      if (!validate(m)) {
        for (const e of validate.errors ?? []) {
          const field = e.instancePath.split('/').slice(1).map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '');
          const extra = e.keyword === 'additionalProperties' ? (e.params as { additionalProperty: string }).additionalProperty : undefined;
          issues.push({
            object: objectLabel(m),
            field: extra ? (field ? `${field}.${extra}` : extra) : field,
            message: extra ? `unknown field "${extra}": remove it or fix its spelling` : e.message ?? e.keyword,
          });
        }
      }
    }
    return issues;
  },
};
