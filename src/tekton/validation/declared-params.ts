import { objectLabel, TektonIssue, TektonRule } from './types';
import { nameSet, pipelineScopeRefs, taskScopeRefs } from './walk';

/**
 * `$(params.x)` names a declared param: a pipeline param in pipeline scope, a param of the task
 * in a task spec (admission webhook).
 */
export const declaredParamsRule: TektonRule = {
  id: 'declared-params',
  description: '$(params.x) references name declared params',
  check(ctx) {
    const issues: TektonIssue[] = [];
    for (const { at, field, ref } of pipelineScopeRefs(ctx)) {
      if (ref.segments[0] === 'params' && !nameSet(ctx, at.spec.params).has(ref.segments[1])) {
        issues.push({ object: objectLabel(at.manifest), field, message: `${ref.text} names param "${ref.segments[1]}", which the pipeline does not declare: declare it or fix the name` });
      }
    }
    for (const { at, field, ref } of taskScopeRefs(ctx)) {
      if (ref.segments[0] === 'params' && !nameSet(ctx, at.spec.params).has(ref.segments[1])) {
        issues.push({
          object: objectLabel(at.manifest),
          field,
          message: `${ref.text} names param "${ref.segments[1]}", which the task at ${at.field} does not declare: declare it or fix the name`,
        });
      }
    }
    return issues;
  },
};
