import type { ErrorObject, ValidateFunction } from 'ajv';
import { CORE_SCHEMAS } from './core-schemas';
import { TektonIssue } from './types';
import * as PRECOMPILED from '../schemas/validators';

/**
 * Turns a Kubernetes structural schema (a CRD's openAPIV3Schema) into a JSON schema for ajv that
 * rejects what the API server would prune: an object that lists its properties and does not
 * preserve unknown fields gets `additionalProperties: false`. `x-kubernetes-*` markers and
 * `format` are dropped; int-or-string becomes integer or string; `nullable` allows null.
 */
export function structuralToJsonSchema(node: any): any {
  if (Array.isArray(node)) return node.map(structuralToJsonSchema);
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, any> = {};
  for (const [k, v] of Object.entries(node)) {
    switch (k) {
      case 'properties':
        out.properties = Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, structuralToJsonSchema(s)]));
        break;
      case 'items':
      case 'not':
        out[k] = structuralToJsonSchema(v);
        break;
      case 'additionalProperties':
        out[k] = typeof v === 'boolean' ? v : structuralToJsonSchema(v);
        break;
      case 'anyOf':
      case 'allOf':
      case 'oneOf':
        out[k] = (v as any[]).map(structuralToJsonSchema);
        break;
      case 'type':
      case 'required':
      case 'enum':
      case 'pattern':
      case 'minLength':
      case 'maxLength':
      case 'minItems':
      case 'maxItems':
      case 'minimum':
      case 'maximum':
      case 'minProperties':
      case 'maxProperties':
      case 'uniqueItems':
        out[k] = v;
        break;
      default:
        // description, default, format, example, nullable and x-kubernetes-* do not constrain here
        break;
    }
  }
  if (node.nullable === true && typeof out.type === 'string') {
    out.type = [out.type, 'null'];
  }
  if (node['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    out.anyOf ??= [{ type: 'integer' }, { type: 'string' }];
  }
  if (out.properties && node['x-kubernetes-preserve-unknown-fields'] !== true && out.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  return out;
}

/**
 * Moves every subschema that occurs more than once (container fields, env, volume mounts, probes…)
 * into `definitions` and refers to it: ajv then compiles each once, which makes compiling the Task
 * schema several times faster.
 */
export function factorRepeatedSubschemas(schema: Record<string, any>, minLength: number = 150): Record<string, any> {
  const counts = new Map<string, number>();
  const count = (n: unknown): void => {
    if (Array.isArray(n)) {
      n.forEach(count);
    } else if (typeof n === 'object' && n !== null) {
      const k = JSON.stringify(n);
      if (k.length >= minLength) counts.set(k, (counts.get(k) ?? 0) + 1);
      Object.values(n).forEach(count);
    }
  };
  count(schema);
  const definitions: Record<string, unknown> = {};
  const ids = new Map<string, string>();
  const copy = (n: Record<string, any>): Record<string, any> => {
    const o: Record<string, any> = {};
    for (const [k, v] of Object.entries(n)) {
      o[k] = k === 'properties' ? Object.fromEntries(Object.entries(v).map(([p, sub]) => [p, rewrite(sub)])) : rewrite(v);
    }
    return o;
  };
  const rewrite = (n: any): any => {
    if (Array.isArray(n)) return n.map(rewrite);
    if (typeof n !== 'object' || n === null) return n;
    const k = JSON.stringify(n);
    if ((counts.get(k) ?? 0) < 2) return copy(n);
    let id = ids.get(k);
    if (id === undefined) {
      id = `s${ids.size}`;
      ids.set(k, id);
      definitions[id] = copy(n);
    }
    return { $ref: `#/definitions/${id}` };
  };
  return { ...copy(schema), definitions };
}

/** The schemas the validator knows, by name. */
export type SchemaName = 'Pipeline' | 'Task' | 'PipelineRun' | 'EmbeddedTaskSpec' | 'PipelineSpec' | 'ConfigMap' | 'ServiceAccount' | 'Role' | 'RoleBinding';

/** Schemas compiled ahead of time into ../schemas/validators.ts: what the engine emits. */
export const PRECOMPILED_SCHEMAS: SchemaName[] = ['Pipeline', 'PipelineRun', 'EmbeddedTaskSpec', 'ConfigMap', 'ServiceAccount', 'Role', 'RoleBinding'];

/** Options of every ajv instance (the precompiled validators use the same). */
export const AJV_OPTIONS = { allErrors: true, strict: false, validateSchema: false, inlineRefs: false } as const;

/** The JSON schema ajv compiles for `name` (converted from the CRD, repeated subschemas factored). */
export function jsonSchemaOf(name: SchemaName): Record<string, any> {
  return factorRepeatedSubschemas(sourceSchema(name));
}

// the CRD schemas are loaded only to compile a schema that is not precompiled
/* eslint-disable @typescript-eslint/no-require-imports */
const crd = (file: 'pipeline' | 'pipelinerun' | 'task'): any => {
  switch (file) {
    case 'pipeline':
      return require('../schemas/pipeline-v1').PIPELINE_V1_SCHEMA;
    case 'pipelinerun':
      return require('../schemas/pipelinerun-v1').PIPELINERUN_V1_SCHEMA;
    case 'task':
      return require('../schemas/task-v1').TASK_V1_SCHEMA;
  }
};
/* eslint-enable @typescript-eslint/no-require-imports */

function sourceSchema(name: SchemaName): any {
  const PIPELINE_V1_SCHEMA = name === 'Pipeline' || name === 'PipelineSpec' ? crd('pipeline') : undefined;
  const PIPELINERUN_V1_SCHEMA = name === 'PipelineRun' ? crd('pipelinerun') : undefined;
  const TASK_V1_SCHEMA = name === 'Task' || name === 'EmbeddedTaskSpec' ? crd('task') : undefined;
  switch (name) {
    case 'ConfigMap':
      return CORE_SCHEMAS['v1/ConfigMap'];
    case 'ServiceAccount':
      return CORE_SCHEMAS['v1/ServiceAccount'];
    case 'Role':
      return CORE_SCHEMAS['rbac.authorization.k8s.io/v1/Role'];
    case 'RoleBinding':
      return CORE_SCHEMAS['rbac.authorization.k8s.io/v1/RoleBinding'];
    case 'Pipeline':
      return structuralToJsonSchema(PIPELINE_V1_SCHEMA);
    case 'Task':
      return structuralToJsonSchema(TASK_V1_SCHEMA);
    case 'PipelineRun':
      return structuralToJsonSchema(PIPELINERUN_V1_SCHEMA);
    case 'PipelineSpec':
      return structuralToJsonSchema((PIPELINE_V1_SCHEMA as any).properties.spec);
    case 'EmbeddedTaskSpec': {
      // an embedded task is a Task spec plus its own metadata (labels, annotations) and, for
      // custom tasks, apiVersion, kind and a raw spec (tektoncd/pipeline EmbeddedTask)
      const spec = structuralToJsonSchema((TASK_V1_SCHEMA as any).properties.spec);
      const stringMap = { type: 'object', additionalProperties: { type: 'string' } };
      spec.properties = {
        ...spec.properties,
        metadata: { type: 'object', properties: { labels: stringMap, annotations: stringMap }, additionalProperties: false },
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        spec: { type: 'object' },
      };
      return spec;
    }
  }
}

// precompiled validators load in milliseconds; others are compiled once per process, on first use
const precompiled = PRECOMPILED as unknown as Record<string, ValidateFunction | undefined>;
const compiled = new Map<SchemaName, ValidateFunction>(
  PRECOMPILED_SCHEMAS.filter((n) => typeof precompiled[n] === 'function').map((n) => [n, precompiled[n]!] as const),
);
let ajv: import('ajv').default | undefined;

function validatorOf(name: SchemaName): ValidateFunction {
  let v = compiled.get(name);
  if (!v) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Ajv: typeof import('ajv').default = require('ajv').default;
    ajv ??= new Ajv({ ...AJV_OPTIONS, code: { optimize: false } });
    v = ajv.compile(jsonSchemaOf(name));
    compiled.set(name, v);
  }
  return v;
}

