import { expr, literal, secretRef } from './expressions';
import { findingsArtifactOf, reportsArtifactOf, stagingDir } from './names';
import { checkoutStep, downloadStep, MANIFEST_FUNCTION, sarifStep, uploadStep, WorkflowStep } from './steps';
import { CommandStep, FailureStrategy, Pipeline, ReportFormat, ScanStep, Stage } from '../../core';
import { shellWord } from '../../core/gate-shell';

/** Environment variable of a step that runs always: `succeeded` or `failed`. */
export const PIPELINE_STATUS_VARIABLE = 'GATEHOUSE_PIPELINE_STATUS';

/** Id of the step running the commands (its `outcome` is the real status). */
export const RUN_STEP_ID = 'run';
/** Id of the step that stages reports, outputs and findings. */
export const KEEP_STEP_ID = 'keep';

/** Output artifacts and findings leave only when the commands succeeded (an allowed failure continues the job). */
const RUN_SUCCEEDED = `steps.${RUN_STEP_ID}.outcome == 'success'`;

/** The run's status as a step that runs always sees it (it needs every other job). */
const NEEDS_STATUS = "(contains(needs.*.result, 'failure') || contains(needs.*.result, 'cancelled')) && 'failed' || 'succeeded'";

/** Whether a failed step's job still succeeds, with the real status in its `outcome` output. */
export function recordsFailure(step: CommandStep): boolean {
  return step.allowFailure || step.onFailure.strategy === FailureStrategy.MANUAL_INTERVENTION;
}

/** What a command job needs to know besides its step. */
export interface CommandJobContext {
  readonly pipeline: Pipeline;
  readonly stage: Stage;
  readonly step: CommandStep;
  readonly id: string;
  readonly runsOn: string;
  /** Whether a gate reads this scan's findings (its own gate or its stage's). */
  readonly findingsRead: boolean;
  /** Whether the job runs always (after every other job). */
  readonly always: boolean;
}

/**
 * The job of a command step: checkout, the input artifacts, the commands (with their retries; an
 * allowed or intervened failure continues, its real status kept as the `outcome` output), then,
 * whatever happened, the reports staged and uploaded as an artifact and SARIF reports sent to code
 * scanning; on success its output artifacts, and a scan's findings with their sha256 (the only
 * artifact its gate jobs read: see gate-job.ts).
 */
export function commandJob(ctx: CommandJobContext): Record<string, unknown> {
  const { pipeline, step, id } = ctx;
  const env = pipeline.envOf(step);
  const reports = step.reports.flatMap((r) => r.paths);
  const findings = ctx.findingsRead && step instanceof ScanStep ? step.findingsReports : [];
  const runEnv: Array<[string, string]> = [
    ...(ctx.always ? [['GATEHOUSE_NEEDS_STATUS', expr(NEEDS_STATUS)] as [string, string]] : []),
    ...step.secrets.map((s) => [s.variable, secretRef(s.secretName)] as [string, string]),
  ];
  const steps: WorkflowStep[] = [checkoutStep()];
  for (const input of step.inputs) steps.push(downloadStep(`input ${input}`, input, '.'));
  steps.push({
    name: 'run',
    id: RUN_STEP_ID,
    ...(recordsFailure(step) ? { 'continue-on-error': true } : {}),
    ...(runEnv.length > 0 ? { env: Object.fromEntries(runEnv) } : {}),
    shell: `${step.shell} {0}`,
    run: literal(runScript(step, ctx.always)),
  });
  const keep = keepScript(step, id, findings);
  if (keep) steps.push({ name: 'keep reports and outputs', id: KEEP_STEP_ID, if: 'always()', shell: `${step.shell} {0}`, run: keep });
  if (reports.length > 0) {
    steps.push(uploadStep({ name: 'upload reports', artifact: reportsArtifactOf(id), path: stagingDir('reports', id).expression, condition: 'always()', ifNoFiles: 'warn' }));
  }
  step.reports.filter((r) => r.format === ReportFormat.SARIF).forEach((r) => {
    r.paths.forEach((p, i) => steps.push(sarifStep(`code scanning: ${r.name}${r.paths.length > 1 ? ` ${i + 1}` : ''}`, p, `${id}/${r.name}${r.paths.length > 1 ? `-${i + 1}` : ''}`)));
  });
  for (const o of step.outputs) {
    steps.push(uploadStep({ name: `output ${o.name}`, artifact: o.name, path: stagingDir('outputs', o.name).expression, condition: RUN_SUCCEEDED, ifNoFiles: 'error' }));
  }
  if (findings.length > 0) {
    steps.push(uploadStep({
      name: 'upload findings for the gate',
      artifact: findingsArtifactOf(id),
      path: stagingDir('findings', id).expression,
      condition: RUN_SUCCEEDED,
      ifNoFiles: 'error',
    }));
  }
  const outputs: Record<string, string> = {
    ...(recordsFailure(step) ? { outcome: expr(`steps.${RUN_STEP_ID}.outcome`) } : {}),
    ...(findings.length > 0 ? { 'findings-sha256': expr(`steps.${KEEP_STEP_ID}.outputs.findings-sha256`) } : {}),
  };
  return {
    'runs-on': ctx.runsOn,
    'container': { image: pipeline.imageOf(step), ...(step.privileged ? { options: '--privileged' } : {}) },
    'permissions': { contents: 'read' },
    'timeout-minutes': pipeline.timeoutOf(step) * (step.retries + 1),
    ...(Object.keys(env).length > 0 ? { env: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, literal(v)])) } : {}),
    ...(Object.keys(outputs).length > 0 ? { outputs } : {}),
    steps,
  };
}

