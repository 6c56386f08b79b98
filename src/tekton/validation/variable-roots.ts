import { objectLabel, TektonIssue, TektonRule } from './types';
import { pipelineScopeRefs } from './walk';

const PIPELINE_ROOTS = ['params', 'tasks', 'finally', 'context', 'workspaces', 'results'];

/** In pipeline scope, `$(…)` starts with params, tasks, finally, context, workspaces or results (admission webhook). */
export const variableRootsRule: TektonRule = {
  id: 'variable-roots',
  description: 'pipeline-level $(…) references start with a known root',
  check(ctx) {
    const issues: TektonIssue[] = [];
    for (const { at, field, ref } of pipelineScopeRefs(ctx)) {
      if (!PIPELINE_ROOTS.includes(ref.segments[0])) {
        issues.push({ object: objectLabel(at.manifest), field, message: `${ref.text} is not a pipeline variable: start it with ${PIPELINE_ROOTS.join(', ')}` });
      }
    }
    return issues;
  },
};
