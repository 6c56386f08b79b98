import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { Workflow, WorkflowIssue, WorkflowRule } from './types';
import { GITHUB_WORKFLOW_SCHEMA } from '../schemas/github-workflow';

let validator: ValidateFunction | undefined;

/**
 * The schema compiled once per process, unchanged: every error reported (`allErrors`), nothing
 * coerced, removed or defaulted. (`strict: false` is about how the schema is written, which ajv's
 * strict mode would refuse: types left implicit beside `properties`; it does not loosen validation.)
 */
function compiled(): ValidateFunction {
  validator ??= new Ajv({ allErrors: true, strict: false, coerceTypes: false, useDefaults: false, removeAdditional: false })
    .compile(GITHUB_WORKFLOW_SCHEMA);
  return validator;
}

/** The workflow against the SchemaStore GitHub workflow schema (draft-07). */
export const schemaRule: WorkflowRule = {
  id: 'workflow-schema',
  description: 'the workflow matches the GitHub Actions workflow JSON Schema (SchemaStore)',
  check(workflow: Workflow): WorkflowIssue[] {
    const validate = compiled();
    if (validate(workflow)) return [];
    return summarize(validate.errors ?? []);
  },
};

/**
 * ajv's errors, one issue per place: the schema's `oneOf`/`anyOf` alternatives each report their
 * own errors, so only the deepest places are kept (the parent branches only repeat them).
 */
function summarize(errors: ErrorObject[]): WorkflowIssue[] {
  const paths = errors.map((e) => e.instancePath);
  const deepest = errors.filter((e) => !paths.some((p) => p !== e.instancePath && p.startsWith(`${e.instancePath}/`)));
  const seen = new Set<string>();
  const out: WorkflowIssue[] = [];
  for (const e of deepest) {
    const detail = e.keyword === 'additionalProperties' ? ` "${(e.params as { additionalProperty: string }).additionalProperty}"` : '';
    const message = `${e.message ?? e.keyword}${detail}`;
    const field = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).join('.') || '(workflow)';
    const key = `${field}\n${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ field, message });
  }
  return out;
}
