import { APPROVAL_API_VERSION, APPROVAL_KIND } from './approval-task';
import { goDuration } from './durations';
import { BUNDLE_ENV, gateScript, GateScriptProps, SHA256_ENV } from './gate-script';
import {
  GATE_BUNDLE_KEY, GATE_MOUNT_PATH, GATE_SEVERITIES, GATE_STEP, GATE_VERDICT_RESULT, GATE_VOLUME, gateCountResult,
  LABEL_PREFIX, REPORTS_WORKSPACE, SOURCE_WORKSPACE,
} from './names';
import { RenderOptions } from './options';
import { secureStepTemplate, TEMPLATE_VOLUMES } from './security';
import { GatePolicy, Pipeline, ScanCategory, ScanStep, Stage } from '../../core';
import * as tk from '../imports/tekton.dev';

/** Where the gate steps find the bundled gate: its ConfigMap and the sha256 it must have. */
export interface GateShipping {
  readonly configMapName: string;
  readonly sha256: string;
}

/** The results of a task that runs a gate: one count per severity, then the verdict. */
export function gateResults(what: string): tk.TaskSpecResults[] {
  return [
    ...GATE_SEVERITIES.map((s) => ({ name: gateCountResult(s), type: 'string', description: `${s} findings the gate of ${what} counted` })),
    { name: GATE_VERDICT_RESULT, type: 'string', description: `verdict of the gate of ${what}: PASSED, FAILED or ERROR` },
  ];
}

/** The ConfigMap volume holding the bundled gate (only the gate step mounts it, read-only). */
export function gateVolume(shipping: GateShipping): Record<string, unknown> {
  return { name: GATE_VOLUME, configMap: { name: shipping.configMapName } };
}

/** The step that runs the bundled gate, in the gate image, after the scan (see gateScript). */
export function gateStep(pipeline: Pipeline, shipping: GateShipping, props: GateScriptProps): tk.TaskSpecSteps {
  return {
    name: GATE_STEP,
    image: pipeline.gateImage,
    env: [
      { name: BUNDLE_ENV, value: `${GATE_MOUNT_PATH}/${GATE_BUNDLE_KEY}` },
      { name: SHA256_ENV, value: shipping.sha256 },
    ],
    volumeMounts: [{ name: GATE_VOLUME, mountPath: GATE_MOUNT_PATH, readOnly: true }],
    script: gateScript(props),
  };
}

/**
 * The report files a stage gate decides over: those of every scan step of the stage, deduplicated,
 * in step order, except the records of ungated supply-chain steps (a signature or attestation
 * record holds no findings and no parser reads it).
 */
export function stageGateScans(stage: Stage): ScanStep[] {
  return stage.steps.filter((s): s is ScanStep => s instanceof ScanStep && (s.gate !== undefined || s.category !== ScanCategory.SUPPLY_CHAIN));
}

/** The reports a stage gate reads. */
export function stageGateReports(stage: Stage): string[] {
  return [...new Set(stageGateScans(stage).flatMap((s) => s.findingsReports))];
}

/** Properties of a stage gate's pipeline task. */
export interface StageGateTaskProps {
  readonly name: string;
  readonly stage: Stage;
  readonly policy: GatePolicy;
  readonly reports: string[];
  readonly outputDir: string;
  readonly runAfter: string[];
}

/** The pipeline task of a stage gate: one gate step over every scan report of the stage. */
export function stageGatePipelineTask(
  pipeline: Pipeline,
  props: StageGateTaskProps,
  shipping: GateShipping,
  options: RenderOptions,
): tk.PipelineSpecTasks {
  const what = `stage ${props.stage.name}`;
  const labels: Record<string, string> = {
    [`${LABEL_PREFIX}/stage`]: props.stage.name,
    [`${LABEL_PREFIX}/stage-kind`]: props.stage.kind.toLowerCase(),
  };
  if (props.stage.environment) {
    labels[`${LABEL_PREFIX}/environment`] = props.stage.environment;
  }
  return {
    name: props.name,
    runAfter: props.runAfter,
    timeout: goDuration(pipeline.defaultTimeoutMinutes),
    workspaces: [
      { name: SOURCE_WORKSPACE, workspace: SOURCE_WORKSPACE },
      { name: REPORTS_WORKSPACE, workspace: REPORTS_WORKSPACE },
    ],
    taskSpec: {
      metadata: { labels },
      workspaces: [{ name: SOURCE_WORKSPACE }, { name: REPORTS_WORKSPACE }],
      results: gateResults(what),
      volumes: [...TEMPLATE_VOLUMES, gateVolume(shipping)],
      stepTemplate: secureStepTemplate(options),
      steps: [gateStep(pipeline, shipping, { what, policy: props.policy, reports: props.reports, outputDir: props.outputDir })],
    },
  };
}

/**
 * The ApprovalTask that lets a failed gate through (`FailureStrategy.MANUAL_INTERVENTION`): it runs
 * only when the gate's verdict is FAILED, the intervention approvers decide, and a reject or the
 * timeout fails the run. Approvers named `group:<name>` are groups, others users.
 */
export function interventionPipelineTask(name: string, gatedTask: string, what: string, policy: GatePolicy): tk.PipelineSpecTasks {
  const timeout = goDuration(policy.interventionTimeoutMinutes);
  const count = (s: string) => `$(tasks.${gatedTask}.results.${gateCountResult(s)}) ${s}`;
  const description =
    `The gatehouse gate of ${what} FAILED (${GATE_SEVERITIES.map(count).join(', ')}). ` +
    `Findings: gate/gatehouse.md in the folder of TaskRun $(context.pipelineRun.name)-${gatedTask} of the reports workspace. ` +
    'Approve to let this run go on, reject to stop it.';
  return {
    name,
    runAfter: [gatedTask],
    timeout,
    when: [{ input: `$(tasks.${gatedTask}.results.${GATE_VERDICT_RESULT})`, operator: 'in', values: ['FAILED'] }],
    taskRef: { apiVersion: APPROVAL_API_VERSION, kind: APPROVAL_KIND },
    params: [
      { name: 'approvers', value: [...policy.interventionApprovers] },
      { name: 'numberOfApprovalsRequired', value: '1' },
      { name: 'description', value: description },
      { name: 'timeout', value: timeout },
    ],
  };
}
