import { SEVERITY_LADDER } from './severity';

/**
 * The values a gate run hands to the engine that ran it (`gatehouse gate --emit-env FILE` /
 * `--emit-results DIR`): one count per severity of the ladder, then the verdict. The names are
 * the same everywhere: CodePipeline variables, Tekton task results, lines of the env file.
 */

/** The verdict value: `PASSED`, `FAILED`, or `ERROR` (the gate could not decide: bad input). */
export const GATE_VERDICT_VARIABLE = 'GATE_VERDICT';

/** What a gate run emits as its verdict. */
export type GateVerdictValue = 'PASSED' | 'FAILED' | 'ERROR';

/** `GATE_CRITICAL`, `GATE_HIGH`, …: the value counting one severity. */
export function gateCountVariable(severity: string): string {
  return `GATE_${severity.toUpperCase()}`;
}

/** Every value a gate emits, in order: the counts (ladder order), then the verdict. */
export const GATE_VALUE_NAMES: readonly string[] = [...SEVERITY_LADDER.map(gateCountVariable), GATE_VERDICT_VARIABLE];
