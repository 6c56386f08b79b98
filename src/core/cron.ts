/**
 * Standard five-field cron expressions (minute hour day-of-month month day-of-week), the form
 * Kubernetes CronJobs take and the one engines translate from. Only numbers, `*`, ranges, lists
 * and steps: no names (`MON`), no `?`, `L`, `W` or `#`, no macros (`@daily`).
 */

/** One field of a cron expression: its name and range. */
export interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
}

/** The five fields, in order. */
export const CRON_FIELDS: CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day-of-week', min: 0, max: 6 },
];

const PART = /^(\*|(\d{1,2})(?:-(\d{1,2}))?)(?:\/(\d{1,2}))?$/;

/** Why `cron` is not a five-field cron expression this library takes; empty when it is. */
export function cronProblems(cron: unknown): string[] {
  if (typeof cron !== 'string' || cron.trim().length === 0) {
    return ['cron is empty: give a five-field cron expression such as "0 3 * * *"'];
  }
  if (/[^0-9*,\-/ ]/.test(cron)) {
    return [`cron ${JSON.stringify(cron)} holds characters other than digits, "*", ",", "-", "/" and single spaces: write it as five numeric fields such as "0 3 * * *" (no names, macros or ?)`];
  }
  const fields = cron.trim().split(/ +/);
  if (fields.length !== 5) {
    return [`cron ${JSON.stringify(cron)} has ${fields.length} fields: give five (minute hour day-of-month month day-of-week), e.g. "0 3 * * *"`];
  }
  const out: string[] = [];
  fields.forEach((text, i) => {
    const f = CRON_FIELDS[i];
    for (const part of text.split(',')) {
      const m = PART.exec(part);
      if (!m) {
        out.push(`cron ${f.name} "${text}" is not a number, "*", a range "a-b", a list or a step "/n"`);
        continue;
      }
      const nums = [m[2], m[3]].filter((x) => x !== undefined).map(Number);
      for (const n of nums) {
        if (n < f.min || n > f.max) out.push(`cron ${f.name} ${n} is out of range: use ${f.min}-${f.max}`);
      }
      if (nums.length === 2 && nums[0] > nums[1]) out.push(`cron ${f.name} range ${nums[0]}-${nums[1]} runs backwards: write the smaller number first`);
      if (m[4] !== undefined && Number(m[4]) === 0) out.push(`cron ${f.name} step /0 never advances: use a step of at least 1`);
    }
  });
  return out;
}

/** The five fields of a valid cron expression. */
export function cronFields(cron: string): string[] {
  return cron.trim().split(/ +/);
}

/** Why `zone` is not an IANA time zone name, or undefined. */
export function timeZoneProblem(zone: unknown): string | undefined {
  const fix = 'use an IANA time zone name such as "UTC" or "Europe/Berlin"';
  if (typeof zone !== 'string' || !/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/.test(zone)) {
    return `time zone ${JSON.stringify(zone)} is not a time zone name: ${fix}`;
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    return `time zone "${zone}" is unknown: ${fix}`;
  }
  return undefined;
}
