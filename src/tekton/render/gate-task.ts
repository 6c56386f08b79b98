import { APPROVAL_API_VERSION, APPROVAL_KIND, approvalTaskApprover } from './approval-task';
import { goDuration } from './durations';
import { BUNDLE_ENV, gateScript, GateScriptProps, SHA256_ENV } from './gate-script';
import { findingsFolderOf, gateInputPath } from './isolation';
import {
  GATE_BUNDLE_KEY, GATE_INPUT_FOLDER, GATE_MOUNT_PATH, GATE_STEP, GATE_VERDICT_RESULT, GATE_VOLUME, GATE_WORK_DIR,
  GATE_WORK_VOLUME, gateCountResult, LABEL_PREFIX, REPORTS_WORKSPACE, reportsSubPath, SOURCE_MOUNT_PATH, SOURCE_WORKSPACE, TRUST_DIR,
} from './names';
import { RenderOptions } from './options';
import { secureStepTemplate, TEMPLATE_VOLUMES } from './security';
import { trustMount, trustVolume } from './trust';
import { gateReportFormats, gateReports, GatePolicy, Pipeline, Stage } from '../../core';
import { SEVERITY_LADDER } from '../../core/severity';
import * as tk from '../imports/tekton.dev';

/**
 * Where the gate steps find the bundled gate (its ConfigMap and the sha256 it must have), and the
 * ConfigMap of the pipeline's inline trust sources, when it has any.
 */
export interface GateShipping {
  readonly configMapName: string;
  readonly sha256: string;
  readonly trustConfigMapName?: string;
  /** A CloudEvents sink the gates also POST their audit events to (`auditEventsUrl`). */
  readonly eventsUrl?: string;
}

/** The volumes a gate step mounts besides its inputs: the bundled gate, its working folder, its trust files. */
export function gateVolumes(shipping: GateShipping, policy: GatePolicy): Array<Record<string, unknown>> {
  const trust = trustVolume(policy, shipping.trustConfigMapName);
  return [gateVolume(shipping), { name: GATE_WORK_VOLUME, emptyDir: {} }, ...(trust ? [trust] : [])];
}

/** The results of a task that runs a gate: one count per severity, then the verdict. */
export function gateResults(what: string): tk.TaskSpecResults[] {
  return [
    ...SEVERITY_LADDER.map((s) => ({ name: gateCountResult(s), type: 'string', description: `${s} findings the gate of ${what} counted` })),
    { name: GATE_VERDICT_RESULT, type: 'string', description: `verdict of the gate of ${what}: PASSED, FAILED or ERROR` },
  ];
}

/** The ConfigMap volume holding the bundled gate (only the gate step mounts it, read-only). */
export function gateVolume(shipping: GateShipping): Record<string, unknown> {
  return { name: GATE_VOLUME, configMap: { name: shipping.configMapName } };
}

/**
 * The step that runs the bundled gate, in the gate image, after the scan (see gateScript): in its
 * own working folder, with the bundled gate and its trust files mounted read-only; `inputMounts`
 * are the read-only mounts of its inputs that are volumes of the task (a scan's findings emptyDir).
 */
export function gateStep(
  pipeline: Pipeline,
  shipping: GateShipping,
  props: Omit<GateScriptProps, 'gateArgsOptions'> & { readonly reportFormats?: string[] },
  inputMounts: tk.TaskSpecStepsVolumeMounts[] = [],
): tk.TaskSpecSteps {
  const trust = props.policy.trustFiles(TRUST_DIR).length > 0;
  return {
    name: GATE_STEP,
    image: pipeline.gateImage,
    workingDir: GATE_WORK_DIR,
    env: [
      { name: BUNDLE_ENV, value: `${GATE_MOUNT_PATH}/${GATE_BUNDLE_KEY}` },
      { name: SHA256_ENV, value: shipping.sha256 },
    ],
    volumeMounts: [
      { name: GATE_VOLUME, mountPath: GATE_MOUNT_PATH, readOnly: true },
      { name: GATE_WORK_VOLUME, mountPath: GATE_WORK_DIR },
      ...(trust ? [trustMount()] : []),
      ...inputMounts,
    ],
    script: gateScript({
      ...props,
      gateArgsOptions: {
        pipelineName: pipeline.name,
        trustDir: TRUST_DIR,
        ...(props.reportFormats ? { reportFormats: props.reportFormats } : {}),
        ...(shipping.eventsUrl ? { eventsUrl: shipping.eventsUrl } : {}),
      },
    }),
  };
}

