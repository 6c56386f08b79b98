import { interfaceOf } from './task-interface';
import { objectLabel, TektonIssue, TektonRule } from './types';
import { isObject, pipelineTasks } from './walk';

/** A pipeline task binds every workspace its task needs, and only those (checked at run time by Tekton). */
export const taskWorkspacesRule: TektonRule = {
  id: 'task-workspaces',
  description: 'pipeline tasks bind exactly the workspaces their task declares (optional ones may be left out)',
  check(ctx) {
    const issues: TektonIssue[] = [];
    for (const t of pipelineTasks(ctx)) {
      const iface = interfaceOf(ctx, t);
      if (!iface) continue;
      const declared = new Set(iface.workspaces.map((w) => w.name));
      const bound = new Set<string>();
      (Array.isArray(t.task.workspaces) ? t.task.workspaces : []).forEach((w: unknown, i: number) => {
        if (!isObject(w)) return;
        if (!declared.has(w.name)) {
          issues.push({ object: objectLabel(t.manifest), field: `${t.field}.workspaces[${i}].name`, message: `binds workspace "${w.name}", which ${iface.source} does not declare: remove the binding or declare it` });
        }
        bound.add(w.name);
      });
      for (const w of iface.workspaces) {
        if (!w.optional && !bound.has(w.name)) {
          issues.push({ object: objectLabel(t.manifest), field: `${t.field}.workspaces`, message: `task "${t.task.name}" does not bind workspace "${w.name}", which ${iface.source} needs: bind a pipeline workspace to it` });
        }
      }
    }
    return issues;
  },
};
