import { FieldReader, JsonObject } from './code-json';
import { suppressedNote } from './suppressed-note';

/**
 * The note for a SARIF result that carries suppressions (§3.27.23): an `accepted` or `underReview`
 * one, or one without a status (what producers that predate `status` write), whether `inSource`
 * (a comment in the code) or `external` (a suppression file). Such results are findings like the
 * others: the repository controls both kinds, and only an approved exemption accepts a finding.
 * A suppression whose status is `rejected` suppresses nothing: no note. Undefined when the result
 * carries no suppression in effect.
 */
export function sarifSuppressionNote(r: FieldReader, res: JsonObject, path: string): string | undefined {
  const list = r.optArray(res, 'suppressions', path);
  if (list === undefined || list.length === 0) return undefined;
  const kinds: string[] = [];
  for (let i = 0; i < list.length; i++) {
    const s = r.object(list[i], `${path}.suppressions[${i}]`);
    if (s.status === 'rejected') continue;
    const kind = s.kind === 'inSource' ? 'in the source' : s.kind === 'external' ? 'in an external file' : 'by the tool';
    const status = typeof s.status === 'string' ? s.status : 'no status';
    const justification = typeof s.justification === 'string' && s.justification.trim() !== '' ? `: "${s.justification.trim()}"` : '';
    kinds.push(`a SARIF suppression ${kind}, ${status}${justification}`);
  }
  return kinds.length === 0 ? undefined : suppressedNote(kinds.join('; '));
}
