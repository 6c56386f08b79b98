import { artifactPath, FINDINGS_MANIFEST, findingsPath, KEEP_DIR, STATUS_DIR, statusPath, TEST_RESULTS_DIR, WORK_DIR, WORKSPACE_DIR } from './names';
import { runContextLines } from './triggers';
import { JobDefinition, runStep } from './types';
import { CommandStep, FailureStrategy, Pipeline, ReportFormat, ScanStep, SecurityContextNeed, Stage } from '../../core';
import { shellWord } from '../../core/gate-shell';

/** What a command job needs to know besides its step. */
export interface CommandJobProps {
  readonly pipeline: Pipeline;
  readonly stage: Stage;
  readonly step: CommandStep;
  /** The job's name. */
  readonly job: string;
  /** Whether a gate reads the step's findings (its own gate or its stage's): the job persists them. */
  readonly keepsFindings: boolean;
  /** Whether the job marks its success in the workspace (a final job, when steps run always). */
  readonly marksSuccess: boolean;
  /** Env of a step that runs always: the final jobs whose markers say the run succeeded. @default not an always step */
  readonly alwaysAfter?: string[];
  /** Where a MANUAL_INTERVENTION waits, for the log. @default none */
  readonly interventionJob?: string;
}

/** Environment variable of a step that runs always: `succeeded` or `failed`. */
export const PIPELINE_STATUS_VARIABLE = 'GATEHOUSE_PIPELINE_STATUS';

/** Whether a step needs a Docker daemon (privileged on CodeBuild): CircleCI gives it a remote one. */
export function needsDocker(step: CommandStep): boolean {
  return step.privileged || step.platformForms.some((f) => f.securityContext?.has(SecurityContextNeed.PRIVILEGED) === true);
}

/** Whether the step's failure is recorded instead of failing its job at once (IGNORE) or decided by a hold (MANUAL_INTERVENTION). */
export function recordsFailure(step: CommandStep): boolean {
  return step.onFailure.strategy !== FailureStrategy.FAIL;
}

/** The context variable a secret is read from: its key, else its variable. */
export function contextVariableOf(s: { variable: string; key?: string }): string {
  return s.key ?? s.variable;
}

/**
 * The job of a command (or scan) step, in the step's image:
 * 1. `checkout`; `setup_remote_docker` for a step that needs a Docker daemon; `attach_workspace`
 *    and "gatehouse: prepare", which copies the named input artifacts into the checkout and
 *    removes any findings report the checkout or an input brought (only the scan writes them);
 * 2. the step's commands (`set -e`, retried in the script), which records the exit code, keeps
 *    the reports, stages the output artifacts and, after a scan, its findings with their sha256
 *    manifest; it exits 0 so that what follows runs whatever the commands did;
 * 3. `store_artifacts` (reports), `store_test_results` (JUnit reports; an allowed or
 *    intervention-decided failure as a failed test), `persist_to_workspace` (outputs, findings);
 * 4. "gatehouse: finish" ends the job by the step's exit code and failure strategy.
 */
export function commandJob(props: CommandJobProps): JobDefinition {
  const { pipeline, step } = props;
  const shell = step.shell;
  const steps: Array<string | Record<string, any>> = ['checkout'];
  if (needsDocker(step)) steps.push({ setup_remote_docker: {} });
  if (step.inputs.length > 0) steps.push({ attach_workspace: { at: WORKSPACE_DIR } });
  steps.push(runStep('gatehouse: prepare', prepareScript(step), { shell }));
  steps.push(runStep(step.name, commandScript(props), { shell, noOutputTimeout: `${pipeline.timeoutOf(step)}m` }));
  if (step.reports.length > 0) steps.push({ store_artifacts: { path: KEEP_DIR, destination: props.job } });
  if (step.reports.some((r) => r.format === ReportFormat.JUNIT_XML) || recordsFailure(step)) {
    steps.push({ store_test_results: { path: TEST_RESULTS_DIR } });
  }
  const persisted = [...step.outputs.map((o) => artifactPath(o.name)), ...(props.keepsFindings ? [findingsPath(props.job)] : [])];
  if (persisted.length > 0) steps.push({ persist_to_workspace: { root: WORKSPACE_DIR, paths: persisted } });
  steps.push(runStep('gatehouse: finish', finishScript(props), { shell }));
  if (props.marksSuccess) steps.push(...successMarkerSteps(props.job, shell));
  const env = pipeline.envOf(step);
  return {
    docker: [{ image: pipeline.imageOf(step) }],
    ...(Object.keys(env).length > 0 ? { environment: env } : {}),
    steps,
  };
}

