import { schemaIssues } from './schema';
import { objectLabel, TektonIssue, TektonRule } from './types';
import { isKind, isObject, pipelineTasks } from './walk';

/**
 * Embedded specs, which the CRD schema lets through unchecked (x-kubernetes-preserve-unknown-fields):
 * every `taskSpec` against the Task spec schema, a PipelineRun's `pipelineSpec` against the Pipeline
 * spec schema.
 */
export const embeddedSpecSchemaRule: TektonRule = {
  id: 'embedded-spec-schema',
  description: 'embedded taskSpecs match the Task spec schema and embedded pipelineSpecs the Pipeline spec schema',
  check(ctx) {
    const issues: TektonIssue[] = [];
    for (const m of ctx.manifests) {
      if (isKind(m, 'PipelineRun') && m.spec?.pipelineSpec !== undefined) {
        issues.push(...schemaIssues('PipelineSpec', m.spec.pipelineSpec, objectLabel(m), 'spec.pipelineSpec'));
      }
    }
    for (const t of pipelineTasks(ctx)) {
      if (t.task.taskSpec === undefined) continue;
      if (!isObject(t.task.taskSpec)) {
        issues.push({ object: objectLabel(t.manifest), field: `${t.field}.taskSpec`, message: 'must be an object holding a Task spec' });
        continue;
      }
      issues.push(...schemaIssues('EmbeddedTaskSpec', t.task.taskSpec, objectLabel(t.manifest), `${t.field}.taskSpec`));
    }
    return issues;
  },
};
