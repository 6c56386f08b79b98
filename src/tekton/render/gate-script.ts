import { GATE_SEVERITIES, GATE_VERDICT_RESULT, gateCountResult, REPORTS_WORKSPACE, SOURCE_WORKSPACE } from './names';
import { FailureStrategy, GateArgsOptions, GatePolicy } from '../../core';

/** Environment variable naming the compressed bundled gate (the mounted ConfigMap key). */
export const BUNDLE_ENV = 'GATEHOUSE_BUNDLE';
/** Environment variable holding the sha256 the unpacked gate must have. */
export const SHA256_ENV = 'GATEHOUSE_SHA256';

/**
 * Unpacks the compressed gate and writes it only when its sha256 is the one the pipeline was
 * synthesized with: a ConfigMap changed after synth (or unreadable) exits 2 before any gate runs.
 * Node only (the gate image has nothing else we can count on); double quotes only (it is
 * single-quoted in the shell); no `$(`: Tekton would read it as a variable.
 */
const VERIFY_JS = [
  'const fs = require("fs"), zlib = require("zlib"), crypto = require("crypto");',
  'const [bundle, want, dest] = process.argv.slice(1);',
  'let js;',
  'try { js = zlib.gunzipSync(fs.readFileSync(bundle)); } catch (e) {',
  '  console.error("gatehouse: cannot read the bundled gate " + bundle + " (" + e.message + "): apply the pipeline objects again, ConfigMap included");',
  '  process.exit(2);',
  '}',
  'const got = crypto.createHash("sha256").update(js).digest("hex");',
  'if (got !== want) {',
  '  console.error("gatehouse: the bundled gate " + bundle + " has sha256 " + got + ", not " + want + " as synthesized: the ConfigMap was changed; apply the pipeline objects again");',
  '  process.exit(2);',
  '}',
  'fs.writeFileSync(dest, js, { mode: 0o500 });',
].join('\n');

/**
 * Writes the task results from the gate's JSON output: the count of each severity
 * (`summary.bySeverity`) and the verdict. Exit code 0 or 1 must come with a readable JSON whose
 * verdict agrees (PASSED / FAILED), or this exits 2; any other exit code writes verdict ERROR.
 * Arguments: the JSON file, the gate's exit code, the verdict result path, then one result path
 * per severity in GATE_SEVERITIES order.
 */
const RESULTS_JS = [
  'const fs = require("fs");',
  'const [json, code, verdictPath, ...countPaths] = process.argv.slice(1);',
  `const severities = ${JSON.stringify(GATE_SEVERITIES)};`,
  'if (code !== "0" && code !== "1") { fs.writeFileSync(verdictPath, "ERROR"); process.exit(0); }',
  'let out;',
  'try { out = JSON.parse(fs.readFileSync(json, "utf8")); } catch (e) {',
  '  fs.writeFileSync(verdictPath, "ERROR");',
  '  console.error("gatehouse: the gate exited " + code + " but its JSON output " + json + " is unreadable (" + e.message + ")");',
  '  process.exit(2);',
  '}',
  'const verdict = out && out.gate && out.gate.verdict;',
  'const counts = (out && out.summary && out.summary.bySeverity) || {};',
  'if (verdict !== (code === "0" ? "PASSED" : "FAILED") || !severities.every((s) => Number.isInteger(counts[s]))) {',
  '  fs.writeFileSync(verdictPath, "ERROR");',
  '  console.error("gatehouse: the gate exited " + code + " but its JSON output " + json + " says verdict " + verdict + " with counts " + JSON.stringify(counts));',
  '  process.exit(2);',
  '}',
  'severities.forEach((s, i) => fs.writeFileSync(countPaths[i], String(counts[s])));',
  'fs.writeFileSync(verdictPath, verdict);',
].join('\n');

/** A scan's findings folder as a gate reads it: the relative folder its reports name, and where it is mounted. */
export interface GateInput {
  /** The folder the report paths name, relative to the gate's working folder (`.gatehouse/reports/<step>`). */
  readonly folder: string;
  /** Where the gate step mounts it read-only (outside the source workspace). */
  readonly mountPath: string;
}

/** What one gate step runs. */
export interface GateScriptProps {
  /** Shown in messages, without quotes: `security/bandit` or `stage security`. */
  readonly what: string;
  readonly policy: GatePolicy;
  /** Report files, relative to the source root (each inside one of `inputs`). */
  readonly reports: string[];
  /** The findings folders the reports are in. */
  readonly inputs: GateInput[];
  /** Output folder of the gate, relative to its working folder. */
  readonly outputDir: string;
  /** Pipeline name, trust folder and report formats (see GatePolicy.gateArgs). */
  readonly gateArgsOptions: GateArgsOptions;
}

/**
 * The repository files a policy reads (exemptions, signed VEX and baseline, with their `.sig`):
 * the app team owns them, and they apply only when approved or signed by a trusted key.
 */
