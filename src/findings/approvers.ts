import { existsSync, readFileSync, statSync } from 'node:fs';
import { UsageError } from './errors';
import { idProblem, identityKey, indexByKey } from './identity';

/**
 * The security approvers of `--approvers`: a comma-separated list of ids, or the path of a file that
 * lists them (one per line or comma-separated; `#` starts a comment; a YAML list works too).
 * Ids compare as a reader sees them (`identityKey`: Unicode NFKC, case folding, confusable
 * skeleton); an id with an invisible or control character, and two different ids that look alike,
 * are usage errors (`checkApprovers`).
 */
export function parseApprovers(value: string): Set<string> {
  let text = value;
  if (!value.includes(',') && existsSync(value) && statSync(value).isFile()) {
    try {
      text = readFileSync(value, 'utf8');
    } catch (e) {
      throw new UsageError(`--approvers ${value} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }
  const ids = text
    .split('\n')
    .map((line) => line.replace(/#.*$/, ''))
    .join(',')
    .split(',')
    // trim ASCII blanks only: a leading U+FEFF or other invisible character must reach checkApprovers
    .map((s) => asciiTrim(asciiTrim(s).replace(/^-[ \t]+/, '').replace(/^["']|["']$/g, '')).toLowerCase())
    .filter((s) => s !== '');
  if (ids.length === 0) throw new UsageError(`--approvers ${JSON.stringify(value)} names nobody: give approver ids separated by commas, or a file listing them`);
  const set = new Set(ids);
  checkApprovers(set);
  return set;
}

function asciiTrim(s: string): string {
  return s.replace(/^[ \t\r]+|[ \t\r]+$/g, '');
}

/**
 * Refuses an approvers list that names a person with invisible or control characters, or two
 * different ids that look alike (`sec.bob` and `sec.bоb` with a Cyrillic `о`): one of them would be
 * an impostor of the other. Returns the identity keys of the list.
 */
export function checkApprovers(ids: Iterable<string>): Set<string> {
  const problems: string[] = [];
  for (const id of ids) {
    const p = idProblem(id, 'approver');
    if (p) problems.push(p);
  }
  if (problems.length > 0) throw new UsageError(`--approvers: ${problems.join('; ')}`);
  const index = indexByKey(ids, (a, b) => {
    throw new UsageError(`--approvers names "${a}" and "${b}", which look alike (same letters after Unicode normalization and confusable folding): one of them is an impostor; list each approver once`);
  });
  return new Set(index.keys());
}

/** The normal form of a person id for comparisons (`identityKey`). */
export function personId(id: string): string {
  return identityKey(id);
}
