import * as path from 'path';

/** Exported variable holding a command step's real result: `SUCCEEDED` or `FAILED`. */
export const STATUS_VARIABLE = 'GATEHOUSE_STEP_STATUS';

/** Exported variable holding the exit code of a command step's last attempt. */
export const EXIT_CODE_VARIABLE = 'GATEHOUSE_EXIT_CODE';

/** What the step script needs to know. */
export interface StepScriptOptions {
  readonly pipelineName: string;
  readonly stageName: string;
  readonly stepName: string;
  readonly commands: string[];
  /** Total attempts: 1 + retries. */
  readonly attempts: number;
  readonly allowFailure: boolean;
  /**
   * A failure waits for a manual intervention (an intervention stage after the action reads the
   * exported status): the build succeeds, as with `allowFailure`, and says so.
   * @default false
   */
  readonly intervention?: boolean;
  /**
   * Commands run before the step's own, in the same subshell (e.g. what an always step is told).
   * @default - none
   */
  readonly prelude?: string[];
  /** Path of the status file, relative to the source root. */
  readonly statusFile: string;
  /**
   * Values the step writes to files, exported under their names (Tekton Chains names) when the
   * commands succeed; a missing file then fails the step.
   * @default - none
   */
  readonly results?: Array<{ readonly name: string; readonly path: string }>;
}

/**
 * The POSIX `sh` script that runs a command step inside CodeBuild.
 *
 * - The commands run in a subshell with `set -e`: the first failing command fails the attempt.
 * - A failed attempt is retried until `attempts` is reached (each attempt reruns every command in
 *   the same container and working copy).
 * - The real result is always recorded: printed to the log, exported as `GATEHOUSE_STEP_STATUS` /
 *   `GATEHOUSE_EXIT_CODE` (CodeBuild `exported-variables`, visible as action variables in
 *   CodePipeline), and written as JSON to the status file, which is kept with the step's reports.
 * - The script's own status (the last statement) is the step's result, except with `allowFailure`,
 *   where a failure is reported and the build still succeeds so the pipeline goes on.
 *
 * User commands are inserted unindented so that heredocs keep working.
 */
export function renderStepScript(o: StepScriptOptions): string {
  const label = `${o.stageName}/${o.stepName}`;
  const statusPath = `"$CODEBUILD_SRC_DIR/${o.statusFile}"`;
  const statusDir = `"$CODEBUILD_SRC_DIR/${path.posix.dirname(o.statusFile)}"`;
  const run = ['(', 'set -e', ...(o.prelude ?? []), ...o.commands, ')'];
  const lines = [`# gatehouse step ${label}: ${o.attempts} attempt(s), allowFailure ${o.allowFailure}`, 'set +e'];
  if (o.attempts === 1) {
    lines.push(...run, `${EXIT_CODE_VARIABLE}=$? gatehouse_attempt=1`);
  } else {
    lines.push(
      'gatehouse_attempt=0',
      'while :; do',
      '  gatehouse_attempt=$((gatehouse_attempt + 1))',
      ...run,
      `  ${EXIT_CODE_VARIABLE}=$?`,
      `  { [ "$${EXIT_CODE_VARIABLE}" -eq 0 ] || [ "$gatehouse_attempt" -ge ${o.attempts} ]; } && break`,
      `  echo "gatehouse: ${label} attempt $gatehouse_attempt of ${o.attempts} failed with exit code $${EXIT_CODE_VARIABLE}; retrying"`,
      'done',
    );
  }
  for (const r of o.results ?? []) {
    const file = `"$CODEBUILD_SRC_DIR/${r.path}"`;
    lines.push(
      `if [ "$${EXIT_CODE_VARIABLE}" -eq 0 ]; then`,
      `  if [ -f ${file} ]; then ${r.name}="$(cat ${file})"; export ${r.name}`,
      `  else echo "gatehouse: ${label} did not write ${r.path}, the value of ${r.name}"; ${EXIT_CODE_VARIABLE}=1; fi`,
      'fi',
    );
  }
  lines.push(
    `if [ "$${EXIT_CODE_VARIABLE}" -eq 0 ]; then ${STATUS_VARIABLE}=SUCCEEDED; else ${STATUS_VARIABLE}=FAILED; fi`,
    `export ${STATUS_VARIABLE} ${EXIT_CODE_VARIABLE}`,
    `mkdir -p ${statusDir}`,
    'printf \'{"pipeline":"%s","stage":"%s","step":"%s","status":"%s","exitCode":%s,"attempts":%s,"allowFailure":%s}\\n\' ' +
      `"${o.pipelineName}" "${o.stageName}" "${o.stepName}" "$${STATUS_VARIABLE}" "$${EXIT_CODE_VARIABLE}" "$gatehouse_attempt" ${o.allowFailure} > ${statusPath}`,
    `echo "gatehouse: ${label} $${STATUS_VARIABLE} with exit code $${EXIT_CODE_VARIABLE} after $gatehouse_attempt attempt(s)"`,
  );
  if (o.intervention) {
    lines.push(
      `[ "$${STATUS_VARIABLE}" = SUCCEEDED ] || echo "gatehouse: ${label} FAILED: a manual intervention decides whether the pipeline goes on (see ${STATUS_VARIABLE} and ${o.statusFile})"`,
      'true',
    );
  } else if (o.allowFailure) {
    lines.push(
      `[ "$${STATUS_VARIABLE}" = SUCCEEDED ] || echo "gatehouse: ${label} FAILED, and allowFailure lets the pipeline go on: see ${STATUS_VARIABLE} and ${o.statusFile}"`,
      'true',
    );
  } else {
    lines.push(`[ "$${EXIT_CODE_VARIABLE}" -eq 0 ]`);
  }
  return lines.join('\n') + '\n';
}
