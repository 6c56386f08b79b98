import { ALL_PARSERS } from './parsers';

/** The format ids of every report parser, as `--expect-format` takes them and `gatehouse findings` reports them. */
export const FORMAT_IDS: readonly string[] = ALL_PARSERS.map((p) => p.id);

/**
 * The expected formats of each report from the `--expect-format` values (each a comma-separated
 * list of ids): none given → no expectation; one → the same list for every report; as many as
 * reports → the i-th for the i-th report. Throws an `Error` with a usage message otherwise, or for
 * an id that is not a format.
 */
export function expectedFormats(
  values: readonly string[],
  reports: number,
  known: readonly string[] = FORMAT_IDS,
): Array<readonly string[]> | undefined {
  if (values.length === 0) return undefined;
  const lists = values.map((v) => v.split(',').map((id) => id.trim()).filter((id) => id !== ''));
  const unknown = [...new Set(lists.flat().filter((id) => !known.includes(id)))];
  if (unknown.length > 0) {
    throw new Error(`--expect-format: unknown format id${unknown.length > 1 ? 's' : ''} ${unknown.map((id) => `"${id}"`).join(', ')}; known ids: ${known.join(', ')}`);
  }
  const empty = lists.findIndex((l) => l.length === 0);
  if (empty !== -1) throw new Error(`--expect-format: value ${empty + 1} names no format id; give one or more of: ${known.join(', ')}`);
  if (lists.length === 1) return Array.from({ length: reports }, () => lists[0]);
  if (lists.length === reports) return lists;
  throw new Error(
    `--expect-format is given ${lists.length} times for ${reports} report${reports === 1 ? '' : 's'}: give it once (for every report) or once per report, in the order of the reports`,
  );
}
