import { RawFinding } from '../types';
import { JsonObject, Shape } from './deps-shape';
import { trivyResultFindings, TrivyScope } from './deps-trivy-result';
import { checkSection, Section } from './strict';
import { suppressedNote, withNote } from './suppressed-note';

/** Where each kind of modified finding sits in a `Results[]` entry. */
const LISTS: Record<string, string> = {
  vulnerability: 'Vulnerabilities',
  misconfiguration: 'Misconfigurations',
  secret: 'Secrets',
  license: 'Licenses',
};

/** One entry of `ExperimentalModifiedFindings` (trivy's `types.ModifiedFinding`). */
const MODIFIED: Section = {
  required: { Type: 'string', Finding: 'object' },
  optional: { Status: 'string', Statement: 'string', Source: 'string' },
};

/**
 * The findings trivy suppressed in one `Results[]` entry, which `trivy --show-suppressed` lists
 * under `ExperimentalModifiedFindings`: `{Type, Status (ignored | not_affected), Statement, Source,
 * Finding}`, suppressed by a `.trivyignore(.yaml)`, an inline ignore comment or a VEX document.
 * Each is read as the finding it was (a vulnerability, misconfiguration, secret or license of the
 * same result) and says in its description what suppressed it: the gate does not honour it.
 */
export function trivyModifiedFindings(file: string, value: unknown, path: string, scope: TrivyScope, shape: Shape, fix: string): RawFinding[] {
  const result: JsonObject = shape.obj(value, path);
  const out: RawFinding[] = [];
  shape.optArr(result.ExperimentalModifiedFindings, path, 'ExperimentalModifiedFindings').forEach((entry, i) => {
    const p = `${path}.ExperimentalModifiedFindings[${i}]`;
    const m = shape.obj(entry, p);
    checkSection(file, 'trivy json', p, m, MODIFIED, fix);
    const type = shape.str(m.Type, p, 'Type');
    const list = Object.prototype.hasOwnProperty.call(LISTS, type) ? LISTS[type] : undefined;
    if (list === undefined) shape.fail(p, `must be vulnerability, misconfiguration, secret or license, got ${JSON.stringify(type)}`, 'Type');
    const status = shape.optStr(m.Status, p, 'Status') ?? 'suppressed';
    const source = shape.optStr(m.Source, p, 'Source');
    const statement = shape.optStr(m.Statement, p, 'Statement');
    const how = `trivy ${status}${source ? ` by ${source}` : ''}${statement ? `: "${statement}"` : ''}`;
    const one = { Target: result.Target, Class: result.Class, Type: result.Type, [list]: [m.Finding] };
    for (const f of trivyResultFindings(one, p, scope, shape)) out.push(withNote(f, suppressedNote(how)));
  });
  return out;
}
