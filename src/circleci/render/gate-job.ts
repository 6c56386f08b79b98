import {
  FINDINGS_MANIFEST, findingsPath, GATE_BUNDLE_PATH, KEEP_DIR, STATUS_DIR, TEST_RESULTS_DIR, TRUST_DIR, verdictPath, WORK_DIR, WORKSPACE_DIR,
} from './names';
import { runContextLines } from './triggers';
import { trustFileLines } from './trust';
import { JobDefinition, runStep } from './types';
import { FailureStrategy, GatePolicy, gateReportFormats, GateScanReports, Pipeline } from '../../core';
import { gateRunLines, shellWord, verifyGateCommand } from '../../core/gate-shell';
import { GATE_VERDICT_VARIABLE } from '../../core/gate-values';

/** The findings of one scan a gate reads: the scan's job, and its reports. */
export interface GateInput {
  readonly job: string;
  readonly scan: GateScanReports;
}

/** What a gate job decides over, and how. */
export interface GateJobProps {
  readonly pipeline: Pipeline;
  /** Shown in messages: `oast/bandit` or `stage oast`. */
  readonly what: string;
  readonly job: string;
  readonly policy: GatePolicy;
  readonly inputs: GateInput[];
  /** Report files, relative to the source root. */
  readonly reports: string[];
  readonly outputDir: string;
  /** The sha256 of the bundled gate shipped with the config. */
  readonly sha256: string;
  /** The approval job of a MANUAL_INTERVENTION, for the log. @default none */
  readonly waitsIn?: string;
}

/**
 * Verifies each scan's findings in the attached workspace against the manifest its job wrote,
 * and copies exactly the files it lists into the gate's working folder: a file that differs from
 * its sha256, a manifest that is missing or names a path outside the folder, and any symbolic
 * link on the way exit 2. Node only; double quotes only (it is single-quoted in the shell).
 * Arguments: the destination folder, then `<findings folder>` for each scan.
 */
const COPY_FINDINGS_JS = [
  'const fs = require("fs"), path = require("path"), crypto = require("crypto");',
  'const [dest, ...dirs] = process.argv.slice(1);',
  'const fail = (m) => { console.error("gatehouse: " + m); process.exit(2); };',
  'const noLink = (root, rel) => { let p = root; for (const part of rel.split("/")) { p = path.join(p, part); if (fs.lstatSync(p).isSymbolicLink()) fail(p + " is a symbolic link: the findings of a scan are plain files"); } };',
  'for (const dir of dirs) {',
  '  if (!fs.existsSync(dir) || fs.lstatSync(dir).isSymbolicLink()) fail("no findings at " + dir + ": the scan job did not persist them");',
  `  const manifest = path.join(dir, "${FINDINGS_MANIFEST}");`,
  '  if (!fs.existsSync(manifest)) fail("no manifest " + manifest + ": the scan job could not record its findings");',
  '  for (const line of fs.readFileSync(manifest, "utf8").split("\\n").filter((l) => l.trim() !== "")) {',
  '    const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);',
  '    if (!m) fail("line \\"" + line + "\\" of " + manifest + " is not a sha256 line");',
  '    const rel = m[2];',
  '    if (rel.startsWith("/") || rel.split("/").includes("..")) fail(rel + " in " + manifest + " leaves the findings folder");',
  '    noLink(dir, rel);',
  '    const data = fs.readFileSync(path.join(dir, rel));',
  '    const got = crypto.createHash("sha256").update(data).digest("hex");',
  '    if (got !== m[1]) fail(path.join(dir, rel) + " has sha256 " + got + ", not " + m[1] + " as its scan recorded it");',
  '    fs.mkdirSync(path.dirname(path.join(dest, rel)), { recursive: true });',
  '    fs.writeFileSync(path.join(dest, rel), data, { flag: "wx" });',
  '  }',
  '}',
].join('\n');

