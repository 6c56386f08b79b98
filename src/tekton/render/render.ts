import { APPROVAL_KIND, approvalPipelineTask } from './approval-task';
import { CLONE_TIMEOUT_MINUTES, clonePipelineTask } from './clone-task';
import { commandPipelineTask } from './command-task';
import { planTasks } from './dag';
import { goDuration } from './durations';
import {
  CLONE_TASK, COMMIT_RESULT, EXIT_CODE_RESULT, REPORTS_WORKSPACE, REVISION_PARAM, runnerNameOf, SOURCE_WORKSPACE, URL_PARAM,
} from './names';
import { RenderOptions } from './options';
import { RbacObjects, rbacObjects } from './rbac';
import { restrictedPodSecurityContext } from './security';
import { pipelineTimeoutMinutes, TimedTask } from './timeouts';
import { assertExpressible } from './unsupported';
import { ApprovalStep, CommandStep, Pipeline } from '../../core';
import * as tk from '../imports/tekton.dev';

/**
 * Everything the engine emits for one pipeline: the Tekton objects as props of the generated
 * classes (embedded task specs typed as `tk.TaskSpec`), the RBAC objects as plain bodies.
 */
export interface RenderedPipeline {
  readonly pipeline: tk.PipelineProps;
  readonly pipelineRun: tk.PipelineRunProps;
  readonly rbac: RbacObjects;
  /** Number of approval tasks. */
  readonly approvals: number;
  /** Names of the pipeline tasks, clone first. */
  readonly taskNames: string[];
}

/** Renders the model to Tekton objects; throws when the model says what Tekton cannot express. */
export function renderPipeline(model: Pipeline, options: RenderOptions): RenderedPipeline {
  const graph = model.graph();
  assertExpressible(model);

  const labels = { 'app.kubernetes.io/part-of': model.name, 'app.kubernetes.io/managed-by': 'gatehouse' };
  const planned = planTasks(model, graph);
  const tasks: tk.PipelineSpecTasks[] = [clonePipelineTask(options)];
  const timed: TimedTask[] = [{ name: CLONE_TASK, minutes: CLONE_TIMEOUT_MINUTES, runAfter: [] }];
  const results: tk.PipelineSpecResults[] = [
    { name: COMMIT_RESULT, type: 'string', description: 'the commit built', value: `$(tasks.${CLONE_TASK}.results.${COMMIT_RESULT})` },
  ];
  let hasReports = false;
  let approvals = 0;
  for (const p of planned) {
    if (p.step instanceof CommandStep) {
      tasks.push(commandPipelineTask(model, p, p.step, options));
      timed.push({ name: p.name, minutes: model.timeoutOf(p.step) * (p.step.retries + 1), runAfter: p.runAfter });
      hasReports ||= p.step.reports.length > 0;
      if (p.step.allowFailure) {
        results.push({
          name: `${p.name}-${EXIT_CODE_RESULT}`,
          type: 'string',
          description: `exit code of ${p.stage.name}/${p.step.name}, whose failure is allowed (0 when it passed)`,
          value: `$(tasks.${p.name}.results.${EXIT_CODE_RESULT})`,
        });
      }
    } else if (p.step instanceof ApprovalStep) {
      tasks.push(approvalPipelineTask(p, p.step));
      timed.push({ name: p.name, minutes: p.step.timeoutMinutes, runAfter: p.runAfter });
      approvals++;
    }
  }

  const pipeline: tk.PipelineProps = {
    metadata: { name: model.name, labels },
    spec: {
      params: [
        { name: URL_PARAM, type: 'string', description: 'clone URL of the repository' },
        { name: REVISION_PARAM, type: 'string', description: 'branch, tag or commit to build' },
      ],
      workspaces: [
        { name: SOURCE_WORKSPACE, description: 'the cloned source, shared by every task' },
        ...(hasReports ? [{ name: REPORTS_WORKSPACE, description: 'reports kept even when a step fails' }] : []),
      ],
      tasks,
      results,
    },
  };

  const claim = (storage: string) => ({
    spec: {
      accessModes: ['ReadWriteOnce'],
      ...(options.storageClassName ? { storageClassName: options.storageClassName } : {}),
      resources: { requests: { storage } },
    },
  });
  const pipelineRun: tk.PipelineRunProps = {
    metadata: { generateName: `${model.name}-run-`, labels },
    spec: {
      pipelineRef: { name: model.name },
      params: [
        { name: URL_PARAM, value: model.source.url },
        { name: REVISION_PARAM, value: model.source.branch ?? 'main' },
      ],
      taskRunTemplate: {
        serviceAccountName: runnerNameOf(model.name),
        podTemplate: {
          automountServiceAccountToken: false,
          securityContext: restrictedPodSecurityContext(options),
        },
      },
      timeouts: { pipeline: goDuration(pipelineTimeoutMinutes(timed)) },
      workspaces: [
        { name: SOURCE_WORKSPACE, volumeClaimTemplate: claim(options.workspaceSize) },
        ...(hasReports
          ? [
            options.reportsClaimName
              ? { name: REPORTS_WORKSPACE, persistentVolumeClaim: { claimName: options.reportsClaimName } }
              : { name: REPORTS_WORKSPACE, volumeClaimTemplate: claim(options.workspaceSize) },
          ]
          : []),
      ],
    },
  };

  return {
    pipeline,
    pipelineRun,
    rbac: rbacObjects(model, options, labels),
    approvals,
    taskNames: tasks.map((t) => t.name!),
  };
}

/** Whether a pipeline task is the manual-approval-gate custom task. */
export function isApprovalTask(task: { taskRef?: { kind?: string } }): boolean {
  return task.taskRef?.kind === APPROVAL_KIND;
}
