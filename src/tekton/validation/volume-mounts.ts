import { objectLabel, TektonIssue, TektonRule } from './types';
import { isObject, nameSet, taskSpecs } from './walk';

/**
 * Every volume mount of a step, of the step template and of a sidecar names a volume of its task:
 * the pod of a task mounting an undeclared volume is never created (Tekton finds out at run time).
 */
export const volumeMountsRule: TektonRule = {
  id: 'volume-mounts',
  description: 'volume mounts name a volume of their task',
  check(ctx) {
    const issues: TektonIssue[] = [];
    for (const t of taskSpecs(ctx)) {
      const volumes = nameSet(ctx, t.spec.volumes);
      const containers: Array<[string, unknown]> = [[`${t.field}.stepTemplate`, t.spec.stepTemplate]];
      for (const key of ['steps', 'sidecars']) {
        (Array.isArray(t.spec[key]) ? t.spec[key] : []).forEach((c: unknown, i: number) => containers.push([`${t.field}.${key}[${i}]`, c]));
      }
      for (const [field, c] of containers) {
        if (!isObject(c) || !Array.isArray(c.volumeMounts)) continue;
        c.volumeMounts.forEach((m: unknown, i: number) => {
          if (isObject(m) && !volumes.has(m.name)) {
            issues.push({
              object: objectLabel(t.manifest),
              field: `${field}.volumeMounts[${i}].name`,
              message: `mounts volume "${m.name}", which the task does not declare: add it to ${t.field}.volumes or remove the mount`,
            });
          }
        });
      }
    }
    return issues;
  },
};