/** The steps a final job ends with when steps run always: a marker that it succeeded, in the workspace. */
export function successMarkerSteps(job: string, shell: string): Array<Record<string, any>> {
  return [
    runStep('gatehouse: mark success', `mkdir -p ${WORKSPACE_DIR}/${statusPath(job)} && : > ${WORKSPACE_DIR}/${statusPath(job)}/succeeded`, { shell }),
    { persist_to_workspace: { root: WORKSPACE_DIR, paths: [statusPath(job)] } },
  ];
}

function prepareScript(step: CommandStep): string {
  const lines = [`mkdir -p ${STATUS_DIR} ${KEEP_DIR} ${TEST_RESULTS_DIR} ${WORKSPACE_DIR} || exit 2`];
  for (const name of step.inputs) {
    lines.push(
      `# input artifact ${name}, as the job that produced it persisted it`,
      `[ -d ${WORKSPACE_DIR}/${artifactPath(name)} ] || { echo "gatehouse: input artifact ${name} is not in the workspace"; exit 2; }`,
      `cp -R ${WORKSPACE_DIR}/${artifactPath(name)}/. . || exit 2`,
    );
  }
  if (step instanceof ScanStep) {
    lines.push(
      '# only the scan writes its findings: a report the checkout or an input brought is removed',
      `rm -rf ${step.findingsReports.map(shellWord).join(' ')} || exit 2`,
    );
  }
  return lines.join('\n') + '\n';
}

