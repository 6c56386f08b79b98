import { SUMMARY_PREFIX } from './naming';
import { GateArgsOptions, GATE_EVENTS_FILE, GATE_STORED_BASELINE_FILE } from '../core';
import { gateRunLines, GateScriptSubject, shellWord, verifyGateCommand } from '../core/gate-shell';
import { GATE_VALUE_NAMES, GATE_VERDICT_VARIABLE, gateCountVariable } from '../core/gate-values';
import { SEVERITY_LADDER } from '../core/severity';

export { GATE_VERDICT_VARIABLE, gateCountVariable, shellWord };

/** Severities the gate counts, in the order of their `GATE_<SEVERITY>` variables (the ladder). */
export const GATE_SEVERITIES: readonly string[] = SEVERITY_LADDER;

/** Exported variable holding the console link of a gate's Markdown summary. */
export const GATE_SUMMARY_VARIABLE = 'GATE_SUMMARY_URL';

/** Exported variable holding the console link of the folder with every gate summary of the execution. */
export const GATE_SUMMARIES_VARIABLE = 'GATE_SUMMARIES_URL';

/** Every variable a gate action exports, in order: the gate's values, then the summary links. */
export const GATE_VARIABLES = [...GATE_VALUE_NAMES, GATE_SUMMARY_VARIABLE, GATE_SUMMARIES_VARIABLE];

/** Environment variables the gate project sets (values are synth-time tokens). */
export const GATE_ENV = {
  /** `s3://<bootstrap asset bucket>/<key>`: the bundled gate. */
  gateUrl: 'GATEHOUSE_GATE_URL',
  /** `s3://<artifact bucket>`: where the summary is published and the stored baseline kept. */
  artifactBucket: 'GATEHOUSE_ARTIFACT_BUCKET',
  /** Console link prefix of an object of the artifact bucket (the key follows). */
  summaryConsole: 'GATEHOUSE_SUMMARY_CONSOLE',
  /** Console link prefix of a folder of the artifact bucket (the prefix follows). */
  summaryFolderConsole: 'GATEHOUSE_SUMMARY_FOLDER_CONSOLE',
  /** The pipeline execution id, set by the action (`#{codepipeline.PipelineExecutionId}`). */
  executionId: 'GATEHOUSE_EXECUTION_ID',
  /** The pipeline's audit log group, where the gate puts its audit events. */
  auditLogGroup: 'GATEHOUSE_AUDIT_LOG_GROUP',
};

/**
 * Turns the gate's audit events file (one CloudEvent per line) into the `--log-events` of
 * `aws logs put-log-events`: each line one log event, stamped now (CloudWatch Logs wants them in
 * time order, and rejects events older than 14 days). Node only; double quotes only.
 */
const LOG_EVENTS_JS = [
  'const fs = require("fs");',
  'const [src, dest] = process.argv.slice(1);',
  'const now = Date.now();',
  'const lines = fs.readFileSync(src, "utf8").split("\\n").filter((l) => l.trim() !== "");',
  'if (lines.length === 0) process.exit(3);',
  'fs.writeFileSync(dest, JSON.stringify(lines.map((message) => ({ timestamp: now, message }))));',
].join('\n');

/**
 * Writes one inline trust file: its content comes base64-encoded on stdin (a quoted heredoc, so no
 * content can reach the shell), decoded into a new file (never over an existing one or through a
 * link) readable by its owner only. Node only; double quotes only.
 */
const WRITE_INLINE_JS = [
  'const fs = require("fs");',
  'const [file] = process.argv.slice(1);',
  'fs.writeFileSync(file, Buffer.from(fs.readFileSync(0, "utf8"), "base64"), { mode: 0o400, flag: "wx" });',
].join('\n');

/**
 * Writes one trust file from the environment variable CodeBuild filled from SSM Parameter Store or
 * Secrets Manager; an empty value is bad input (exit 2). Node only; double quotes only.
 */
