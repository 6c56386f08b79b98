import { objectLabel, TektonIssue, TektonRule } from './types';
import { isObject, nameSet, pipelineScopeRefs, pipelineSpecs, pipelineTasksOf, taskScopeRefs } from './walk';

/**
 * Workspaces used are declared: a pipeline task binds only pipeline workspaces, and
 * `$(workspaces.x.…)` names a workspace of its scope (admission webhook).
 */
export const declaredWorkspacesRule: TektonRule = {
  id: 'declared-workspaces',
  description: 'workspace bindings and $(workspaces.x) references name declared workspaces',
  check(ctx) {
    const issues: TektonIssue[] = [];
    for (const p of pipelineSpecs(ctx)) {
      const declared = nameSet(ctx, p.spec.workspaces);
      for (const t of pipelineTasksOf(p)) {
        (Array.isArray(t.task.workspaces) ? t.task.workspaces : []).forEach((w: unknown, i: number) => {
          if (!isObject(w)) return;
          const bound = w.workspace ?? w.name;
          if (!declared.has(bound)) {
            issues.push({ object: objectLabel(t.manifest), field: `${t.field}.workspaces[${i}].workspace`, message: `binds workspace "${bound}", which the pipeline does not declare: add it to ${p.field}.workspaces` });
          }
        });
      }
    }
    const undeclared = (manifest: Record<string, any>, field: string, text: string, name: string, where: string) => issues.push({
      object: objectLabel(manifest),
      field,
      message: `${text} names workspace "${name}", which ${where} does not declare: declare it or fix the name`,
    });
    for (const { at, field, ref } of pipelineScopeRefs(ctx)) {
      if (ref.segments[0] === 'workspaces' && !nameSet(ctx, at.spec.workspaces).has(ref.segments[1])) {
        undeclared(at.manifest, field, ref.text, ref.segments[1], 'the pipeline');
      }
    }
    for (const { at, field, ref } of taskScopeRefs(ctx)) {
      if (ref.segments[0] === 'workspaces' && !nameSet(ctx, at.spec.workspaces).has(ref.segments[1])) {
        undeclared(at.manifest, field, ref.text, ref.segments[1], `the task at ${at.field}`);
      }
    }
    return issues;
  },
};
