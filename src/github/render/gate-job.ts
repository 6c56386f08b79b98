import { expr } from './expressions';
import { findingsArtifactOf, GATE_BUNDLE_PATH, gateOutputsArtifactOf, stagingDir } from './names';
import { checkoutStep, downloadStep, EMPTY_SHA256, MANIFEST_FUNCTION, sarifStep, uploadStep, WorkflowStep } from './steps';
import { TRUST_DIR, trustLines } from './trust';
import { gateOutputDir, gateReportFormats, gateReports, GatePolicy, Pipeline, ScanStep } from '../../core';
import { gateRunLines, shellWord, verifyGateCommand } from '../../core/gate-shell';
import { GATE_VERDICT_VARIABLE, gateCountVariable } from '../../core/gate-values';
import { SEVERITY_LADDER } from '../../core/severity';

/** Folder of the gate job's checkout (the bundled gate and the repository files the policy reads). */
export const SOURCE_DIR = 'source';
/** The gate's own working folder in the gate job's workspace. */
export const GATE_WORK_DIR = 'gate';
/** Id of the step running the gate. */
export const GATE_STEP_ID = 'gate';

/** A scan whose findings a gate reads, and the job that ran it. */
export interface GateInput {
  readonly step: ScanStep;
  readonly jobId: string;
}

/** What a gate job decides over. */
export interface GateJobProps {
  readonly id: string;
  /** `oast/bandit` or `stage oast`. */
  readonly what: string;
  readonly policy: GatePolicy;
  readonly inputs: GateInput[];
  /** `<stage>` and, for a scan's own gate, `<step>`: its output folder. */
  readonly stageName: string;
  readonly stepName?: string;
  readonly runsOn: string;
  /** sha256 of the bundled gate committed beside the workflow. */
  readonly sha256: string;
}

/** Environment variable holding the findings sha256 the i-th scan job published. */
export function findingsVariable(i: number): string {
  return `GATEHOUSE_FINDINGS_${i + 1}`;
}