/** The repository files a policy reads (exemptions, signed VEX and baseline, with their `.sig`). */
export function repositoryFilesOf(policy: GatePolicy): string[] {
  const files: string[] = [];
  if (policy.exemptionsFile) files.push(policy.exemptionsFile);
  for (const v of policy.vexFiles) files.push(v, `${v}.sig`);
  if (policy.baseline) files.push(policy.baseline, `${policy.baseline}.sig`);
  return [...new Set(files)];
}

/** Env file of the gate's values. */
const ENV_FILE = '"$gate_dir/gatehouse.env"';

/**
 * The script of a gate job's "gatehouse gate" step (run by `/bin/sh` in the gate image, from the
 * checkout): the shared runner (core gate-shell) in a function, in a fresh working folder that
 * holds only what the gate may read:
 * 1. the bundled gate shipped with the config, checked against the sha256 it was synthesized
 *    with (exit 2 on any other content);
 * 2. each scan's findings, from the workspace folder only that scan's job persists, checked
 *    against the scan's sha256 manifest;
 * 3. the repository files the policy reads (they apply only when approved or signed by a trusted key);
 * 4. the trust files, written from the definition into a folder outside the checkout.
 * The gate's code and verdict are recorded; the job's last step ends by them.
 */
export function gateScript(props: GateJobProps): string {
  const repositoryFiles = repositoryFilesOf(props.policy);
  const trust = trustFileLines(props.policy, TRUST_DIR);
  const formats = gateReportFormats(props.inputs.map((i) => i.scan), props.reports);
  const args = props.policy.gateArgs(props.reports, props.outputDir, {
    pipelineName: props.pipeline.name,
    trustDir: TRUST_DIR,
    ...(formats ? { reportFormats: formats } : {}),
  });
  const body = [
    'gate_dir="$(mktemp -d)" && mkdir "$gate_dir/work" || return 2',
    `${verifyGateCommand({
      bundle: GATE_BUNDLE_PATH,
      gzip: false,
      sha256: props.sha256,
      dest: '"$gate_dir/gatehouse.js"',
      fix: `${GATE_BUNDLE_PATH} was changed or is not the one synthesized with this config; commit both files as the engine wrote them`,
    })} || return 2`,
    '# the findings, as their scan jobs recorded them',
    `node -e '${COPY_FINDINGS_JS}' "$gate_dir/work" ${props.inputs.map((i) => shellWord(`${WORKSPACE_DIR}/${findingsPath(i.job)}`)).join(' ')} || return 2`,
    ...(repositoryFiles.length > 0
      ? [
        '# repository files the policy reads (they apply only when approved or signed by a trusted key)',
        `for f in ${repositoryFiles.map(shellWord).join(' ')}; do`,
        '  if [ -f "$f" ]; then mkdir -p "$gate_dir/work/$(dirname "$f")" && cp "$f" "$gate_dir/work/$f" || return 2; fi',
        'done',
      ]
      : []),
    ...trust,
    'cd "$gate_dir/work" || return 2',
    ...gateRunLines({
      what: props.what,
      strategy: props.policy.failureStrategy,
      gate: '"$gate_dir/gatehouse.js"',
      args,
      outputDir: props.outputDir,
      envFile: ENV_FILE,
      unit: 'job',
      end: 'return',
      ...(props.waitsIn ? { waitsIn: `approval job ${props.waitsIn}` } : {}),
      afterRun: [
        `if [ -d ${shellWord(props.outputDir)} ]; then mkdir -p ${KEEP_DIR}/gate ${TEST_RESULTS_DIR}/gatehouse && cp -R ${shellWord(props.outputDir)}/. ${KEEP_DIR}/gate/ && ` +
          `{ [ ! -f ${shellWord(`${props.outputDir}/gatehouse-junit.xml`)} ] || cp ${shellWord(`${props.outputDir}/gatehouse-junit.xml`)} ${TEST_RESULTS_DIR}/gatehouse/${props.job}.xml; } || ` +
          '{ echo "gatehouse: cannot keep the gate\'s outputs"; gate_code=2; }; fi',
      ],
    }),
  ];
  return [
    `# gatehouse gate of ${props.what} (failure strategy ${props.policy.failureStrategy})`,
    ...runContextLines(),
    `mkdir -p ${STATUS_DIR} ${KEEP_DIR} ${TEST_RESULTS_DIR} || exit 2`,
    `${GATE_VERDICT_VARIABLE}=ERROR`,
    'run_gate() {',
    ...body.map((l) => `  ${l}`),
    '}',
    'run_gate',
    'code=$?',
    `printf '%s\\n' "$code" > ${STATUS_DIR}/gate-code`,
    ...(props.policy.failureStrategy === FailureStrategy.MANUAL_INTERVENTION
      ? [`mkdir -p ${WORKSPACE_DIR}/${verdictPath(props.job)} && printf '%s\\n' "$${GATE_VERDICT_VARIABLE}" > ${WORKSPACE_DIR}/${verdictPath(props.job)}/verdict`]
      : []),
    'exit 0',
  ].join('\n') + '\n';
}