const WRITE_ENV_JS = [
  'const fs = require("fs");',
  'const [file, name, what] = process.argv.slice(1);',
  'const value = process.env[name];',
  'if (!value || !value.trim()) { console.error("gatehouse: the trust source " + what + " is empty: store the trusted keys or VEX document in it"); process.exit(2); }',
  'fs.writeFileSync(file, value, { mode: 0o400, flag: "wx" });',
].join('\n');

/** The folder, outside the source tree, where a gate's trust files are placed before it runs. */
export const GATE_TRUST_DIR = '/tmp/gatehouse-trust';

/** The stored baseline of the first run: no findings, so every finding is new. */
export const EMPTY_BASELINE = '{"findings":[]}';

/**
 * What the AWS CLI prints (extended regular expression) when an object is absent: 404 from
 * HeadObject (what `aws s3 cp` asks first), or 403, which S3 answers for a missing key to a role
 * without s3:ListBucket; `NoSuchKey` / `AccessDenied` when a CLI reads with GetObject directly.
 */
export const S3_ABSENT = 'An error occurred \\((404|403|NoSuchKey|AccessDenied)\\)';

/** The summary files a gate publishes beside each other, and their content types. */
export const PUBLISHED_SUMMARIES: ReadonlyArray<{ readonly file: string; readonly contentType: string }> = [
  { file: 'gatehouse.md', contentType: 'text/markdown; charset=utf-8' },
  { file: 'gatehouse.html', contentType: 'text/html; charset=utf-8' },
];

/** One trust file the gate script places: inline content, or an environment variable CodeBuild fills. */
export interface TrustFilePlacement {
  /** Absolute path inside the trust folder. */
  readonly path: string;
  /** For messages: `inline (412 characters)`, `ssm parameter /platform/keys`. */
  readonly what: string;
  /** The content, for an inline source. */
  readonly content?: string;
  /** The environment variable holding the content (parameter-store / secrets-manager). */
  readonly env?: string;
}

/** What one gate action runs. */
export interface GateScriptProps extends GateScriptSubject {
  /** sha256 the bundled gate must have. */
  readonly sha256: string;
  /** Name of the CodePipeline stage a MANUAL_INTERVENTION waits in (for the log). */
  readonly interventionStage?: string;
  /** What the engine tells `gateArgs` (pipeline name, trust folder, report formats). */
  readonly argsOptions?: GateArgsOptions;
  /** Trust files to place in `GATE_TRUST_DIR` before the gate runs. @default none */
  readonly trustFiles?: TrustFilePlacement[];
  /** Key of the gate's stored baseline in the artifact bucket, when the policy uses one. */
  readonly storedBaselineKey?: string;
  /**
   * Whether the gate puts its audit events into the log group named by `GATEHOUSE_AUDIT_LOG_GROUP`.
   * @default false
   */
  readonly auditEvents?: boolean;
}

/**
 * The shell function that delivers the gate's audit events to the pipeline's audit log group:
 * a log stream `gate/<gate>/<execution>/<build number>` (one per run of the gate; an existing
 * one is reused), then one `aws logs put-log-events` with every line of the events file. Any
 * failure is logged and ends the function with 0: delivery never changes the verdict, and the
 * events are in the gate's output artifact whatever happens.
 */
