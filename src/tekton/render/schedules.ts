import { REVISION_PARAM, schedulerNameOf, TRIGGER_PARAM } from './names';
import { RenderOptions } from './options';
import { restrictedPodSecurityContext } from './security';
import { Pipeline, TriggerKind, triggerWord } from '../../core';
import * as tk from '../imports/tekton.dev';

/** Default image of the schedules' CronJobs: the Kubernetes project's kubectl image (override with `schedulerImage`). */
export const DEFAULT_SCHEDULER_IMAGE = 'registry.k8s.io/kubectl:v1.32.0';

const RUN_FILE = 'pipelinerun.json';
const RUN_DIR = '/run/gatehouse';

/**
 * One CronJob per schedule, creating a PipelineRun of the pipeline (trigger `schedule`) from a
 * ConfigMap with `kubectl create` (no shell); the pod runs restricted (non-root, no privilege
 * escalation, every capability dropped, read-only root, RuntimeDefault seccomp). Its
 * ServiceAccount's Role may only `create` pipelineruns: Kubernetes RBAC cannot limit `create`
 * to one object name (the name is not known before the object exists), so the Role is scoped
 * to the namespace: keep the pipeline in a namespace of its own.
 */
export function renderSchedules(
  model: Pipeline,
  run: tk.PipelineRunProps,
  options: RenderOptions,
  image: string,
  labels: Record<string, string>,
): Array<Record<string, any>> {
  const schedules = model.triggers.filter((t) => t.kind === TriggerKind.SCHEDULE);
  if (schedules.length === 0) return [];
  const sa = schedulerNameOf(model.name);
  const rbac = 'rbac.authorization.k8s.io/v1';
  const out: Array<Record<string, any>> = [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sa, labels } },
    {
      apiVersion: rbac,
      kind: 'Role',
      metadata: { name: sa, labels },
      rules: [{ apiGroups: ['tekton.dev'], resources: ['pipelineruns'], verbs: ['create'] }],
    },
    { apiVersion: rbac, kind: 'RoleBinding', metadata: { name: sa, labels }, subjects: [{ kind: 'ServiceAccount', name: sa }], roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: sa } },
  ];
  for (const s of schedules) {
    const name = `${model.name}-${s.scheduleName}`;
    const body = {
      apiVersion: tk.PipelineRun.GVK.apiVersion,
      kind: tk.PipelineRun.GVK.kind,
      metadata: { ...run.metadata, labels: { ...run.metadata?.labels, 'gatehouse.dev/schedule': s.scheduleName! } },
      spec: {
        ...run.spec,
        params: [
          ...(run.spec?.params ?? []).filter((x) => x.name !== TRIGGER_PARAM),
          { name: TRIGGER_PARAM, value: triggerWord(TriggerKind.SCHEDULE) },
        ],
      },
    };
    if (!body.spec.params.some((x) => x.name === REVISION_PARAM)) throw new Error(`the PipelineRun of ${model.name} has no ${REVISION_PARAM} param`);
    out.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, immutable: false, data: { [RUN_FILE]: `${JSON.stringify(body, undefined, 2)}\n` } });
    out.push({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name, labels },
      spec: {
        schedule: s.cron,
        timeZone: s.timeZone,
        concurrencyPolicy: 'Forbid',
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          spec: {
            backoffLimit: 2,
            template: {
              metadata: { labels },
              spec: {
                serviceAccountName: sa,
                restartPolicy: 'Never',
                securityContext: restrictedPodSecurityContext(options),
                containers: [
                  {
                    name: 'create-run',
                    image,
                    command: ['kubectl', 'create', '-f', `${RUN_DIR}/${RUN_FILE}`],
                    securityContext: {
                      allowPrivilegeEscalation: false,
                      readOnlyRootFilesystem: true,
                      runAsNonRoot: true,
                      capabilities: { drop: ['ALL'] },
                      seccompProfile: { type: 'RuntimeDefault' },
                    },
                    resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
                    volumeMounts: [{ name: 'run', mountPath: RUN_DIR, readOnly: true }],
                  },
                ],
                volumes: [{ name: 'run', configMap: { name } }],
              },
            },
          },
        },
      },
    });
  }
  return out;
}
