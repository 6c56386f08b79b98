import { APPROVAL_KIND, approvalPipelineTask } from './approval-task';
import { CLONE_TIMEOUT_MINUTES, clonePipelineTask } from './clone-task';
import { commandPipelineTask } from './command-task';
import { PlannedTask, planTasks } from './dag';
import { goDuration } from './durations';
import { gateConfigMap, gateConfigMapName, readGateBundle } from './gate-bundle';
import { interventionPipelineTask, stageGatePipelineTask, stageGateReports } from './gate-task';
import {
  CLONE_TASK, COMMIT_RESULT, derivedTaskName, EXIT_CODE_RESULT, GATE_VERDICT_RESULT, INTERVENTION_SUFFIX, REPORTS_WORKSPACE,
  REVISION_PARAM, runnerNameOf, SOURCE_WORKSPACE, stageGateTaskName, taskNameOf, URL_PARAM, VERDICT_RESULT_SUFFIX,
} from './names';
import { RenderOptions } from './options';
import { RbacObjects, rbacObjects } from './rbac';
import { restrictedPodSecurityContext } from './security';
import { asFinallyTask, recordsFailure, stepInterventionPipelineTask } from './strategies';
import { pipelineTimeoutMinutes, TimedTask } from './timeouts';
import { passTrigger, TRIGGER_PARAM_SPEC, whenTrigger } from './trigger-param';
import { trustConfigMap } from './trust';
import { ApprovalStep, CommandStep, FailureStrategy, GatePolicy, gateOutputDir, Pipeline, ScanStep, Stage } from '../../core';
import { assertTektonRenderable } from '../check/rules';
import * as tk from '../imports/tekton.dev';

/**
 * Everything the engine emits for one pipeline: the Tekton objects as props of the generated
 * classes (embedded task specs typed as `tk.TaskSpec`), the RBAC objects as plain bodies.
 */
export interface RenderedPipeline {
  readonly pipeline: tk.PipelineProps;
  readonly pipelineRun: tk.PipelineRunProps;
  readonly rbac: RbacObjects;
  /** Number of approval tasks (manual interventions included). */
  readonly approvals: number;
  /** Names of the pipeline tasks, clone first. */
  readonly taskNames: string[];
  /** The ConfigMap shipping the bundled gate (body without apiVersion/kind), when a gate runs. */
  readonly gateConfigMap?: Record<string, any>;
  /** The ConfigMap holding the inline trust sources of the gates (body without apiVersion/kind), when any. */
  readonly trustConfigMap?: Record<string, any>;
}

