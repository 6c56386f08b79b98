import { GATE_VERDICT_RESULT, REPORTS_WORKSPACE, SOURCE_WORKSPACE } from './names';
import { GateArgsOptions, GatePolicy } from '../../core';
import { gateRunLines, GateScriptSubject, shellWord, verifyGateCommand } from '../../core/gate-shell';

export { shellWord };

/** Environment variable naming the compressed bundled gate (the mounted ConfigMap key). */
export const BUNDLE_ENV = 'GATEHOUSE_BUNDLE';
/** Environment variable holding the sha256 the unpacked gate must have. */
export const SHA256_ENV = 'GATEHOUSE_SHA256';

/** A scan's findings folder as a gate reads it: the relative folder its reports name, and where it is mounted. */
export interface GateInput {
  /** The folder the report paths name, relative to the gate's working folder (`.gatehouse/reports/<step>`). */
  readonly folder: string;
  /** Where the gate step mounts it read-only (outside the source workspace). */
  readonly mountPath: string;
}

/** What one gate step runs. */
export interface GateScriptProps extends GateScriptSubject {
  /** The findings folders the reports are in (each report inside one of them). */
  readonly inputs: GateInput[];
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

/** Where the gate's values are emitted (`--emit-env`): the gate container's temp folder. */
const GATE_ENV_FILE = '"$gate_dir/gatehouse.env"';

/** The task's results folder (`--emit-results`): where Tekton reads the verdict and count results. */
const RESULTS_DIR = `"$(dirname "$(results.${GATE_VERDICT_RESULT}.path)")"`;

/**
 * The script of a gate step (run by `/bin/sh` in the gate image, in the gate's own working folder,
 * an emptyDir no other step mounts: no path the gate reads resolves through the shared source).
 * What is Tekton's own: the bundle comes gzipped from a ConfigMap, the inputs from read-only mounts,
 * the trust files from a mounted ConfigMap or Secret, the values leave as task results. The rest is
 * the shared runner (gate-shell):
 * 1. unpack the bundled gate into a temp folder of the gate container (the home volume is shared
 *    with the scanner's steps) and verify its sha256 (exit 2 on any mismatch);
 * 2. link each findings folder the reports name to its read-only mount, and copy the repository
 *    files the policy reads (exemptions, signed VEX and baseline) from the source workspace;
 * 3. run `node gatehouse.js <policy.gateArgs(reports, outputDir, options)>` (0 pass, 1 failed, 2 bad
 *    input), which writes the results itself (`--emit-results`: counts per severity and the
 *    verdict); trust files are read from the trust folder, mounted read-only;
 * 4. copy the outputs (SARIF, JSON, JUnit, Markdown) to the task's reports folder, whatever the verdict;
 * 5. exit by the failure strategy: FAIL fails the task on a failed gate; IGNORE and
 *    MANUAL_INTERVENTION pass it with verdict FAILED (the approval task reads it). A gate that
 *    could not decide (exit 2: a missing or unreadable report…) fails the task under every
 *    strategy, with verdict ERROR.
 */
export function gateScript(props: GateScriptProps): string {
  const repositoryFiles = repositoryFilesOf(props.policy);
  const strategy = props.policy.failureStrategy;
  const lines = [
    '#!/bin/sh',
    `# gatehouse gate of ${props.what} (failure strategy ${strategy})`,
    'set -u',
    // the gate container's own temp folder: the home volume is shared with the scanner's steps
    'gate_dir="$(mktemp -d)" || exit 2',
    'gate="$gate_dir/gatehouse.js"',
    `${verifyGateCommand({
      bundle: `"$${BUNDLE_ENV}"`,
      gzip: true,
      sha256: `"$${SHA256_ENV}"`,
      dest: '"$gate"',
      fix: 'the ConfigMap was changed or damaged; apply the pipeline objects again, ConfigMap included',
    })} || exit 2`,
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
    ...gateRunLines({
      what: props.what,
      strategy,
      gate: '"$gate"',
      args: props.policy.gateArgs(props.reports, props.outputDir, props.gateArgsOptions),
      outputDir: props.outputDir,
      envFile: GATE_ENV_FILE,
      resultsDir: RESULTS_DIR,
      unit: 'task',
      end: 'exit',
      afterRun: [
        `dest="$(workspaces.${REPORTS_WORKSPACE}.path)/gate"`,
        `if [ -d ${shellWord(props.outputDir)} ]; then mkdir -p "$dest" && cp -R ${shellWord(props.outputDir)}/. "$dest/" || { echo "gatehouse: cannot copy the gate's outputs to the reports workspace"; gate_code=2; }; fi`,
      ],
      // a gate that died before writing its verdict still leaves one
      onError: [`printf ERROR > "$(results.${GATE_VERDICT_RESULT}.path)"`],
    }),
  ];
  return lines.join('\n') + '\n';
}

function parentOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i > 0 ? p.slice(0, i) : '.';
}