/**
 * The report files a stage gate decides over: those of every scan step of the stage (see
 * Stage.gateScans), deduplicated, in step order.
 */
export function stageGateReports(stage: Stage): string[] {
  return gateReports(stage.gateScans());
}

/** Properties of a stage gate's pipeline task. */
export interface StageGateTaskProps {
  readonly name: string;
  readonly stage: Stage;
  readonly policy: GatePolicy;
  readonly reports: string[];
  readonly outputDir: string;
  readonly runAfter: string[];
  /** Pipeline task names of the stage's scans (Stage.gateScans order). */
  readonly scanTaskNames: string[];
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
  // each scan's findings, from the scan task's own folder of the reports workspace, read-only
  const scans = props.stage.gateScans();
  const inputs = scans.map((scan, i) => ({
    scan,
    workspace: `findings-${i + 1}`,
    task: props.scanTaskNames[i],
  }));
  return {
    name: props.name,
    runAfter: props.runAfter,
    timeout: goDuration(pipeline.defaultTimeoutMinutes),
    workspaces: [
      { name: SOURCE_WORKSPACE, workspace: SOURCE_WORKSPACE },
      { name: REPORTS_WORKSPACE, workspace: REPORTS_WORKSPACE, subPath: reportsSubPath(props.name) },
      ...inputs.map((x) => ({ name: x.workspace, workspace: REPORTS_WORKSPACE, subPath: `${reportsSubPath(x.task)}/${GATE_INPUT_FOLDER}` })),
    ],
    taskSpec: {
      metadata: { labels },
      workspaces: [
        { name: SOURCE_WORKSPACE, mountPath: SOURCE_MOUNT_PATH, readOnly: true },
        { name: REPORTS_WORKSPACE },
        ...inputs.map((x) => ({
          name: x.workspace,
          description: `findings of ${props.stage.name}/${x.scan.name}, as its scan wrote them`,
          mountPath: gateInputPath(x.scan),
          readOnly: true,
        })),
      ],
      results: gateResults(what),
      volumes: [...TEMPLATE_VOLUMES, ...gateVolumes(shipping, props.policy)],
      stepTemplate: secureStepTemplate(options),
      steps: [gateStep(pipeline, shipping, {
        what,
        policy: props.policy,
        reports: props.reports,
        inputs: inputs.map((x) => ({ folder: findingsFolderOf(x.scan), mountPath: gateInputPath(x.scan) })),
        outputDir: props.outputDir,
        reportFormats: gateReportFormats(scans, props.reports),
      })],
    },
  };
}

/**
 * The ApprovalTask that lets a failed gate through (`FailureStrategy.MANUAL_INTERVENTION`): it runs
 * only when the gate's verdict is FAILED, the intervention approvers decide, and a reject or the
 * timeout fails the run. Groups are named `group:<name>`, users as they are.
 */
export function interventionPipelineTask(name: string, gatedTask: string, what: string, policy: GatePolicy): tk.PipelineSpecTasks {
  const timeout = goDuration(policy.interventionTimeoutMinutes);
  const count = (s: string) => `$(tasks.${gatedTask}.results.${gateCountResult(s)}) ${s}`;
  const description =
    `The gatehouse gate of ${what} FAILED (${SEVERITY_LADDER.map(count).join(', ')}). ` +
    `Findings: gate/gatehouse.md in folder $(context.pipelineRun.name)/${gatedTask} of the reports workspace. ` +
    'Approve to let this run go on, reject to stop it.';
  return {
    name,
    runAfter: [gatedTask],
    timeout,
    when: [{ input: `$(tasks.${gatedTask}.results.${GATE_VERDICT_RESULT})`, operator: 'in', values: ['FAILED'] }],
    taskRef: { apiVersion: APPROVAL_API_VERSION, kind: APPROVAL_KIND },
    params: [
      { name: 'approvers', value: policy.interventionApprovers.map(approvalTaskApprover) },
      { name: 'numberOfApprovalsRequired', value: '1' },
      { name: 'description', value: description },
      { name: 'timeout', value: timeout },
    ],
  };
}
