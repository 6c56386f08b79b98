import { objectLabel, TektonIssue, TektonRule } from './types';
import { isObject, taskSpecs } from './walk';

/**
 * A ConfigMap volume of a task names a ConfigMap emitted in the same namespace, and the keys it
 * selects exist in it (unless the volume is optional): otherwise the task's pod waits for it until
 * the task times out. A projected volume may name ConfigMaps the platform owns (trust sources read
 * at run time); a projected ConfigMap that is emitted must hold the keys it selects.
 */
export const configMapRefsRule: TektonRule = {
  id: 'configmap-refs',
  description: 'ConfigMap volumes name an emitted ConfigMap of their namespace and keys it holds',
  check(ctx) {
    const issues: TektonIssue[] = [];
    const configMaps = ctx.manifests.filter((m) => m?.apiVersion === 'v1' && m?.kind === 'ConfigMap');
    for (const t of taskSpecs(ctx)) {
      const namespace = t.manifest.metadata?.namespace;
      const keysOf = (cm: Record<string, any>) => new Set([...Object.keys(cm.data ?? {}), ...Object.keys(cm.binaryData ?? {})]);
      (Array.isArray(t.spec.volumes) ? t.spec.volumes : []).forEach((v: unknown, i: number) => {
        if (isObject(v) && isObject(v.projected) && Array.isArray(v.projected.sources)) {
          v.projected.sources.forEach((src: unknown, j: number) => {
            if (!isObject(src) || !isObject(src.configMap) || src.configMap.optional === true) return;
            const cm = configMaps.find((m) => m.metadata?.name === src.configMap.name && m.metadata?.namespace === namespace);
            if (!cm) return;
            const keys = keysOf(cm);
            (Array.isArray(src.configMap.items) ? src.configMap.items : []).forEach((item: unknown, k: number) => {
              if (isObject(item) && !keys.has(item.key)) {
                issues.push({
                  object: objectLabel(t.manifest),
                  field: `${t.field}.volumes[${i}].projected.sources[${j}].configMap.items[${k}].key`,
                  message: `selects key "${item.key}", which ConfigMap "${src.configMap.name}" does not hold (it has ${[...keys].join(', ') || 'none'})`,
                });
              }
            });
          });
        }
        if (!isObject(v) || !isObject(v.configMap) || v.configMap.optional === true) return;
        const field = `${t.field}.volumes[${i}].configMap`;
        const name = v.configMap.name;
        const cm = configMaps.find((m) => m.metadata?.name === name && m.metadata?.namespace === namespace);
        if (!cm) {
          issues.push({
            object: objectLabel(t.manifest),
            field: `${field}.name`,
            message: `names ConfigMap "${name}", which is not emitted in namespace "${namespace ?? 'default'}": emit it beside the pipeline or fix the name`,
          });
          return;
        }
        const keys = keysOf(cm);
        (Array.isArray(v.configMap.items) ? v.configMap.items : []).forEach((item: unknown, j: number) => {
          if (isObject(item) && !keys.has(item.key)) {
            issues.push({
              object: objectLabel(t.manifest),
              field: `${field}.items[${j}].key`,
              message: `selects key "${item.key}", which ConfigMap "${name}" does not hold (it has ${[...keys].join(', ') || 'none'})`,
            });
          }
        });
      });
    }
    return issues;
  },
};
