import { PlannedTask } from './dag';
import { goDuration } from './durations';
import { gateResults, GateShipping, gateStep, gateVolumes } from './gate-task';
import { findingsFolderOf, findingsVolume, gateInputPath, hasIsolatedFindings, readFindingsMount, sourceFindingsMount } from './isolation';
import {
  EXIT_CODE_RESULT, FINISH_STEP, GATE_INPUT_FOLDER, LABEL_PREFIX, REPORTS_WORKSPACE, reportsSubPath, RUN_STEP, SOURCE_MOUNT_PATH, SOURCE_WORKSPACE,
} from './names';
import { RenderOptions } from './options';
import { exceptionAnnotations, exceptionSecurityContext, secureStepTemplate, TEMPLATE_VOLUMES } from './security';
import { recordsFailure } from './strategies';
import { ChainsResult, CommandStep, gateOutputDir, gateReportFormats, Pipeline, ScanStep, StepPlatform } from '../../core';
import * as tk from '../imports/tekton.dev';

/**
 * The pipeline task of a command step, with its embedded taskSpec:
 * - step `run` runs the commands in the source workspace;
 * - when the step may fail (IGNORE, or MANUAL_INTERVENTION: see recordsFailure) or keeps reports, `run` continues on error and step
 *   `finish` records the exit code as the `exit-code` result, copies the reports to the reports
 *   workspace, then fails the task with the same code unless the failure is allowed (an allowed
 *   failure is retried first when the step has retries);
 * - a gated scan step then runs step `gate`: the bundled gatehouse gate over its findings reports
 *   (see gateScript), which needs `shipping` (where the bundled gate is).
 * The task mounts only its own folder of the reports workspace (subPath `<pipelineRun>/<task>`).
 */
export function commandPipelineTask(
  pipeline: Pipeline,
  planned: PlannedTask,
  step: CommandStep,
  options: RenderOptions,
  shipping?: GateShipping,
  stageGateReads: boolean = false,
): tk.PipelineSpecTasks {
  const labels: Record<string, string> = {
    [`${LABEL_PREFIX}/stage`]: planned.stage.name,
    [`${LABEL_PREFIX}/stage-kind`]: planned.stage.kind.toLowerCase(),
  };
  if (planned.stage.environment) {
    labels[`${LABEL_PREFIX}/environment`] = planned.stage.environment;
  }
  const annotations: Record<string, string> = {
    ...(step.reports.length > 0
      ? { [`${LABEL_PREFIX}/reports`]: JSON.stringify(step.reports.map((r) => ({ name: r.name, format: r.format, paths: r.paths }))) }
      : {}),
    // a typed security-context exception is visible on the task (and its pod)
    ...exceptionAnnotations(step.formFor(StepPlatform.KUBERNETES)?.securityContext),
  };

  return {
    name: planned.name,
    runAfter: planned.runAfter,
    timeout: goDuration(pipeline.timeoutOf(step)),
    ...(step.retries > 0 ? { retries: step.retries } : {}),
    workspaces: [
      { name: SOURCE_WORKSPACE, workspace: SOURCE_WORKSPACE },
      ...(step.reports.length > 0 ? [{ name: REPORTS_WORKSPACE, workspace: REPORTS_WORKSPACE, subPath: reportsSubPath(planned.name) }] : []),
    ],
    taskSpec: {
      metadata: { labels, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) },
      ...commandTaskSpec(pipeline, step, options, shipping && { shipping, stageName: planned.stage.name }, stageGateReads),
    },
  };
}

/** Where a gated scan's gate finds the bundled gate, and the stage it belongs to. */
export interface ScanGate {
  readonly shipping: GateShipping;
  readonly stageName: string;
}

/**
 * The spec of a command step's task: step `run`, step `finish` when the step may fail or keeps
 * reports, and step `gate` after a gated scan. A scan whose findings reports lie in its findings
 * folder gets that folder as an emptyDir of its pod (see isolation.ts); when a stage gate reads
 * them (`stageGateReads`), step `finish` copies them to `gate-input/` of the task's reports folder.
 */