export function auditFunction(outputDir: string, gateId: string): string[] {
  const file = `${shellWord(outputDir)}/${GATE_EVENTS_FILE}`;
  const group = `"$${GATE_ENV.auditLogGroup}"`;
  const failed = 'echo "gatehouse: could not deliver the audit events to the log group $' + GATE_ENV.auditLogGroup + '; they are in this build\'s output artifact"';
  return [
    'gatehouse_audit() {',
    `  [ -n "$${GATE_ENV.auditLogGroup}" ] || return 0`,
    `  [ -f ${file} ] || { echo "gatehouse: the gate wrote no audit event"; return 0; }`,
    `  run="$${GATE_ENV.executionId}"`,
    '  case "$run" in ""|*[!A-Za-z0-9-]*) run="unknown" ;; esac',
    '  build="$CODEBUILD_BUILD_NUMBER"',
    '  case "$build" in ""|*[!0-9]*) build="0" ;; esac',
    `  stream="gate/${gateId}/$run/$build"`,
    `  node -e '${LOG_EVENTS_JS}' ${file} "$gate_dir/log-events.json" || { echo "gatehouse: no audit event to deliver"; return 0; }`,
    `  if ! aws logs create-log-stream --log-group-name ${group} --log-stream-name "$stream" 2> "$gate_dir/logs.err" && ` +
      '! grep -q ResourceAlreadyExistsException "$gate_dir/logs.err"; then',
    '    cat "$gate_dir/logs.err" >&2',
    `    ${failed}; return 0`,
    '  fi',
    `  if aws logs put-log-events --log-group-name ${group} --log-stream-name "$stream" --log-events "file://$gate_dir/log-events.json" > /dev/null; then`,
    `    echo "gatehouse: audit events delivered to the log group $${GATE_ENV.auditLogGroup}, stream $stream"`,
    '  else',
    `    ${failed}`,
    '  fi',
    '}',
  ];
}

/** Base64 of `content` in lines of 76 characters (never a line a heredoc delimiter could be). */
function base64Lines(content: string): string[] {
  return Buffer.from(content, 'utf8').toString('base64').match(/.{1,76}/g) ?? [];
}

/**
 * The shell function that places the trust files, read-only, in a fresh `GATE_TRUST_DIR`: inline
 * content decoded from base64, the variables CodeBuild filled from SSM or Secrets Manager, and the
 * stored baseline fetched from the artifact bucket with `aws s3 cp` (`{"findings":[]}` when the
 * object is absent, `S3_ABSENT`; any other error exits 2).
 */
export function trustFunction(files: TrustFilePlacement[], storedBaselineKey: string | undefined): string[] {
  const dir = GATE_TRUST_DIR;
  const lines = [
    'gatehouse_trust() {',
    `  rm -rf ${dir} && mkdir -m 0700 ${dir} || { echo "gatehouse: cannot create the trust folder ${dir}"; return 2; }`,
  ];
  for (const f of files) {
    if (f.content !== undefined) {
      lines.push(`  node -e '${WRITE_INLINE_JS}' ${shellWord(f.path)} <<'GATEHOUSE_TRUST' || return 2`, ...base64Lines(f.content), 'GATEHOUSE_TRUST');
    } else {
      lines.push(`  node -e '${WRITE_ENV_JS}' ${shellWord(f.path)} ${f.env} ${shellWord(f.what)} || return 2`);
    }
  }
  if (storedBaselineKey) {
    const file = `${dir}/${GATE_STORED_BASELINE_FILE}`;
    lines.push(
      `  if aws s3 cp --only-show-errors "$${GATE_ENV.artifactBucket}/${storedBaselineKey}" ${file} 2> "$gate_dir/s3.err"; then :`,
      // S3 answers 403 for a missing key to a role without s3:ListBucket: absent too (HeadObject
      // has no error body; a CLI that reads with GetObject names the code instead)
      `  elif grep -Eq '${S3_ABSENT}' "$gate_dir/s3.err"; then`,
      `    echo "gatehouse: no stored baseline ${storedBaselineKey} yet (or not readable by this role): starting from ${EMPTY_BASELINE}"`,
      `    ( set -C; printf '%s' '${EMPTY_BASELINE}' > ${file} ) || return 2`,
      '  else',
      '    cat "$gate_dir/s3.err" >&2',
      `    echo "gatehouse: cannot read the stored baseline ${storedBaselineKey}"; return 2`,
      '  fi',
    );
  }
  lines.push(`  chmod 0400 ${dir}/* && chmod 0500 ${dir} || return 2`, '}');
  return lines;
}

