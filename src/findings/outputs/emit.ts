import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GATE_VERDICT_VARIABLE, gateCountVariable, GateVerdictValue } from '../../core/gate-values';
import { InternalError, UsageError } from '../errors';
import { SEVERITIES, Severity } from '../types';

/**
 * What `gate --emit-env FILE` and `--emit-results DIR` write for the engine that runs the gate, so
 * that no engine reads the JSON output: the count of each severity (ladder order) and the verdict.
 * The names are those of core's gate values (`GATE_CRITICAL` … `GATE_UNKNOWN`, `GATE_VERDICT`).
 */

/** Where the values go. */
export interface GateEmitTargets {
  /** A file of `NAME=value` lines, safe to source with `.` in any POSIX shell. */
  readonly env?: string;
  /** A folder receiving one file per value, named as the value, holding it without a newline (Tekton results). */
  readonly resultsDir?: string;
}

/** The values of one run: a decision has counts; a run that could not decide has verdict ERROR only. */
export interface GateEmission {
  readonly verdict: GateVerdictValue;
  /** Findings per severity, the JSON output's `summary.bySeverity`; absent for ERROR. */
  readonly counts?: Readonly<Record<Severity, number>>;
}

const VERDICTS: readonly string[] = ['PASSED', 'FAILED', 'ERROR'];

/** The values in order (counts first, the verdict last), checked to be shell-safe words. */
export function gateEmissionValues(e: GateEmission): Array<[string, string]> {
  if (!VERDICTS.includes(e.verdict)) throw new InternalError(`gate verdict "${e.verdict}" is not one of ${VERDICTS.join(', ')}`);
  if ((e.verdict === 'ERROR') !== (e.counts === undefined)) {
    throw new InternalError(`gate verdict ${e.verdict} ${e.counts ? 'comes with' : 'lacks'} counts: counts go with PASSED or FAILED only`);
  }
  const out: Array<[string, string]> = [];
  for (const s of e.counts ? SEVERITIES : []) {
    const n = e.counts![s];
    if (!Number.isSafeInteger(n) || n < 0) throw new InternalError(`gate count of ${s} is ${String(n)}, not a whole number`);
    out.push([gateCountVariable(s), String(n)]);
  }
  out.push([GATE_VERDICT_VARIABLE, e.verdict]);
  return out;
}

/** The env file's text: `GATE_CRITICAL=0` … `GATE_VERDICT=PASSED`, one line each. */
export function gateEnvText(e: GateEmission): string {
  return gateEmissionValues(e).map(([name, value]) => `${name}=${value}\n`).join('');
}

/**
 * Writes the values to every target (the verdict last in the results folder: a reader never sees a
 * verdict without its counts). A target that cannot be written is a usage error (exit 2).
 */
export function writeGateEmission(targets: GateEmitTargets, e: GateEmission): void {
  const values = gateEmissionValues(e);
  if (targets.resultsDir !== undefined) {
    const dir = targets.resultsDir;
    attempt(dir, () => mkdirSync(dir, { recursive: true }));
    for (const [name, value] of values) attempt(join(dir, name), () => writeFileSync(join(dir, name), value));
  }
  if (targets.env !== undefined) {
    const file = targets.env;
    attempt(file, () => writeFileSync(file, gateEnvText(e)));
  }
}

/** After an error: verdict ERROR wherever it can still be written; never throws (the error it follows wins). */
export function writeGateErrorEmission(targets: GateEmitTargets): void {
  const error: GateEmission = { verdict: 'ERROR' };
  for (const t of [{ resultsDir: targets.resultsDir }, { env: targets.env }]) {
    try {
      writeGateEmission(t, error);
    } catch {
      // nothing more can be done: the exit code (2) still says the gate could not decide
    }
  }
}

function attempt(target: string, write: () => void): void {
  try {
    write();
  } catch (e) {
    throw new UsageError(`cannot write ${target} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): give --emit-env a writable file and --emit-results a writable folder`);
  }
}
