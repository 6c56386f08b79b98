import { objectLabel, TektonIssue, TektonRule } from './types';
import { variableRefs } from './variables';
import { forEachPipelineScopeString, forEachTaskScopeString, isObject, namesOf, pipelineSpecs, pipelineTasksOf, taskSpecs } from './walk';

/**
 * Workspaces used are declared: a pipeline task binds only pipeline workspaces, and
 * `$(workspaces.x.…)` names a workspace of its scope (admission webhook).
 */
export const declaredWorkspacesRule: TektonRule = {
  id: 'declared-workspaces',
  description: 'workspace bindings and $(workspaces.x) references name declared workspaces',
  check(ctx) {
    const issues: TektonIssue[] = [];
    const scan = (manifest: Record<string, any>, declared: Set<string>, where: string) => (s: string, field: string) => {
      for (const ref of variableRefs(s)) {
        if (ref.segments[0] === 'workspaces' && !declared.has(ref.segments[1])) {
          issues.push({ object: objectLabel(manifest), field, message: `${ref.text} names workspace "${ref.segments[1]}", which ${where} does not declare: declare it or fix the name` });
        }
      }
    };
    for (const p of pipelineSpecs(ctx)) {
      const declared = new Set(namesOf(p.spec.workspaces));
      for (const t of pipelineTasksOf(p)) {
        (Array.isArray(t.task.workspaces) ? t.task.workspaces : []).forEach((w: unknown, i: number) => {
          if (!isObject(w)) return;
          const bound = w.workspace ?? w.name;
          if (!declared.has(bound)) {
            issues.push({ object: objectLabel(t.manifest), field: `${t.field}.workspaces[${i}].workspace`, message: `binds workspace "${bound}", which the pipeline does not declare: add it to ${p.field}.workspaces` });
          }
        });
      }
      forEachPipelineScopeString(p, scan(p.manifest, declared, 'the pipeline'));
    }
    for (const t of taskSpecs(ctx)) {
      forEachTaskScopeString(t, scan(t.manifest, new Set(namesOf(t.spec.workspaces)), `the task at ${t.field}`));
    }
    return issues;
  },
};
