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
/** JSON schemas of the core objects, by `apiVersion/kind`. */
export const CORE_SCHEMAS: { [apiVersionKind: string]: object } = {
  'v1/ConfigMap': {
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata'],
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata,
      immutable: { type: 'boolean' },
      data: stringMap,
      // base64 of the bytes, as the API server checks it
      binaryData: { type: 'object', additionalProperties: { type: 'string', pattern: '^[A-Za-z0-9+/]*={0,2}$' } },
    },
    additionalProperties: false,
  },
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
