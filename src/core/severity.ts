/**
 * The severity ladder, most severe first: every severity a finding can have (`unknown`: its
 * scanner gave none). The one list the gate decides in, counts in, and emits its counts in; engines
 * and policy rules read it from here.
 */
export const SEVERITY_LADDER = ['critical', 'high', 'medium', 'low', 'info', 'unknown'] as const;

/** A severity of the ladder. */
export type LadderSeverity = (typeof SEVERITY_LADDER)[number];

/** A severity a gate can count in and take as a threshold: every severity but `unknown`. */
export type GradedLadderSeverity = Exclude<LadderSeverity, 'unknown'>;

/** The graded severities, most severe first. */
export const GRADED_SEVERITIES: readonly GradedLadderSeverity[] = SEVERITY_LADDER.filter((s): s is GradedLadderSeverity => s !== 'unknown');

/** The threshold that never fails on severity. */
export const NO_SEVERITY_THRESHOLD = 'none';

/**
 * Gate thresholds (`failOn`) from the strictest (`info`: fail on any finding) to the weakest
 * (`none`: never fail on severity).
 */
export const THRESHOLDS_STRICTEST_FIRST: readonly string[] = [...[...GRADED_SEVERITIES].reverse(), NO_SEVERITY_THRESHOLD];

/** Place on the ladder: 0 for critical … 5 for unknown; -1 for a word that is not a severity. */
export function severityRank(severity: string): number {
  return (SEVERITY_LADDER as readonly string[]).indexOf(severity);
}
