import { FailureStrategy, GatePolicy } from './gate-policy';
import { GATE_VERDICT_VARIABLE } from './gate-values';

/*
 * The gate runner every engine shares: POSIX `sh` fragments that check the bundled gate, run it
 * with the policy's arguments, read what it emits (`--emit-env`, `--emit-results`: the engines
 * never read its JSON), and end by the failure strategy. An engine adds only what is its own: how
 * the bundle arrives, where trust files are placed, where outputs and results go.
 */

/** What every engine's gate script is about: which gate, its policy, its reports, its output folder. */
export interface GateScriptSubject {
  /** Shown in messages, without quotes: `oast/bandit` or `stage oast`. */
  readonly what: string;
  readonly policy: GatePolicy;
  /** Report files, relative to the folder the gate runs in. */
  readonly reports: string[];
  /** Output folder of the gate, relative to the folder the gate runs in. */
  readonly outputDir: string;
}

/** Single-quotes a shell word unless it is plainly safe. */
export function shellWord(s: string): string {
  return /^[A-Za-z0-9._/:=@,+-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

/**
 * Checks the bundled gate that arrived against the sha256 it was synthesized with, unpacking it
 * first when it came gzipped, and writes it (owner read and execute only) where it will run: any
 * other content (a swapped, truncated or unreadable bundle) exits 2 before a gate runs. Node only
 * (the gate image has nothing else we can count on); double quotes only (it is single-quoted in the
 * shell); no `$(`: Tekton would read it as a variable.
 * Arguments: the file that arrived, `gzip` or `plain`, the sha256, where to write it, the fix.
 */
const VERIFY_JS = [
  'const fs = require("fs"), zlib = require("zlib"), crypto = require("crypto");',
  'const [bundle, packing, want, dest, fix] = process.argv.slice(1);',
  'let js;',
  'try { js = fs.readFileSync(bundle); if (packing === "gzip") js = zlib.gunzipSync(js); } catch (e) {',
  '  console.error("gatehouse: cannot read the bundled gate " + bundle + " (" + e.message + "): " + fix); process.exit(2);',
  '}',
  'const got = crypto.createHash("sha256").update(js).digest("hex");',
  'if (got !== want) {',
  '  console.error("gatehouse: the bundled gate " + bundle + " has sha256 " + got + ", not " + want + " as synthesized: " + fix);',
  '  process.exit(2);',
  '}',
  'fs.writeFileSync(dest, js, { mode: 0o500 });',
].join('\n');

/** How the bundled gate reaches the runner. */
export interface GateBundleCheck {
  /** Shell word of the file that arrived, e.g. `"$gate_dir/bundle"`. */
  readonly bundle: string;
  /** Whether it arrived gzipped. */
  readonly gzip: boolean;
  /** Shell word of the sha256 the unpacked gate must have: 64 lowercase hex digits, or a variable holding them. */
  readonly sha256: string;
  /** Shell word of the file the checked gate is written to (it must not exist). */
  readonly dest: string;
  /** The end of the error message: what changed and how to fix it. */
  readonly fix: string;
}

/** The command that checks (and unpacks) the bundled gate; it exits 2 on any mismatch. */
export function verifyGateCommand(c: GateBundleCheck): string {
  return `node -e '${VERIFY_JS}' ${c.bundle} ${c.gzip ? 'gzip' : 'plain'} ${c.sha256} ${c.dest} ${shellWord(c.fix)}`;
}

/** One gate run, as the runner script performs it. */
export interface GateRunProps {
  /** Shown in messages, without quotes: `oast/bandit` or `stage oast`. */
  readonly what: string;
  readonly strategy: FailureStrategy;
  /** Shell word of the checked gate file. */
  readonly gate: string;
  /** The gate's arguments, exactly `GatePolicy.gateArgs(...)`. */
  readonly args: string[];
  /** The gate's output folder (removed first: outputs of an earlier attempt are never read as this one's). */
  readonly outputDir: string;
  /** Shell word of the file the gate writes its values to (`--emit-env`): an absolute path outside the source. */
  readonly envFile: string;
  /** Shell word of a folder receiving one file per value (`--emit-results`, Tekton results). @default none */
  readonly resultsDir?: string;
  /** What the engine calls the unit a failed gate fails: `action`, `task`. */
  readonly unit: string;
  /** `return` when the lines run inside a shell function, `exit` at the top of a script. */
  readonly end: 'return' | 'exit';
  /** Where a MANUAL_INTERVENTION waits, for the log (`stage deploy.x@gate-intervention`). @default not said */
  readonly waitsIn?: string;
  /** Lines run after the gate, whatever it decided (publish or copy its outputs). @default none */
  readonly afterRun?: string[];
  /** Lines run when the gate passed, before ending with 0. @default none */
  readonly onPass?: string[];
  /** Lines run when the gate could not decide, before ending with 2. @default none */
  readonly onError?: string[];
}

/** The gate's command line: its arguments with the emit options before the `--` that starts the reports. */
export function gateCommandLine(p: Pick<GateRunProps, 'gate' | 'args' | 'envFile' | 'resultsDir'>): string {
  const emit = ['--emit-env', p.envFile, ...(p.resultsDir !== undefined ? ['--emit-results', p.resultsDir] : [])];
  const sep = p.args.indexOf('--');
  const at = sep < 0 ? p.args.length : sep;
  return ['node', p.gate, ...p.args.slice(0, at).map(shellWord), ...emit, ...p.args.slice(at).map(shellWord)].join(' ');
}

/**
 * The lines that run the gate and end by the failure strategy (the exit code and the emitted
 * verdict must agree, 0 PASSED or 1 FAILED, or the gate could not decide):
 * - PASSED ends with 0;
 * - FAILED ends with 1 under FAIL; IGNORE and MANUAL_INTERVENTION end with 0, verdict FAILED
 *   (the engine's intervention reads it);
 * - anything else (exit 2: bad input; a gate that died; values that disagree) sets the verdict
 *   ERROR and ends with 2 under every strategy.
 * The verdict and counts are left in the shell variables `GATE_VERDICT`, `GATE_<SEVERITY>`.
 */
export function gateRunLines(p: GateRunProps): string[] {
  const failed = `gatehouse: the gate of ${p.what} FAILED`;
  let onFailed: string[];
  switch (p.strategy) {
    case FailureStrategy.IGNORE:
      onFailed = [`echo "${failed}; failure strategy IGNORE: recorded (${GATE_VERDICT_VARIABLE}=FAILED) and the pipeline goes on"`, `${p.end} 0 ;;`];
      break;
    case FailureStrategy.MANUAL_INTERVENTION:
      onFailed = [
        `echo "${failed}; failure strategy MANUAL_INTERVENTION: the pipeline waits for a security approver${p.waitsIn ? ` in ${p.waitsIn}` : ''}"`,
        `${p.end} 0 ;;`,
      ];
      break;
    default:
      onFailed = [`echo "${failed}"`, `${p.end} 1 ;;`];
  }
  return [
    `rm -rf ${shellWord(p.outputDir)} ${p.envFile}`,
    gateCommandLine(p),
    'gate_code=$?',
    `${GATE_VERDICT_VARIABLE}=ERROR`,
    `[ ! -f ${p.envFile} ] || . ${p.envFile}`,
    ...(p.afterRun ?? []),
    `case "$gate_code:$${GATE_VERDICT_VARIABLE}" in`,
    '  0:PASSED)',
    ...(p.onPass ?? []).map((l) => `    ${l}`),
    `    ${p.end} 0 ;;`,
    '  1:FAILED)',
    ...onFailed.map((l) => `    ${l}`),
    '  *)',
    `    ${GATE_VERDICT_VARIABLE}=ERROR`,
    ...(p.onError ?? []).map((l) => `    ${l}`),
    `    echo "gatehouse: the gate of ${p.what} could not decide (exit $gate_code): bad input fails the ${p.unit} under every failure strategy"`,
    `    ${p.end} 2 ;;`,
    'esac',
  ];
}
