/** A Go duration (what Tekton parses) for a whole number of minutes, e.g. 90 → "1h30m". */
export function goDuration(minutes: number): string {
  if (!Number.isInteger(minutes) || minutes < 0) {
    throw new Error(`duration ${minutes} is not a whole, non-negative number of minutes`);
  }
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h > 0 && m > 0) return `${h}h${m}m`;
  if (h > 0) return `${h}h`;
  return `${m}m`;
}

/** Minutes of a Go duration made of hours, minutes and seconds (seconds round up); undefined if unparsable. */
export function minutesOf(duration: string): number | undefined {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(duration);
  if (!m || duration.length === 0) return undefined;
  return Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0) + Math.ceil(Number(m[3] ?? 0) / 60);
}
