import { schemaIssues } from './schema';
import { objectLabel, TektonIssue, TektonRule } from './types';
import { TEKTON_V1 } from './walk';

const KINDS = ['Pipeline', 'Task', 'PipelineRun'] as const;

/** Every tekton.dev/v1 object against its CRD's OpenAPI v3 schema, unknown fields rejected. */
export const crdSchemaRule: TektonRule = {
  id: 'crd-schema',
  description: 'tekton.dev/v1 objects match their CRD schema; unknown fields are errors (the API server would prune them)',
  check(ctx) {
    const issues: TektonIssue[] = [];
    for (const m of ctx.manifests) {
      if (typeof m.apiVersion !== 'string' || !m.apiVersion.startsWith('tekton.dev/')) continue;
      const kind = KINDS.find((k) => k === m.kind);
      if (m.apiVersion !== TEKTON_V1 || !kind) {
        issues.push({ object: objectLabel(m), field: 'apiVersion', message: `${m.apiVersion} ${m.kind} has no schema here: emit tekton.dev/v1 Pipeline, Task or PipelineRun` });
        continue;
      }
      issues.push(...schemaIssues(kind, m, objectLabel(m), ''));
    }
    return issues;
  },
};
