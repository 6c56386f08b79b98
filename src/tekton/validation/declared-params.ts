import { objectLabel, TektonIssue, TektonRule } from './types';
import { variableRefs } from './variables';
import { forEachPipelineScopeString, forEachTaskScopeString, namesOf, pipelineSpecs, taskSpecs } from './walk';

/**
 * `$(params.x)` names a declared param: a pipeline param in pipeline scope, a param of the task
 * in a task spec (admission webhook).
 */
export const declaredParamsRule: TektonRule = {
  id: 'declared-params',
  description: '$(params.x) references name declared params',
  check(ctx) {
    const issues: TektonIssue[] = [];
    const scan = (manifest: Record<string, any>, declared: Set<string>, where: string) => (s: string, field: string) => {
      for (const ref of variableRefs(s)) {
        if (ref.segments[0] !== 'params') continue;
        const name = ref.segments[1];
        if (!declared.has(name)) {
          issues.push({ object: objectLabel(manifest), field, message: `${ref.text} names param "${name}", which ${where} does not declare: declare it or fix the name` });
        }
      }
    };
    for (const p of pipelineSpecs(ctx)) {
      forEachPipelineScopeString(p, scan(p.manifest, new Set(namesOf(p.spec.params)), 'the pipeline'));
    }
    for (const t of taskSpecs(ctx)) {
      forEachTaskScopeString(t, scan(t.manifest, new Set(namesOf(t.spec.params)), `the task at ${t.field}`));
    }
    return issues;
  },
};