/**
 * A gate job, in the pipeline's gate image: checkout (the bundled gate and the repository files
 * the policy reads), the workspace attached outside the checkout, the gate, its outputs kept
 * (`store_artifacts`, its JUnit with `store_test_results`), then the job ends by the gate's code
 * (the shared runner already applied the failure strategy: FAILED ends with 1 under FAIL, 0 under
 * IGNORE and MANUAL_INTERVENTION; a gate that could not decide ends with 2 under every strategy).
 * Under MANUAL_INTERVENTION the verdict is persisted for the verdict job.
 */
export function gateJob(props: GateJobProps): JobDefinition {
  const manual = props.policy.failureStrategy === FailureStrategy.MANUAL_INTERVENTION;
  return {
    docker: [{ image: props.pipeline.gateImage }],
    steps: [
      'checkout',
      { attach_workspace: { at: WORKSPACE_DIR } },
      runStep('gatehouse gate', gateScript(props), { shell: '/bin/sh' }),
      { store_artifacts: { path: KEEP_DIR, destination: props.job } },
      { store_test_results: { path: TEST_RESULTS_DIR } },
      ...(manual ? [{ persist_to_workspace: { root: WORKSPACE_DIR, paths: [verdictPath(props.job)] } }] : []),
      runStep('gatehouse: finish', finishScript(props.what), { shell: '/bin/sh' }),
    ],
  };
}

function finishScript(what: string): string {
  return [
    `code="$(cat ${STATUS_DIR}/gate-code 2>/dev/null)"`,
    `[ "$code" -eq "$code" ] 2>/dev/null || { echo "gatehouse: the gate of ${what} left no exit code"; exit 2; }`,
    'exit "$code"',
  ].join('\n') + '\n';
}

/**
 * The job after a MANUAL_INTERVENTION gate: it fails when the gate's verdict is FAILED (its
 * approval job requires it `failed`), passes when PASSED, and ends with 2 on anything else (the
 * gate job, which persisted the verdict, passes only on PASSED or FAILED).
 */
export function verdictJob(pipeline: Pipeline, gateJobName: string, what: string, intervention: string): JobDefinition {
  const file = `${WORKSPACE_DIR}/${verdictPath(gateJobName)}/verdict`;
  return {
    docker: [{ image: pipeline.gateImage }],
    steps: [
      { attach_workspace: { at: WORKSPACE_DIR } },
      runStep('gatehouse: verdict', [
        `verdict="$(cat ${file} 2>/dev/null)"`,
        'case "$verdict" in',
        `  PASSED) echo "gatehouse: the gate of ${what} PASSED"; exit 0 ;;`,
        `  FAILED) echo "gatehouse: the gate of ${what} FAILED: approval job ${intervention} decides whether the pipeline goes on"; exit 1 ;;`,
        `  *) echo "gatehouse: no verdict of the gate of ${what} in the workspace"; exit 2 ;;`,
        'esac',
      ].join('\n') + '\n', { shell: '/bin/sh' }),
    ],
  };
}

export { WORK_DIR };
