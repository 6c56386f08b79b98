import { ReportError } from '../types';

/**
 * Parses JSON Lines (NDJSON: one JSON value per line, as `trufflehog --json` writes) into an array.
 * Blank lines are skipped; a line that is not valid JSON throws a `ReportError` naming it, so a
 * truncated or mixed file fails closed. Returns [] when there is no value at all: the caller
 * decides whether an empty report is acceptable.
 *
 * @param text the file's content
 * @param file the file name, for error messages
 */
export function parseJsonLines(text: string, file = 'input'): unknown[] {
  const values: unknown[] = [];
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let start = 0;
  let lineNo = 0;
  while (start <= body.length) {
    const newline = body.indexOf('\n', start);
    const end = newline === -1 ? body.length : newline;
    lineNo++;
    const line = body.slice(start, end).trim();
    if (line !== '') {
      try {
        values.push(JSON.parse(line));
      } catch (err) {
        throw new ReportError(
          file,
          `line ${lineNo} is not valid JSON (${(err as Error).message}); a JSON Lines report has one complete JSON document per line`,
        );
      }
    }
    if (newline === -1) break;
    start = newline + 1;
  }
  return values;
}

/**
 * Parses a report that is either one JSON document or JSON Lines. The whole text is tried as JSON
 * first; only when that fails is it read as JSON Lines, which yields an array of the line values
 * (what the trufflehog parser expects). When neither works, the error is the plain JSON one
 * (a truncated JSON report says so), never a silent empty result.
 */
export function parseJsonDocument(text: string, file = 'input'): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (err) {
    let values: unknown[] | undefined;
    try {
      values = parseJsonLines(body, file);
    } catch {
      values = undefined;
    }
    // One value would have parsed as plain JSON: only two or more lines make JSON Lines.
    if (values !== undefined && values.length > 1) return values;
    throw new ReportError(file, `is not valid JSON (${(err as Error).message}); give the report exactly as the scanner wrote it`);
  }
}