/** The command that uploads `file` to `key` (a shell word, quoted or not) of the artifact bucket. */
function s3Put(file: string, key: string, contentType: string): string {
  return `aws s3 cp --only-show-errors --content-type ${shellWord(contentType)} ${file} "$${GATE_ENV.artifactBucket}"/${key}`;
}

/** Where the gate's values are emitted (`--emit-env`): the gate's temp folder, outside the source. */
const GATE_ENV_FILE = '"$gate_dir/gatehouse.env"';

/**
 * The line that checks the downloaded bundle (`$gate_dir/bundle`) against the synthesized sha256
 * and writes the gate that runs (`$gate_js`).
 */
export function verifyCommand(sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) {
    throw new Error(`gate sha256 "${sha256}" is not 64 lowercase hex digits`);
  }
  return verifyGateCommand({
    bundle: '"$gate_dir/bundle"',
    gzip: false,
    sha256,
    dest: '"$gate_js"',
    fix: 'the asset object was changed or damaged; deploy the pipeline stack again',
  });
}

/**
 * The POSIX `sh` script of a gate action (CodeBuild runs it with `/bin/sh` in the gate image, which
 * has `node` and the AWS CLI v2, from the source root, where the scans' report artifacts were
 * copied at their own paths). What is
 * CodePipeline's own: the bundle and the summary travel through S3, the trust files are placed by
 * the script, the values leave as exported variables. The rest is the shared runner (gate-shell):
 * 1. download the bundled gate with the AWS CLI (`aws s3 cp`, the project's role: no signing code
 *    of ours) and check its sha256 against the one synthesized into this script (anything else:
 *    exit 2, before a gate runs);
 * 2. place the trust files (inline content, SSM / Secrets Manager values, the stored baseline)
 *    read-only in a fresh `GATE_TRUST_DIR`, outside the source tree, when the policy has any;
 *    then run `node gatehouse.js <policy.gateArgs(reports, outputDir, argsOptions)>` (0 pass,
 *    1 failed, 2 bad input), which writes its counts per severity and verdict (`--emit-env`) into
 *    the gate's temp folder, read back as the exported variables;
 * 3. publish the Markdown summary to `gatehouse/<execution>/<gate>/gatehouse.md` in the artifact
 *    bucket (and the HTML report beside it, `gatehouse.html`) and export the summary's console
 *    link and the link of the execution's summaries folder (the build's page when publishing
 *    failed); a failed upload never changes the verdict;
 * 4. end by the failure strategy: FAIL fails the action on a failed gate; IGNORE and
 *    MANUAL_INTERVENTION let it succeed with verdict FAILED (the intervention stage reads it).
 *    A gate that could not decide fails the action under every strategy. After a pass, store the
 *    findings as the next run's baseline.
 *
 * The script ends on a test, never `exit`, so CodeBuild still exports the variables.
 */