function commandScript(props: CommandJobProps): string {
  const { step } = props;
  const lines: string[] = [...runContextLines()];
  const remapped = step.secrets.filter((s) => contextVariableOf(s) !== s.variable);
  if (remapped.length > 0) {
    lines.push('# secrets: from the job\'s contexts, by variable name');
    for (const s of remapped) lines.push(`${s.variable}="\${${contextVariableOf(s)}-}"; export ${s.variable}`);
  }
  if (props.alwaysAfter) {
    lines.push(
      '# the run succeeded when every final job marked its success in the workspace',
      `${PIPELINE_STATUS_VARIABLE}=succeeded`,
      `for j in ${props.alwaysAfter.map(shellWord).join(' ')}; do [ -f "${WORKSPACE_DIR}/status/$j/succeeded" ] || ${PIPELINE_STATUS_VARIABLE}=failed; done`,
      `export ${PIPELINE_STATUS_VARIABLE}`,
    );
  }
  // the commands as written: a line of a multi-line command may be inside a quoted string, so nothing is indented
  const body = ['(', 'set -e', ...step.commands, ')', 'code=$?'];
  if (step.retries > 0) {
    lines.push(
      'attempt=0',
      'while :; do',
      ...body,
      `  if [ "$code" = 0 ] || [ "$attempt" -ge ${step.retries} ]; then break; fi`,
      '  attempt=$((attempt + 1))',
      `  echo "gatehouse: step ${step.name} failed with exit code $code; retry $attempt of ${step.retries}"`,
      'done',
    );
  } else {
    lines.push(...body);
  }
  lines.push(`printf '%s\\n' "$code" > ${STATUS_DIR}/exit-code`);
  if (step.reports.length > 0) {
    lines.push(
      '# reports, kept whatever the commands did',
      'keep() {',
      '  dest="$1"; shift',
      '  for f in "$@"; do',
      '    if [ -e "$f" ]; then mkdir -p "$dest/$(dirname "$f")" && cp -R "$f" "$dest/$f"; else echo "gatehouse: report file $f not found"; fi',
      '  done',
      '}',
      ...step.reports.map((r) => `keep ${KEEP_DIR}/reports/${r.name} ${r.paths.join(' ')}`),
      ...step.reports.filter((r) => r.format === ReportFormat.JUNIT_XML).map((r) => `keep ${TEST_RESULTS_DIR}/${r.name} ${r.paths.join(' ')}`),
    );
  }
  for (const o of step.outputs) {
    const dir = `${WORKSPACE_DIR}/${artifactPath(o.name)}`;
    lines.push(
      `# output artifact ${o.name} (only this job persists it)`,
      `mkdir -p ${dir}`,
      `for f in ${o.paths.join(' ')}; do if [ -e "$f" ]; then mkdir -p "${dir}/$(dirname "$f")" && cp -R "$f" "${dir}/$f"; else echo "gatehouse: output file $f not found"; fi; done`,
    );
  }
  if (props.keepsFindings && step instanceof ScanStep) {
    const dir = `${WORKSPACE_DIR}/${findingsPath(props.job)}`;
    lines.push(
      '# the findings the gate reads, with their sha256: only this job persists this folder',
      `mkdir -p ${dir}`,
      'if [ "$code" = 0 ]; then',
      `  for f in ${step.findingsReports.map(shellWord).join(' ')}; do`,
      `    if [ -f "$f" ] && [ ! -L "$f" ]; then mkdir -p "${dir}/$(dirname "$f")" && cp "$f" "${dir}/$f" || code=2; fi`,
      '  done',
      '  if command -v sha256sum >/dev/null 2>&1; then sum=sha256sum; else sum="busybox sha256sum"; fi',
      `  (cd ${dir} && find . -type f ! -name ${FINDINGS_MANIFEST} | sed 's|^\\./||' | sort | while read -r f; do $sum "$f"; done > ${FINDINGS_MANIFEST}) || {`,
      `    echo "gatehouse: cannot write the sha256 manifest of the findings (the image needs sha256sum or busybox)"; rm -f ${dir}/${FINDINGS_MANIFEST}; code=2`,
      '  }',
      `  printf '%s\\n' "$code" > ${STATUS_DIR}/exit-code`,
      'fi',
    );
  }
  if (recordsFailure(step)) {
    const what = `${props.stage.name}/${step.name}`;
    lines.push(
      '# the real status, as a test result: a failure stays visible on a job that goes on',
      `mkdir -p ${TEST_RESULTS_DIR}/gatehouse`,
      'if [ "$code" = 0 ]; then result=\'\'; else result="<failure message=\\"exit code $code\\"/>"; fi',
      `printf '<?xml version="1.0" encoding="UTF-8"?>\\n<testsuites><testsuite name="gatehouse" tests="1" failures="%s"><testcase classname="${props.stage.name}" name="${step.name}">%s</testcase></testsuite></testsuites>\\n' "$([ "$code" = 0 ] && echo 0 || echo 1)" "$result" > ${TEST_RESULTS_DIR}/gatehouse/${props.job}.xml`,
      `echo "gatehouse: ${what} exited $code"`,
    );
  }
  lines.push('exit 0');
  return lines.join('\n') + '\n';
}

function finishScript(props: CommandJobProps): string {
  const { step } = props;
  const lines = [
    `code="$(cat ${STATUS_DIR}/exit-code 2>/dev/null)"`,
    '[ "$code" -eq "$code" ] 2>/dev/null || { echo "gatehouse: step ' + step.name + ' left no exit code"; exit 2; }',
    '[ "$code" = 0 ] && exit 0',
  ];
  switch (step.onFailure.strategy) {
    case FailureStrategy.IGNORE:
      lines.push(`echo "gatehouse: step ${step.name} failed with exit code $code; the failure is allowed (recorded as a failed test) and the pipeline goes on"`, 'exit 0');
      break;
    case FailureStrategy.MANUAL_INTERVENTION:
      lines.push(`echo "gatehouse: step ${step.name} failed with exit code $code; ${props.interventionJob ? `approval job ${props.interventionJob}` : 'a manual intervention'} decides whether the pipeline goes on"`, 'exit 1');
      break;
    default:
      lines.push(`echo "gatehouse: step ${step.name} failed with exit code $code"`, 'exit "$code"');
  }
  return lines.join('\n') + '\n';
}

export { WORK_DIR };
