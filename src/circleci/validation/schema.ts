import type { ErrorObject } from 'ajv';
import { ConfigIssue, ConfigRule } from './types';
import { validateConfig } from '../schemas/config-validator.generated';

/** The errors worth reading: a `oneOf` reports every branch that did not match, and itself; the deepest branch errors are kept. */
export function schemaIssues(errors: ErrorObject[]): ConfigIssue[] {
  const summary = new Set(['oneOf', 'anyOf', 'if', 'not', 'else', 'then']);
  const kept = errors.filter((e) => !summary.has(e.keyword));
  const paths = kept.map((e) => e.instancePath);
  // an error of one branch of a oneOf/anyOf on an object that has deeper errors is that branch not matching
  const branch = (e: ErrorObject) => /\/(oneOf|anyOf)\/\d+\//.test(e.schemaPath);
  const deepest = kept.filter((e) => !branch(e) || e.keyword === 'required' || !paths.some((p) => p !== e.instancePath && p.startsWith(`${e.instancePath}/`)));
  const seen = new Set<string>();
  const out: ConfigIssue[] = [];
  for (const e of deepest.length > 0 ? deepest : errors) {
    const field = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).join('.') || '<root>';
    const params = e.params as Record<string, unknown>;
    const detail = params.additionalProperty ? ` "${String(params.additionalProperty)}"` : params.allowedValues ? ` (${JSON.stringify(params.allowedValues)})` : '';
    const message = `${e.message ?? e.keyword}${detail} (schema ${e.schemaPath})`;
    const key = `${field}\n${message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push({ field, message });
    }
  }
  return out;
}

/** The config against CircleCI's config schema, strictly (ajv strict mode, every error). */
export const schemaRule: ConfigRule = {
  id: 'schema',
  description: 'the config matches the CircleCI config schema (version 2.1)',
  check(config) {
    if (validateConfig(config)) return [];
    return schemaIssues((validateConfig as any).errors ?? []);
  },
};