export function repositoryFilesOf(policy: GatePolicy): string[] {
  const files: string[] = [];
  if (policy.exemptionsFile) files.push(policy.exemptionsFile);
  for (const v of policy.vexFiles) files.push(v, `${v}.sig`);
  if (policy.baseline) files.push(policy.baseline, `${policy.baseline}.sig`);
  return [...new Set(files)];
}

/** Single-quotes a shell word unless it is plainly safe. */
export function shellWord(s: string): string {
  return /^[A-Za-z0-9._/:=@,+-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

/**
 * The script of a gate step (run by `/bin/sh` in the gate image, in the gate's own working folder,
 * an emptyDir no other step mounts: no path the gate reads resolves through the shared source):
 * 1. unpack the bundled gate into a temp folder of the gate container (the home volume is shared
 *    with the scanner's steps) and verify its sha256 (exit 2 on any mismatch);
 * 2. link each findings folder the reports name to its read-only mount, and copy the repository
 *    files the policy reads (exemptions, signed VEX and baseline) from the source workspace;
 * 3. run `node gatehouse.js <policy.gateArgs(reports, outputDir, options)>` (0 pass, 1 failed, 2 bad
 *    input); trust files are read from the trust folder, mounted read-only from a ConfigMap or Secret;
 * 4. copy the outputs (SARIF, JSON, JUnit, Markdown) to the task's reports folder, whatever the verdict;
 * 5. write the results (counts per severity and the verdict) with node from the JSON output;
 * 6. exit by the failure strategy: FAIL fails the task on a failed gate; IGNORE and
 *    MANUAL_INTERVENTION pass it with verdict FAILED (the approval task reads it). A gate that
 *    could not decide (exit 2: a missing or unreadable report…) fails the task under every strategy.
 */
export function gateScript(props: GateScriptProps): string {
  const args = props.policy.gateArgs(props.reports, props.outputDir, props.gateArgsOptions);
  const repositoryFiles = repositoryFilesOf(props.policy);
  const strategy = props.policy.failureStrategy;
  const countPaths = GATE_SEVERITIES.map((s) => `"$(results.${gateCountResult(s)}.path)"`).join(' ');
  const lines = [
    '#!/bin/sh',
    `# gatehouse gate of ${props.what} (failure strategy ${strategy})`,
    'set -u',
    // the gate container's own temp folder: the home volume is shared with the scanner's steps
    'gate_dir="$(mktemp -d)" || exit 2',
    'gate="$gate_dir/gatehouse.js"',
    `out=${shellWord(props.outputDir)}`,
    `node -e '${VERIFY_JS}' "$${BUNDLE_ENV}" "$${SHA256_ENV}" "$gate" || exit 2`,
    '# the findings folders, from where only their scan wrote (mounted read-only)',
    `mkdir -p ${[...new Set(props.inputs.map((i) => parentOf(i.folder)))].map(shellWord).join(' ')} || exit 2`,
    ...props.inputs.map((i) => `ln -s ${shellWord(i.mountPath)} ${shellWord(i.folder)} || exit 2`),
    ...(repositoryFiles.length > 0
      ? [
        '# repository files the policy reads (they apply only when approved or signed by a trusted key)',
        `src="$(workspaces.${SOURCE_WORKSPACE}.path)"`,
        `for f in ${repositoryFiles.map(shellWord).join(' ')}; do`,
        '  if [ -e "$src/$f" ]; then mkdir -p "$(dirname "$f")" && cp "$src/$f" "$f" || exit 2; fi',
        'done',
      ]
      : []),
    // outputs of an earlier attempt (retries) must not be read as this one's
    'rm -rf "$out"',
    `node "$gate" ${args.map(shellWord).join(' ')}`,
    'code=$?',
    `dest="$(workspaces.${REPORTS_WORKSPACE}.path)/gate"`,
    'if [ -d "$out" ]; then mkdir -p "$dest" && cp -R "$out/." "$dest/" || exit 2; fi',
    `node -e '${RESULTS_JS}' "$out/gatehouse.json" "$code" "$(results.${GATE_VERDICT_RESULT}.path)" ${countPaths} || exit 2`,
    'case "$code" in',
    '  0) exit 0 ;;',
    '  1)',
  ];
  switch (strategy) {
    case FailureStrategy.IGNORE:
      lines.push(`    echo "gatehouse: the gate of ${props.what} FAILED; failure strategy IGNORE: recorded (result ${GATE_VERDICT_RESULT}=FAILED) and the pipeline goes on"`, '    exit 0 ;;');
      break;
    case FailureStrategy.MANUAL_INTERVENTION:
      lines.push(`    echo "gatehouse: the gate of ${props.what} FAILED; failure strategy MANUAL_INTERVENTION: the run waits for a security approver"`, '    exit 0 ;;');
      break;
    default:
      lines.push(`    echo "gatehouse: the gate of ${props.what} FAILED"`, '    exit 1 ;;');
  }
  lines.push(
    `  *) echo "gatehouse: the gate of ${props.what} could not decide (exit $code): bad input fails the task under every failure strategy"`,
    '    exit 2 ;;',
    'esac',
  );
  return lines.join('\n') + '\n';
}

function parentOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i > 0 ? p.slice(0, i) : '.';
}