export function gateScript(props: GateScriptProps): string {
  const strategy = props.policy.failureStrategy;
  const out = shellWord(props.outputDir);
  const gateId = props.outputDir.split('/').pop()!;
  const trusted = (props.trustFiles ?? []).length > 0 || props.storedBaselineKey !== undefined;
  const baselineKey = props.storedBaselineKey;
  const [md, ...others] = PUBLISHED_SUMMARIES;
  const run = gateRunLines({
    what: props.what,
    strategy,
    gate: '"$gate_js"',
    args: props.policy.gateArgs(props.reports, props.outputDir, props.argsOptions),
    outputDir: props.outputDir,
    envFile: GATE_ENV_FILE,
    unit: 'action',
    end: 'return',
    waitsIn: `stage ${props.interventionStage ?? '(intervention)'}`,
    afterRun: ['gatehouse_publish', ...(props.auditEvents ? ['gatehouse_audit'] : [])],
    onPass: baselineKey ? ['gatehouse_store_baseline'] : [],
  });
  const lines = [
    `# gatehouse gate of ${props.what} (failure strategy ${strategy})`,
    ...GATE_VARIABLES.map((v) => `${v}=`),
    'gate_dir="$(mktemp -d)"',
    'gate_js="$gate_dir/gatehouse.js"',
    'gatehouse_gate() {',
    '  [ -n "$gate_dir" ] && [ -d "$gate_dir" ] || { echo "gatehouse: cannot create the gate\'s temp folder"; return 2; }',
    '  command -v node >/dev/null && command -v aws >/dev/null || { echo "gatehouse: the gate image has no node or no aws on its PATH: ' +
      'the gate needs Node.js 20 or later and the AWS CLI v2 (defaults.gateImage; unset, CodeBuild\'s managed image has both)"; return 2; }',
    `  aws s3 cp --only-show-errors "$${GATE_ENV.gateUrl}" "$gate_dir/bundle" || { echo "gatehouse: cannot download the bundled gate $${GATE_ENV.gateUrl}"; return 2; }`,
    `  ${verifyCommand(props.sha256)} || return 2`,
    ...(trusted ? ['  gatehouse_trust || return 2'] : []),
    ...run.map((l) => `  ${l}`),
    '}',
    // the summary, where approvers can read it: fixed keys per execution and gate
    'gatehouse_publish() {',
    `  ${GATE_SUMMARY_VARIABLE}="$CODEBUILD_BUILD_URL" ${GATE_SUMMARIES_VARIABLE}="$CODEBUILD_BUILD_URL"`,
    `  [ -f ${out}/gatehouse.md ] || return 0`,
    `  execution="$${GATE_ENV.executionId}"`,
    '  case "$execution" in ""|*[!A-Za-z0-9-]*) execution="build-$CODEBUILD_BUILD_NUMBER" ;; esac',
    `  folder="${SUMMARY_PREFIX}/$execution/${gateId}"`,
    `  if ${s3Put(`${out}/${md.file}`, '"$folder"/' + md.file, md.contentType)}; then`,
    `    ${GATE_SUMMARY_VARIABLE}="\${${GATE_ENV.summaryConsole}}$folder/${md.file}"`,
    `    ${GATE_SUMMARIES_VARIABLE}="\${${GATE_ENV.summaryFolderConsole}}${SUMMARY_PREFIX}/$execution/"`,
    '    echo "gatehouse: findings summary: $GATE_SUMMARY_URL"',
    ...others.map((f) =>
      `    [ ! -f ${out}/${f.file} ] || ${s3Put(`${out}/${f.file}`, '"$folder"/' + f.file, f.contentType)} || ` +
        `echo "gatehouse: could not publish ${f.file} beside the summary; it is in this build's output artifact"`,
    ),
    '  else',
    '    echo "gatehouse: could not publish the findings summary; it is in this build\'s output artifact"',
    '  fi',
    '}',
    ...(trusted ? trustFunction(props.trustFiles ?? [], baselineKey) : []),
    ...(props.auditEvents ? auditFunction(props.outputDir, gateId) : []),
    ...(baselineKey
      ? [
        // a passed gate's findings are the next run's baseline, in a key only this gate's role writes
        'gatehouse_store_baseline() {',
        `  if ${s3Put(`${out}/gatehouse.json`, baselineKey, 'application/json')}; then`,
        `    echo "gatehouse: this run's findings are the next run's baseline (${baselineKey})"`,
        '  else',
        `    echo "gatehouse: could not store this run's findings as the baseline (${baselineKey}): the next run compares with the previous one"`,
        '  fi',
        '}',
      ]
      : []),
    'gatehouse_gate',
    'gate_status=$?',
    `echo "gatehouse: the gate of ${props.what}: ${GATE_VERDICT_VARIABLE}=\${${GATE_VERDICT_VARIABLE}:-ERROR} (${GATE_SEVERITIES.map((s) => `$${gateCountVariable(s)} ${s}`).join(', ')})"`,
    '[ -z "$gate_dir" ] || rm -rf "$gate_dir"',
    `export ${GATE_VARIABLES.join(' ')}`,
    '[ "$gate_status" -eq 0 ]',
  ];
  return lines.join('\n') + '\n';
}
