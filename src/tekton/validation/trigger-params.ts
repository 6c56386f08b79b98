import { objectLabel, TektonIssue, TektonRule } from './types';

const TT_PARAM = /\$\(tt\.params\.([^)]*)\)/g;

/**
 * A TriggerTemplate declares every `$(tt.params.x)` its resource templates use, creates only
 * tekton.dev/v1 PipelineRuns of an emitted Pipeline, and every TriggerBinding param is one the
 * templates declare (an undeclared one stays a literal `$(tt.params.x)` in the run).
 */
export const triggerParamsRule: TektonRule = {
  id: 'trigger-params',
  description: 'TriggerTemplates declare the params they use and create PipelineRuns of emitted Pipelines; bindings give declared params',
  check(ctx) {
    const issues: TektonIssue[] = [];
    const pipelines = new Set(ctx.manifests.filter((m) => m.apiVersion === 'tekton.dev/v1' && m.kind === 'Pipeline').map((m) => m.metadata?.name));
    const declaredAll = new Set<string>();
    const templates = ctx.manifests.filter((m) => m.apiVersion === 'triggers.tekton.dev/v1beta1' && m.kind === 'TriggerTemplate');
    for (const tt of templates) {
      const declared = new Set<string>((Array.isArray(tt.spec?.params) ? tt.spec.params : []).map((p: any) => p?.name));
      declared.forEach((d) => declaredAll.add(d));
      (Array.isArray(tt.spec?.resourcetemplates) ? tt.spec.resourcetemplates : []).forEach((r: any, i: number) => {
        const f = `spec.resourcetemplates[${i}]`;
        if (r?.apiVersion !== 'tekton.dev/v1' || r?.kind !== 'PipelineRun') {
          issues.push({ object: objectLabel(tt), field: f, message: `creates ${r?.apiVersion} ${r?.kind}: a gatehouse template creates tekton.dev/v1 PipelineRuns only` });
        } else if (!pipelines.has(r.spec?.pipelineRef?.name)) {
          issues.push({ object: objectLabel(tt), field: `${f}.spec.pipelineRef.name`, message: `names Pipeline "${r.spec?.pipelineRef?.name}", which is not emitted` });
        }
        for (const m of JSON.stringify(r).matchAll(TT_PARAM)) {
          if (!declared.has(m[1])) issues.push({ object: objectLabel(tt), field: f, message: `uses $(tt.params.${m[1]}), which spec.params does not declare: declare it` });
        }
      });
    }
    for (const b of ctx.manifests.filter((m) => m.apiVersion === 'triggers.tekton.dev/v1beta1' && m.kind === 'TriggerBinding')) {
      (Array.isArray(b.spec?.params) ? b.spec.params : []).forEach((p: any, i: number) => {
        if (typeof p?.value !== 'string') issues.push({ object: objectLabel(b), field: `spec.params[${i}].value`, message: 'is not a string: a binding param value is a string' });
        if (templates.length > 0 && !declaredAll.has(p?.name)) {
          issues.push({ object: objectLabel(b), field: `spec.params[${i}].name`, message: `"${p?.name}" is declared by no TriggerTemplate: it would be dropped` });
        }
      });
    }
    return issues;
  },
};
