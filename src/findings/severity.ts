import { Severity } from './types';

/** CVSS v3 bands: 9.0+ critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low, 0 info. */
export function severityFromCvss(score: number | undefined | null): Severity {
  if (typeof score !== 'number' || Number.isNaN(score) || score < 0 || score > 10) return 'unknown';
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'info';
}

const WORDS: Record<string, Severity> = {
  critical: 'critical',
  crit: 'critical',
  blocker: 'critical',
  high: 'high',
  error: 'high',
  important: 'high',
  major: 'high',
  medium: 'medium',
  moderate: 'medium', // npm
  warning: 'medium',
  low: 'low',
  minor: 'low',
  negligible: 'low', // grype
  note: 'low',
  info: 'info',
  informational: 'info',
  information: 'info',
  none: 'info',
  unknown: 'unknown',
  undefined: 'unknown',
  unspecified: 'unknown',
};

/**
 * Maps a tool's severity word to the scale. Anything unrecognized (or missing) is `unknown`,
 * which the gate counts as high unless configured otherwise: fail closed.
 */
export function severityFromText(text: unknown): Severity {
  if (typeof text !== 'string') return 'unknown';
  const key = text.trim().toLowerCase();
  return Object.prototype.hasOwnProperty.call(WORDS, key) ? WORDS[key] : 'unknown';
}

/** SARIF `level` (error / warning / note / none). */
export function severityFromSarifLevel(level: unknown): Severity {
  switch (level) {
    case 'error':
      return 'high';
    case 'warning':
      return 'medium';
    case 'note':
      return 'low';
    case 'none':
      return 'info';
    default:
      return 'unknown';
  }
}

/** Rank for comparisons: 0 = critical … 5 = unknown. */
export function severityRank(s: Severity): number {
  return ['critical', 'high', 'medium', 'low', 'info', 'unknown'].indexOf(s);
}