export function commandTaskSpec(
  pipeline: Pipeline,
  step: CommandStep,
  options: RenderOptions,
  scanGate?: ScanGate,
  stageGateReads: boolean = false,
): tk.TaskSpec {
  const gate = step instanceof ScanStep ? step.gate : undefined;
  const isolated = step instanceof ScanStep && hasIsolatedFindings(step) ? step : undefined;
  const keepsGateInput = isolated !== undefined && stageGateReads;
  if (gate && !scanGate) {
    throw new Error(`scan step "${step.name}" is gated, and its task was rendered without the bundled gate: pass where the gate is shipped`);
  }
  const chains = chainsResultsOf(step);
  const needsFinish = recordsFailure(step) || step.reports.length > 0 || chains.length > 0;
  const form = step.formFor(StepPlatform.KUBERNETES);
  const env = pipeline.envOf(step, StepPlatform.KUBERNETES);
  const runEnv: tk.TaskSpecStepsEnv[] = [
    ...Object.entries(env).map(([name, value]) => ({ name, value })),
    ...step.secrets.map((s) => ({
      name: s.variable,
      valueFrom: { secretKeyRef: { name: s.secretName, key: s.key! } },
    })),
  ];
  const image = pipeline.imageOf(step, StepPlatform.KUBERNETES);
  const steps: tk.TaskSpecSteps[] = [
    {
      name: RUN_STEP,
      image,
      ...(runEnv.length > 0 ? { env: runEnv } : {}),
      ...(form?.securityContext ? { securityContext: exceptionSecurityContext(form.securityContext) } : {}),
      script: runScript(step.shell, step.commandsFor(StepPlatform.KUBERNETES)),
      ...(needsFinish ? { onError: 'continue' } : {}),
      ...(isolated ? { volumeMounts: [sourceFindingsMount(isolated, false)] } : {}),
    },
  ];
  if (needsFinish) {
    const finishEnv = [
      ...step.reports.map((r) => ({ name: reportVariable(r.name), value: r.paths.join(' ') })),
      ...chains.map((r) => ({ name: `RESULT_${r.name}`, value: r.path })),
    ];
    steps.push({
      name: FINISH_STEP,
      image,
      ...(finishEnv.length > 0 ? { env: finishEnv } : {}),
      ...(isolated ? { volumeMounts: [sourceFindingsMount(isolated, true), ...(keepsGateInput ? [readFindingsMount(isolated)] : [])] } : {}),
      script: finishScript(step, chains, keepsGateInput ? isolated : undefined),
    });
  }
  if (gate && scanGate) {
    const scan = step as ScanStep;
    if (!isolated) {
      throw new Error(`scan step "${step.name}" is gated, and its findings reports lie outside ${findingsFolderOf(scan)}/: no other task may write a gate's inputs`);
    }
    steps.push(gateStep(pipeline, scanGate.shipping, {
      what: `${scanGate.stageName}/${step.name}`,
      policy: gate,
      reports: scan.findingsReports,
      inputs: [{ folder: findingsFolderOf(scan), mountPath: gateInputPath(scan) }],
      outputDir: gateOutputDir(scanGate.stageName, step.name),
      reportFormats: gateReportFormats([scan], scan.findingsReports),
    }, [readFindingsMount(scan)]));
  }
  const volumes = [
    ...TEMPLATE_VOLUMES,
    ...(isolated ? [findingsVolume()] : []),
    ...(gate && scanGate ? gateVolumes(scanGate.shipping, gate) : []),
  ];

  return {
    workspaces: [
      { name: SOURCE_WORKSPACE, mountPath: SOURCE_MOUNT_PATH },
      ...(step.reports.length > 0 ? [{ name: REPORTS_WORKSPACE }] : []),
    ],
    ...(needsFinish
      ? {
        results: [
          { name: EXIT_CODE_RESULT, type: 'string', description: `exit code of the commands of step "${step.name}"` },
          ...chains.map((r) => ({ name: r.name, type: 'string', description: `${r.name} for Tekton Chains, read from ${r.path}` })),
          ...(gate && scanGate ? gateResults(`${scanGate.stageName}/${step.name}`) : []),
        ],
      }
      : {}),
    volumes,
    stepTemplate: secureStepTemplate(options),
    steps,
  };
}

