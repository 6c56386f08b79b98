import { severityRank } from '../severity';
import { Location, RawFinding, Severity } from '../types';

/**
 * Builds a finding with no `undefined` fields and no empty lists, so outputs and snapshots carry
 * only what the report said.
 */
export function finding(f: RawFinding): RawFinding {
  const out: Record<string, unknown> = {};
  const src = f as unknown as Record<string, unknown>;
  for (const key in src) {
    const value = src[key];
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    out[key] = key === 'location' ? location(value as Location) : value;
  }
  return out as unknown as RawFinding;
}

function location(l: Location): Location {
  const out: Record<string, unknown> = {};
  const src = l as unknown as Record<string, unknown>;
  for (const key in src) {
    const value = src[key];
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out as Location;
}

/** The most severe of several severities; `unknown` only when none is known. */
export function worst(severities: Iterable<Severity>): Severity {
  let best: Severity = 'unknown';
  for (const s of severities) {
    if (s === 'unknown') continue;
    if (best === 'unknown' || severityRank(s) < severityRank(best)) best = s;
  }
  return best;
}

/** The highest score among several, ignoring missing ones. */
export function maxScore(scores: Iterable<number | undefined>): number | undefined {
  let best: number | undefined;
  for (const s of scores) {
    if (typeof s === 'number' && Number.isFinite(s) && (best === undefined || s > best)) best = s;
  }
  return best;
}