/** Renders the model to Tekton objects; throws when the model says what Tekton cannot express. */
export function renderPipeline(model: Pipeline, options: RenderOptions, gateCliPath?: string): RenderedPipeline {
  assertTektonRenderable(model);
  const graph = model.graph();

  const labels = { 'app.kubernetes.io/part-of': model.name, 'app.kubernetes.io/managed-by': 'gatehouse' };
  const planned = planTasks(model, graph);
  const gated = hasGate(model);
  const bundle = gated ? readGateBundle(gateCliPath) : undefined;
  const trust = gated ? trustConfigMap(model, labels) : undefined;
  const shipping = bundle
    ? {
      configMapName: gateConfigMapName(model.name, bundle),
      sha256: bundle.sha256,
      ...(trust ? { trustConfigMapName: trust.name } : {}),
      ...(options.auditEventsUrl ? { eventsUrl: options.auditEventsUrl } : {}),
    }
    : undefined;

  const tasks: tk.PipelineSpecTasks[] = [clonePipelineTask(options)];
  const minutes = new Map<string, number>([[CLONE_TASK, CLONE_TIMEOUT_MINUTES]]);
  const results: tk.PipelineSpecResults[] = [
    { name: COMMIT_RESULT, type: 'string', description: 'the commit built', value: `$(tasks.${CLONE_TASK}.results.${COMMIT_RESULT})` },
  ];
  // a gate whose failure waits for an approval: downstream tasks wait for the approval task instead
  const interventionOf = new Map<string, string>();
  const addGateOutcome = (task: string, what: string, policy: GatePolicy) => {
    results.push({
      name: `${task}-${VERDICT_RESULT_SUFFIX}`,
      type: 'string',
      description: `verdict of the gatehouse gate of ${what} (failure strategy ${policy.failureStrategy})`,
      value: `$(tasks.${task}.results.${GATE_VERDICT_RESULT})`,
    });
    if (policy.failureStrategy === FailureStrategy.MANUAL_INTERVENTION) {
      const name = derivedTaskName(task, INTERVENTION_SUFFIX);
      tasks.push(interventionPipelineTask(name, task, what, policy));
      minutes.set(name, policy.interventionTimeoutMinutes);
      interventionOf.set(task, name);
    }
  };
  let hasReports = false;
  let approvals = 0;
  const byStage = new Map<Stage, PlannedTask[]>();
  for (const p of planned) {
    byStage.set(p.stage, [...(byStage.get(p.stage) ?? []), p]);
  }
  const stageOfTask = new Map<string, Stage>();
  for (const [stage, stagePlanned] of byStage) {
    const first = tasks.length;
    for (const p of stagePlanned) {
      if (p.step instanceof CommandStep) {
        const stageGateReads = p.stage.gate !== undefined && p.step instanceof ScanStep && p.stage.gateScans().includes(p.step);
        tasks.push(commandPipelineTask(model, p, p.step, options, shipping, stageGateReads));
        minutes.set(p.name, model.timeoutOf(p.step) * (p.step.retries + 1));
        hasReports ||= p.step.reports.length > 0;
        if (recordsFailure(p.step)) {
          const manual = p.step.onFailure.strategy === FailureStrategy.MANUAL_INTERVENTION;
          results.push({
            name: `${p.name}-${EXIT_CODE_RESULT}`,
            type: 'string',
            description: `exit code of ${p.stage.name}/${p.step.name}, whose failure is ${manual ? 'decided by a manual intervention' : 'allowed'} (0 when it passed)`,
            value: `$(tasks.${p.name}.results.${EXIT_CODE_RESULT})`,
          });
          if (manual) {
            const name = derivedTaskName(p.name, INTERVENTION_SUFFIX);
            tasks.push(stepInterventionPipelineTask(name, p.name, `${p.stage.name}/${p.step.name}`, p.step));
            minutes.set(name, p.step.onFailure.timeoutMinutes);
            interventionOf.set(p.name, name);
          }
        }
        if (p.step instanceof ScanStep && p.step.gate) {
          addGateOutcome(p.name, `${p.stage.name}/${p.step.name}`, p.step.gate);
        }
      } else if (p.step instanceof ApprovalStep) {
        tasks.push(approvalPipelineTask(p, p.step));
        minutes.set(p.name, p.step.timeoutMinutes);
        approvals++;
      }
    }
    if (stage.gate && shipping) {
      const name = stageGateTaskName(stage);
      tasks.push(stageGatePipelineTask(model, {
        name,
        stage,
        policy: stage.gate,
        reports: stageGateReports(stage),
        outputDir: gateOutputDir(stage.name),
        runAfter: stage.gateScans().map((s) => taskNameOf(stage, s)),
        scanTaskNames: stage.gateScans().map((s) => taskNameOf(stage, s)),
      }, shipping, options));
      minutes.set(name, model.defaultTimeoutMinutes);
      hasReports = true;
      addGateOutcome(name, `stage ${stage.name}`, stage.gate);
    }
    for (const t of tasks.slice(first)) stageOfTask.set(t.name!, stage);
  }
  const interventions = new Set(interventionOf.values());
  for (const t of tasks) {
    if (t.runAfter && !interventions.has(t.name!)) {
      (t as { runAfter?: string[] }).runAfter = [...new Set(t.runAfter.map((n) => interventionOf.get(n) ?? n))];
    }
  }
  const timed: TimedTask[] = tasks.map((t) => ({ name: t.name!, minutes: minutes.get(t.name!)!, runAfter: t.runAfter ?? [] }));
  // steps that run always: finally tasks, after every other task (their longest timeout is added to the run's)
  const finallyTasks = graph.alwaysSteps().map(({ stage, step }) => {
    const name = taskNameOf(stage, step);
    hasReports ||= step.reports.length > 0;
    minutes.set(name, model.timeoutOf(step) * (step.retries + 1));
    return whenTrigger(passTrigger(asFinallyTask(commandPipelineTask(model, { name, stage, step, runAfter: [] }, step, options))), stage);
  });
  // every step knows its trigger; a stage limited to some triggers is skipped on the others
  const triggered = tasks.map((t) => {
    const stage = stageOfTask.get(t.name!);
    if (t.name === CLONE_TASK) return t; // the engine's own clone needs none
    return stage ? whenTrigger(passTrigger(t), stage) : passTrigger(t);
  });
  const finallyMinutes = Math.max(0, ...finallyTasks.map((t) => minutes.get(t.name!)!));

  const pipeline: tk.PipelineProps = {
    metadata: { name: model.name, labels },
    spec: {
      params: [
        { name: URL_PARAM, type: 'string', description: 'clone URL of the repository' },
        { name: REVISION_PARAM, type: 'string', description: 'branch, tag or commit to build' },
        TRIGGER_PARAM_SPEC,
      ],
      workspaces: [
        { name: SOURCE_WORKSPACE, description: 'the cloned source, shared by every task' },
        ...(hasReports ? [{ name: REPORTS_WORKSPACE, description: 'reports kept even when a step fails: each task mounts only its folder <run>/<task>' }] : []),
      ],
      tasks: triggered,
      ...(finallyTasks.length > 0 ? { finally: finallyTasks } : {}),
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
      timeouts: { pipeline: goDuration(pipelineTimeoutMinutes(timed) + finallyMinutes) },
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
    approvals: approvals + interventionOf.size,
    taskNames: [...triggered, ...finallyTasks].map((t) => t.name!),
    gateConfigMap: bundle && shipping ? gateConfigMap(shipping.configMapName, bundle, labels) : undefined,
    trustConfigMap: trust?.body,
  };
}

/** Whether any scan step or stage runs the gate (the bundled gate is shipped only then). */
export function hasGate(model: Pipeline): boolean {
  return model.stages.some((st) => st.gate !== undefined || st.steps.some((s) => s instanceof ScanStep && s.gate !== undefined));
}

/** Whether a pipeline task is the manual-approval-gate custom task. */
export function isApprovalTask(task: { taskRef?: { kind?: string } }): boolean {
  return task.taskRef?.kind === APPROVAL_KIND;
}