/** Results a scan step publishes for Tekton Chains. */
function chainsResultsOf(step: CommandStep): ChainsResult[] {
  return step instanceof ScanStep ? step.chainsResults : [];
}

/** The environment variable listing the files of a report (globs expand in the shell). */
function reportVariable(reportName: string): string {
  return `REPORT_${reportName.toUpperCase().replace(/-/g, '_')}`;
}

function runScript(shell: string, commands: string[]): string {
  return [`#!${shell}`, 'set -e', 'export PATH="$HOME/.local/bin:$PATH"', ...commands].join('\n') + '\n';
}

function finishScript(step: CommandStep, chains: ChainsResult[], gateInputOf?: ScanStep): string {
  const lines = [
    `#!${step.shell}`,
    `code="$(cat "$(steps.step-${RUN_STEP}.exitCode.path)")"`,
    `printf '%s' "$code" > "$(results.${EXIT_CODE_RESULT}.path)"`,
  ];
  if (step.reports.length > 0) {
    lines.push(
      'keep() {',
      `  dest="$(workspaces.${REPORTS_WORKSPACE}.path)/$1"`,
      '  shift',
      '  for f in "$@"; do',
      '    if [ -e "$f" ]; then',
      '      mkdir -p "$dest/$(dirname "$f")" && cp -R "$f" "$dest/$f"',
      '    else',
      '      echo "gatehouse: report file $f not found"',
      '    fi',
      '  done',
      '}',
      ...step.reports.map((r) => `keep ${r.name} $${reportVariable(r.name)}`),
    );
  }
  if (gateInputOf) {
    // what the stage gate reads: the findings folder as the scanner left it (its read-only mount, never the shared source)
    lines.push(
      `gate_input="$(workspaces.${REPORTS_WORKSPACE}.path)/${GATE_INPUT_FOLDER}"`,
      'rm -rf "$gate_input" && mkdir -p "$gate_input" &&',
      `  cp -R ${gateInputPath(gateInputOf)}/. "$gate_input/" || {`,
      `  echo "gatehouse: cannot keep ${step.name} findings for the stage gate"`,
      '  exit 1',
      '}',
    );
  }
  if (chains.length > 0) {
    // a result the step promised but did not write fails a passing step: no provenance without it
    lines.push('missing=0');
    for (const r of chains) {
      lines.push(
        `if [ -f "$RESULT_${r.name}" ]; then cat "$RESULT_${r.name}" > "$(results.${r.name}.path)"; ` +
          `else echo "gatehouse: result file $RESULT_${r.name} (${r.name}) not found"; missing=1; fi`,
      );
    }
  }
  lines.push('if [ "$code" != 0 ]; then');
  if (recordsFailure(step)) {
    lines.push(
      step.allowFailure
        ? `  echo "gatehouse: step ${step.name} failed with exit code $code; the failure is allowed"`
        : `  echo "gatehouse: step ${step.name} failed with exit code $code; a manual intervention decides whether the run goes on"`,
    );
    if (step.retries > 0) {
      lines.push(`  if [ "$(context.task.retry-count)" -lt ${step.retries} ]; then exit "$code"; fi`);
    }
  } else {
    lines.push(`  echo "gatehouse: step ${step.name} failed with exit code $code"`, '  exit "$code"');
  }
  lines.push('fi');
  if (chains.length > 0) {
    lines.push('if [ "$missing" != 0 ]; then exit 1; fi');
  }
  return lines.join('\n') + '\n';
}
