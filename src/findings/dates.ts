import { UsageError } from './errors';

/**
 * Calendar dates and date-times of exemptions (`expires`, `requestedAt`, `approvedAt`), validated
 * for real: month 01–12, the day within its month (leap years by the Gregorian rule), hours 00–23,
 * minutes and seconds 00–59, a zone offset within ±23:59. `2027-02-30` and `2026-13-01` are not dates.
 */

const DAY_MS = 86_400_000;

/** A parsed ISO date (`YYYY-MM-DD`) or date-time with a zone (`…THH:MM[:SS[.fff]](Z|±HH:MM)`). */
export interface IsoTime {
  /** The instant (a date: its start, 00:00 UTC). */
  readonly start: number;
  /** True for a plain date. */
  readonly dateOnly: boolean;
  /** The UTC calendar day of `start` as days since the epoch. */
  readonly day: number;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Date.UTC without its 0–99 → 1900–1999 year mapping. */
function utc(y: number, m: number, d: number, hh = 0, mm = 0, ss = 0): number {
  const dt = new Date(0);
  dt.setUTCFullYear(y, m - 1, d);
  dt.setUTCHours(hh, mm, ss, 0);
  return dt.getTime();
}

function validDate(y: number, m: number, d: number): boolean {
  return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):(\d{2}))$/;

/** Parses an ISO date or a date-time with its zone; undefined when it is not a real one. */
export function parseIsoTime(text: string): IsoTime | undefined {
  const d = DATE.exec(text);
  if (d) {
    const [y, m, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
    if (!validDate(y, m, day)) return undefined;
    const start = utc(y, m, day);
    return { start, dateOnly: true, day: Math.floor(start / DAY_MS) };
  }
  const t = DATE_TIME.exec(text);
  if (!t) return undefined;
  const [y, m, day, hh, mm] = [Number(t[1]), Number(t[2]), Number(t[3]), Number(t[4]), Number(t[5])];
  const ss = t[6] === undefined ? 0 : Number(t[6]);
  if (!validDate(y, m, day) || hh > 23 || mm > 59 || ss > 59) return undefined;
  let offset = 0;
  if (t[8] !== 'Z') {
    const [oh, om] = [Number(t[10]), Number(t[11])];
    if (oh > 23 || om > 59) return undefined;
    offset = (t[9] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  const ms = t[7] === undefined ? 0 : Number(`0.${t[7]}`) * 1000;
  const start = utc(y, m, day, hh, mm, ss) + Math.floor(ms) - offset;
  return { start, dateOnly: false, day: Math.floor(start / DAY_MS) };
}

/**
 * The instant an exemption stops applying. A date (`2026-12-31`) lasts to the end of that day, UTC;
 * a date-time must carry its time zone (`Z` or `+02:00`). Undefined when the text is not one.
 */
export function expiryInstant(text: string): number | undefined {
  const t = parseIsoTime(text);
  if (!t) return undefined;
  return t.dateOnly ? t.start + DAY_MS : t.start;
}

/**
 * Whether an expiry lies more than `maxDays` days after `from` (ms). A date expiry compares
 * calendar days (expires on day D: D − day(from) ≤ maxDays); a date-time its instant.
 */
export function exceedsLifetime(expires: string, from: number, maxDays: number): boolean {
  const t = parseIsoTime(expires);
  if (!t) return false;
  if (t.dateOnly) return t.day - Math.floor(from / DAY_MS) > maxDays;
  return t.start - from > maxDays * DAY_MS;
}

/** ISO text of an instant without milliseconds, e.g. `2026-06-15T12:00:00Z`. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

/** Default and bounds of the longest exemption lifetime (`--max-exemption-days`). */
export const DEFAULT_MAX_EXEMPTION_DAYS = 90;
export const MAX_EXEMPTION_DAYS_LIMIT = 3650;

/** Parses a maximum lifetime in days: a whole number 1..3650. */
export function parseMaxDays(value: string, option: string): number {
  const v = value.trim();
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > MAX_EXEMPTION_DAYS_LIMIT) {
    throw new UsageError(`${option} "${value}" must be a whole number of days from 1 to ${MAX_EXEMPTION_DAYS_LIMIT}`);
  }
  return Number(v);
}
