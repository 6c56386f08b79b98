import { existsSync, readFileSync, statSync } from 'node:fs';
import { UsageError } from './errors';

/**
 * The security approvers of `--approvers`: a comma-separated list of ids, or the path of a file that
 * lists them (one per line or comma-separated; `#` starts a comment; a YAML list works too).
 * Ids compare case-insensitively.
 */
export function parseApprovers(value: string): Set<string> {
  let text = value;
  if (!value.includes(',') && existsSync(value) && statSync(value).isFile()) {
    text = readFileSync(value, 'utf8');
  }
  const ids = text
    .split('\n')
    .map((line) => line.replace(/#.*$/, ''))
    .join(',')
    .split(',')
    .map((s) => s.trim().replace(/^-\s+/, '').replace(/^["']|["']$/g, '').trim().toLowerCase())
    .filter((s) => s !== '');
  if (ids.length === 0) throw new UsageError(`--approvers ${JSON.stringify(value)} names nobody: give approver ids separated by commas, or a file listing them`);
  return new Set(ids);
}

/** The normal form of a person id for comparisons. */
export function personId(id: string): string {
  return id.trim().toLowerCase();
}