/**
 * The commands, `set -e` style: the first failure fails them. With retries they run in a
 * subshell function (never in a condition, where `set -e` would not apply), again after a
 * failure, at most `retries` more times. A step that runs always is told the run's status.
 */
export function runScript(step: CommandStep, always: boolean): string {
  const status = always
    ? [`${PIPELINE_STATUS_VARIABLE}="$GATEHOUSE_NEEDS_STATUS"`, `export ${PIPELINE_STATUS_VARIABLE}`]
    : [];
  const body = ['export PATH="$HOME/.local/bin:$PATH"', ...step.commands];
  if (step.retries === 0) return [...status, 'set -e', ...body].join('\n') + '\n';
  return [
    ...status,
    'gatehouse_commands() (',
    '  set -e',
    ...body.map((l) => `  ${l}`),
    ')',
    'attempt=1',
    'while :; do',
    '  gatehouse_commands',
    '  code=$?',
    '  [ "$code" -eq 0 ] && exit 0',
    `  if [ "$attempt" -gt ${step.retries} ]; then echo "gatehouse: step ${step.name} failed with exit code $code after ${step.retries} retries"; exit "$code"; fi`,
    `  echo "gatehouse: step ${step.name} failed with exit code $code; retry $attempt of ${step.retries}"`,
    '  attempt=$((attempt + 1))',
    'done',
  ].join('\n') + '\n';
}

/**
 * Stages what leaves the job, at their paths relative to the source root: the reports (globs
 * expand), the output artifacts, and a scan's findings reports, whose manifest sha256 becomes the
 * job's `findings-sha256` output. Undefined when there is nothing to stage.
 */
export function keepScript(step: CommandStep, jobId: string, findings: string[]): string | undefined {
  if (step.reports.length === 0 && step.outputs.length === 0 && findings.length === 0) return undefined;
  const lines = [
    'keep() {',
    '  dest="$1"',
    '  shift',
    '  mkdir -p "$dest" || exit 2',
    '  for f in "$@"; do',
    '    if [ -e "$f" ]; then',
    '      mkdir -p "$dest/$(dirname "$f")" && cp -R "$f" "$dest/$f" || exit 2',
    '    else',
    '      echo "gatehouse: $f not found"',
    '    fi',
    '  done',
    '}',
  ];
  const reports = step.reports.flatMap((r) => r.paths);
  if (reports.length > 0) lines.push(`keep ${stagingDir('reports', jobId).shell} ${reports.join(' ')}`);
  for (const o of step.outputs) lines.push(`keep ${stagingDir('outputs', o.name).shell} ${o.paths.join(' ')}`);
  if (findings.length > 0) {
    const dir = stagingDir('findings', jobId).shell;
    lines.push(
      '# the findings the gate reads, as the scan left them, and their sha256 (a job output only this job sets)',
      MANIFEST_FUNCTION,
      `rm -rf ${dir}`,
      `keep ${dir} ${findings.map(shellWord).join(' ')}`,
      `echo "findings-sha256=$(gatehouse_manifest ${dir})" >> "$GITHUB_OUTPUT"`,
    );
  }
  return lines.join('\n') + '\n';
}