/** Schema issues of `value` (found at `field` of `object`), one per offending field. */
export function schemaIssues(name: SchemaName, value: unknown, object: string, field: string): TektonIssue[] {
  const validate = validatorOf(name);
  if (validate(value)) return [];
  const errors = (validate.errors ?? []).filter((e) => !e.schemaPath.includes('/anyOf/'));
  const seen = new Set<string>();
  const issues: TektonIssue[] = [];
  for (const e of errors) {
    const issue = toIssue(e, object, field);
    const key = `${issue.field}\n${issue.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  }
  return issues;
}

function toIssue(e: ErrorObject, object: string, base: string): TektonIssue {
  let field = base;
  for (const part of e.instancePath.split('/').slice(1)) {
    const p = part.replace(/~1/g, '/').replace(/~0/g, '~');
    field += /^\d+$/.test(p) ? `[${p}]` : field.length > 0 ? `.${p}` : p;
  }
  const at = (f: string, extra: string) => (f.length > 0 ? `${f}.${extra}` : extra);
  switch (e.keyword) {
    case 'additionalProperties': {
      const prop = (e.params as { additionalProperty: string }).additionalProperty;
      return {
        object,
        field: at(field, prop),
        message: `unknown field "${prop}": the API server would silently drop it; remove it or fix its spelling`,
      };
    }
    case 'required': {
      const prop = (e.params as { missingProperty: string }).missingProperty;
      return { object, field: at(field, prop), message: `required field "${prop}" is missing: add it` };
    }
    case 'type':
      return { object, field, message: `must be of type ${(e.params as { type: string | string[] }).type}` };
    case 'anyOf':
      return { object, field, message: 'must be an integer or a string' };
    case 'pattern':
      return { object, field, message: `does not match the pattern ${(e.params as { pattern: string }).pattern}` };
    default:
      return { object, field, message: e.message ?? `fails schema keyword ${e.keyword}` };
  }
}