/** Where the i-th input artifact is downloaded. */
function inputDir(input: GateInput): { shell: string; expression: string } {
  return stagingDir('inputs', input.jobId);
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

/**
 * The job of a gate, in the gate image. It runs nothing of the app team's: checkout (for the
 * bundled gate and the policy's repository files), each scan's findings artifact downloaded by
 * its exact name, the gate script (see `gateScript`), then its outputs kept as an artifact and its
 * SARIF sent to code scanning, whatever the verdict. Its outputs are the verdict and the counts.
 */
export function gateJob(pipeline: Pipeline, p: GateJobProps): Record<string, unknown> {
  const outputDir = gateOutputDir(p.stageName, p.stepName);
  const steps: WorkflowStep[] = [
    checkoutStep(SOURCE_DIR),
    ...p.inputs.map((input) => downloadStep(`findings of ${input.jobId}`, findingsArtifactOf(input.jobId), inputDir(input).expression)),
    {
      name: 'gate',
      id: GATE_STEP_ID,
      env: Object.fromEntries(p.inputs.map((input, i) => [findingsVariable(i), expr(`needs.${input.jobId}.outputs.findings-sha256`)])),
      shell: 'sh {0}',
      run: gateScript(pipeline, p),
    },
    uploadStep({ name: 'keep the gate outputs', artifact: gateOutputsArtifactOf(p.id), path: `${GATE_WORK_DIR}/${outputDir}`, condition: 'always()', ifNoFiles: 'warn' }),
    sarifStep('code scanning', `${GATE_WORK_DIR}/${outputDir}/gatehouse.sarif`, `gatehouse/${p.id}`, SOURCE_DIR),
  ];
  return {
    'runs-on': p.runsOn,
    'container': { image: pipeline.gateImage },
    // upload-sarif: security-events to write the analysis, actions to read the run (private repositories)
    'permissions': { 'actions': 'read', 'contents': 'read', 'security-events': 'write' },
    'timeout-minutes': pipeline.defaultTimeoutMinutes,
    'outputs': {
      verdict: expr(`steps.${GATE_STEP_ID}.outputs.verdict`),
      ...Object.fromEntries(SEVERITY_LADDER.map((s) => [s, expr(`steps.${GATE_STEP_ID}.outputs.${s}`)])),
    },
    steps,
  };
}

/**
 * The gate step's script (POSIX `sh` in the gate image, from the job's workspace). What is GitHub's
 * own: the bundle is the committed `.github/gatehouse/gatehouse.js`, the inputs are artifacts, the
 * trust files come from the definition, the values leave as step outputs and the summary as the
 * job summary. The rest is the shared runner (gate-shell):
 * 1. check the committed bundle against the sha256 synthesized into this script (exit 2 otherwise);
 * 2. copy the policy's repository files from the checkout into the gate's own folder, then each
 *    scan's findings artifact, after checking that its manifest sha256 is the one the scan's job
 *    published as its output (a job output only that job can set): an artifact another job
 *    replaced (`overwrite: true`) or emptied exits 2;
 * 3. place the trust files, read-only, in a fresh folder outside the checkout;
 * 4. run the gate and end by the failure strategy (exit 1 FAILED under FAIL; 0 with verdict FAILED
 *    under IGNORE and MANUAL_INTERVENTION, whose intervention job reads it; 2 when it could not decide).
 */
export function gateScript(pipeline: Pipeline, p: GateJobProps): string {
  if (!/^[0-9a-f]{64}$/.test(p.sha256)) throw new Error(`gate sha256 "${p.sha256}" is not 64 lowercase hex digits`);
  const outputDir = gateOutputDir(p.stageName, p.stepName);
  const scans = p.inputs.map((i) => i.step);
  const reports = gateReports(scans);
  const repositoryFiles = repositoryFilesOf(p.policy);
  const args = p.policy.gateArgs(reports, outputDir, {
    pipelineName: pipeline.name,
    trustDir: TRUST_DIR,
    ...(gateReportFormats(scans, reports) ? { reportFormats: gateReportFormats(scans, reports) } : {}),
  });
  const out = shellWord(outputDir);
  const values = [`echo "verdict=\${${GATE_VERDICT_VARIABLE}:-ERROR}"`, ...SEVERITY_LADDER.map((s) => `echo "${s}=\${${gateCountVariable(s)}:-}"`)];
  const lines = [
    `# gatehouse gate of ${p.what} (failure strategy ${p.policy.failureStrategy})`,
    'set -u',
    '# until the gate decides, its verdict is ERROR (a later line of the output file wins)',
    'echo "verdict=ERROR" >> "$GITHUB_OUTPUT"',
    'gate_dir="$(mktemp -d)" || exit 2',
    'gate="$gate_dir/gatehouse.js"',
    `${verifyGateCommand({
      bundle: `${SOURCE_DIR}/${GATE_BUNDLE_PATH}`,
      gzip: false,
      sha256: p.sha256,
      dest: '"$gate"',
      fix: `${GATE_BUNDLE_PATH} is not the gate this workflow was synthesized with: synthesize again and commit the workflow and the bundle together`,
    })} || exit 2`,
    `rm -rf ${GATE_WORK_DIR} && mkdir ${GATE_WORK_DIR} || exit 2`,
    ...(repositoryFiles.length > 0
      ? [
        '# repository files the policy reads (they apply only when approved or signed by a trusted key)',
        `for f in ${repositoryFiles.map(shellWord).join(' ')}; do`,
        `  if [ -e "${SOURCE_DIR}/$f" ]; then mkdir -p "${GATE_WORK_DIR}/$(dirname "$f")" && cp "${SOURCE_DIR}/$f" "${GATE_WORK_DIR}/$f" || exit 2; fi`,
        'done',
      ]
      : []),
    '# each scan\'s findings, exactly as its job published them',
    MANIFEST_FUNCTION,
    'gatehouse_input() {',
    '  case "$2" in',
    `    ""|${EMPTY_SHA256}) echo "gatehouse: the job of $3 published no findings sha256: the gate reads nothing it cannot check"; exit 2 ;;`,
    '  esac',
    '  got="$(gatehouse_manifest "$1")"',
    '  if [ "$got" != "$2" ]; then',
    '    echo "gatehouse: the findings artifact of $3 is not what its scan job wrote (sha256 $got, the job published $2): it was replaced or damaged after the scan; the gate does not decide over it"',
    '    exit 2',
    '  fi',
    `  cp -R "$1/." ${GATE_WORK_DIR}/ || exit 2`,
    '}',
    ...p.inputs.map((input, i) => `gatehouse_input ${inputDir(input).shell} "$${findingsVariable(i)}" ${shellWord(input.jobId)}`),
    ...trustLines(p.policy),
    `cd ${GATE_WORK_DIR} || exit 2`,
    ...gateRunLines({
      what: p.what,
      strategy: p.policy.failureStrategy,
      gate: '"$gate"',
      args,
      outputDir,
      envFile: '"$gate_dir/gatehouse.env"',
      unit: 'job',
      end: 'exit',
      waitsIn: `job ${p.id}-intervention`,
      afterRun: [
        `{ ${values.join('; ')}; } >> "$GITHUB_OUTPUT"`,
        `[ ! -f ${out}/gatehouse.md ] || cat ${out}/gatehouse.md >> "$GITHUB_STEP_SUMMARY"`,
      ],
      onError: ['echo "verdict=ERROR" >> "$GITHUB_OUTPUT"'],
    }),
  ];
  return lines.join('\n') + '\n';
}
