import { PlannedTask } from './dag';
import { goDuration } from './durations';
import { EXIT_CODE_RESULT, FINISH_STEP, LABEL_PREFIX, REPORTS_WORKSPACE, RUN_STEP, SOURCE_WORKSPACE } from './names';
import { RenderOptions } from './options';
import { secureStepTemplate, TEMPLATE_VOLUMES } from './security';
import { CommandStep, Pipeline } from '../../core';
import * as tk from '../imports/tekton.dev';

/**
 * The pipeline task of a command step, with its embedded taskSpec:
 * - step `run` runs the commands in the source workspace;
 * - when the step may fail (allowFailure) or keeps reports, `run` continues on error and step
 *   `finish` records the exit code as the `exit-code` result, copies the reports to the reports
 *   workspace, then fails the task with the same code unless the failure is allowed (an allowed
 *   failure is retried first when the step has retries).
 */
export function commandPipelineTask(
  pipeline: Pipeline,
  planned: PlannedTask,
  step: CommandStep,
  options: RenderOptions,
): tk.PipelineSpecTasks {
  const labels: Record<string, string> = {
    [`${LABEL_PREFIX}/stage`]: planned.stage.name,
    [`${LABEL_PREFIX}/stage-kind`]: planned.stage.kind.toLowerCase(),
  };
  if (planned.stage.environment) {
    labels[`${LABEL_PREFIX}/environment`] = planned.stage.environment;
  }
  const annotations: Record<string, string> =
    step.reports.length > 0
      ? { [`${LABEL_PREFIX}/reports`]: JSON.stringify(step.reports.map((r) => ({ name: r.name, format: r.format, paths: r.paths }))) }
      : {};

  return {
    name: planned.name,
    runAfter: planned.runAfter,
    timeout: goDuration(pipeline.timeoutOf(step)),
    ...(step.retries > 0 ? { retries: step.retries } : {}),
    workspaces: [
      { name: SOURCE_WORKSPACE, workspace: SOURCE_WORKSPACE },
      ...(step.reports.length > 0 ? [{ name: REPORTS_WORKSPACE, workspace: REPORTS_WORKSPACE }] : []),
    ],
    taskSpec: {
      metadata: { labels, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) },
      ...commandTaskSpec(pipeline, step, options),
    },
  };
}

/** The spec of a command step's task: step `run`, and step `finish` when the step may fail or keeps reports. */
export function commandTaskSpec(pipeline: Pipeline, step: CommandStep, options: RenderOptions): tk.TaskSpec {
  const needsFinish = step.allowFailure || step.reports.length > 0;
  const env = pipeline.envOf(step);
  const runEnv: tk.TaskSpecStepsEnv[] = [
    ...Object.entries(env).map(([name, value]) => ({ name, value })),
    ...step.secrets.map((s) => ({
      name: s.variable,
      valueFrom: { secretKeyRef: { name: s.secretName, key: s.key! } },
    })),
  ];
  const image = pipeline.imageOf(step);
  const steps: tk.TaskSpecSteps[] = [
    {
      name: RUN_STEP,
      image,
      ...(runEnv.length > 0 ? { env: runEnv } : {}),
      script: runScript(step.commands),
      ...(needsFinish ? { onError: 'continue' } : {}),
    },
  ];
  if (needsFinish) {
    steps.push({
      name: FINISH_STEP,
      image,
      ...(step.reports.length > 0 ? { env: step.reports.map((r) => ({ name: reportVariable(r.name), value: r.paths.join(' ') })) } : {}),
      script: finishScript(step),
    });
  }

  return {
    workspaces: [
      { name: SOURCE_WORKSPACE },
      ...(step.reports.length > 0 ? [{ name: REPORTS_WORKSPACE }] : []),
    ],
    ...(needsFinish
      ? { results: [{ name: EXIT_CODE_RESULT, type: 'string', description: `exit code of the commands of step "${step.name}"` }] }
      : {}),
    volumes: TEMPLATE_VOLUMES,
    stepTemplate: secureStepTemplate(options),
    steps,
  };
}

/** The environment variable listing the files of a report (globs expand in the shell). */
function reportVariable(reportName: string): string {
  return `REPORT_${reportName.toUpperCase().replace(/-/g, '_')}`;
}

function runScript(commands: string[]): string {
  return ['#!/bin/sh', 'set -e', 'export PATH="$HOME/.local/bin:$PATH"', ...commands].join('\n') + '\n';
}

function finishScript(step: CommandStep): string {
  const lines = [
    '#!/bin/sh',
    `code="$(cat "$(steps.step-${RUN_STEP}.exitCode.path)")"`,
    `printf '%s' "$code" > "$(results.${EXIT_CODE_RESULT}.path)"`,
  ];
  if (step.reports.length > 0) {
    lines.push(
      'keep() {',
      `  dest="$(workspaces.${REPORTS_WORKSPACE}.path)/$(context.taskRun.name)/$1"`,
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
  lines.push('if [ "$code" != 0 ]; then');
  if (step.allowFailure) {
    lines.push(`  echo "gatehouse: step ${step.name} failed with exit code $code; the failure is allowed"`);
    if (step.retries > 0) {
      lines.push(`  if [ "$(context.task.retry-count)" -lt ${step.retries} ]; then exit "$code"; fi`);
    }
  } else {
    lines.push(`  echo "gatehouse: step ${step.name} failed with exit code $code"`, '  exit "$code"');
  }
  lines.push('fi');
  return lines.join('\n') + '\n';
}
