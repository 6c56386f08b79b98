import { objectLabel, TektonIssue, TektonRule } from './types';
import { isKind, isObject } from './walk';

/**
 * A PipelineRun runs an emitted Pipeline: it passes only declared params and every param without
 * a default, binds every workspace the pipeline needs and no other, and runs as an emitted
 * ServiceAccount (Tekton checks these only when the run starts).
 */
export const pipelineRunRefsRule: TektonRule = {
  id: 'pipeline-run-refs',
  description: 'PipelineRuns reference an emitted Pipeline and ServiceAccount, and match its params and workspaces',
  check(ctx) {
    const issues: TektonIssue[] = [];
    for (const run of ctx.manifests.filter((m) => isKind(m, 'PipelineRun'))) {
      const issue = (field: string, message: string) => issues.push({ object: objectLabel(run), field, message });
      const ns = run.metadata?.namespace;
      let spec: Record<string, any> | undefined;
      if (isObject(run.spec?.pipelineSpec)) {
        spec = run.spec.pipelineSpec;
      } else {
        const name = run.spec?.pipelineRef?.name;
        const pipeline = ctx.manifests.find((m) => isKind(m, 'Pipeline') && m.metadata?.name === name && m.metadata?.namespace === ns);
        if (!pipeline) {
          issue('spec.pipelineRef.name', `runs Pipeline "${String(name)}", which is not emitted in namespace "${ns ?? 'default'}": emit it or fix the name`);
          continue;
        }
        spec = pipeline.spec ?? {};
      }
      const paramSpecs: Record<string, any>[] = (Array.isArray(spec!.params) ? spec!.params : []).filter(isObject);
      const declared = new Map(paramSpecs.map((p) => [p.name as string, p] as const));
      const passed = new Set<string>();
      (Array.isArray(run.spec?.params) ? run.spec.params : []).forEach((p: unknown, i: number) => {
        if (!isObject(p)) return;
        if (!declared.has(p.name)) {issue(`spec.params[${i}]`, `param "${p.name}" is not declared by the pipeline: remove it`);} else if (Array.isArray(p.value) !== ((declared.get(p.name)!.type ?? 'string') === 'array')) {
          issue(`spec.params[${i}]`, `param "${p.name}" does not have the type the pipeline declares (${declared.get(p.name)!.type ?? 'string'})`);
        }
        passed.add(p.name);
      });
      for (const [name, p] of declared) {
        if (p.default === undefined && !passed.has(name)) issue('spec.params', `param "${name}" is required by the pipeline: pass a value`);
      }
      const needed = (Array.isArray(spec!.workspaces) ? spec!.workspaces : []).filter(isObject);
      const bound = new Set<string>();
      (Array.isArray(run.spec?.workspaces) ? run.spec.workspaces : []).forEach((w: unknown, i: number) => {
        if (!isObject(w)) return;
        if (!needed.some((n: any) => n.name === w.name)) issue(`spec.workspaces[${i}].name`, `binds workspace "${w.name}", which the pipeline does not declare: remove it`);
        bound.add(w.name);
      });
      for (const w of needed) {
        if (w.optional !== true && !bound.has(w.name)) issue('spec.workspaces', `workspace "${w.name}" of the pipeline is not bound: bind a volume to it`);
      }
      const sa = run.spec?.taskRunTemplate?.serviceAccountName;
      if (sa !== undefined && !ctx.manifests.some((m) => m.apiVersion === 'v1' && m.kind === 'ServiceAccount' && m.metadata?.name === sa && m.metadata?.namespace === ns)) {
        issue('spec.taskRunTemplate.serviceAccountName', `runs as ServiceAccount "${sa}", which is not emitted in namespace "${ns ?? 'default'}": emit it or fix the name`);
      }
    }
    return issues;
  },
};
