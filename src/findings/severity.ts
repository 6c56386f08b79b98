import { Severity } from './types';
import { severityRank as ladderRank } from '../core/severity';

/**
 * CVSS v3 bands: 9.0+ critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low, 0 info. No score
 * (undefined or null) is `unknown`; a score that is present but not a number from 0 to 10 is
 * unreadable and counts at the highest level, `critical`.
 */
export function severityFromCvss(score: unknown): Severity {
  if (score === undefined || score === null) return 'unknown';
  if (typeof score !== 'number' || !Number.isFinite(score) || score < 0 || score > 10) return 'critical';
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
 * Maps a tool's severity word to the scale.
 * - Absent (undefined or null): `unknown`, which the gate counts as `--unknown-as` (high by default).
 * - A word of a tool's vocabulary (case and surrounding spaces ignored): its level; the words
 *   `unknown`, `undefined` and `unspecified` are the tool saying it does not know: `unknown`.
 * - Anything else that is present — an empty string, a number or score where a word belongs
 *   (`"9.8"`), look-alike letters (Cyrillic `НIGH`, fullwidth `ＨＩＧＨ`), a word no tool uses — is
 *   unreadable, and counts at the highest level, `critical`: a finding whose severity cannot be
 *   read must not pass a gate that a readable one of any level would fail.
 */
export function severityFromText(text: unknown): Severity {
  if (text === undefined || text === null) return 'unknown';
  if (typeof text !== 'string') return 'critical';
  const key = text.trim().toLowerCase();
  return Object.prototype.hasOwnProperty.call(WORDS, key) ? WORDS[key] : 'critical';
}

/**
 * A severity field as the tool wrote it, for `severityFromText` and the audit trail: undefined when
 * absent or null, else its text (a non-string as JSON), so that an empty or malformed value is
 * never mistaken for an absent one.
 */
export function severityField(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** SARIF `level` (error / warning / note / none); the parser refuses any other value. */
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
  return ladderRank(s);
}
