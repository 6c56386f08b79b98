import { JsonParser, Location, ParseContext, ParsedReport, RawFinding, Severity } from '../types';
import { FieldReader, isObject } from './code-json';
import { Section } from './strict';

/**
 * hadolint JSON (`hadolint --format json Dockerfile`): an array of
 * `{file, line, column, level (error|warning|info|style), code (DLxxxx or SCxxxx), message}`
 * (hadolint src/Hadolint/Formatter/Json.hs). A clean run writes `[]` (read as gitleaks' empty report:
 * zero findings either way).
 */
/** One hadolint result (its JSON formatter writes exactly these keys). */
const ITEM: Section = {
  required: { code: 'string', level: 'string', file: 'string', line: 'number', message: 'string' },
  optional: { column: 'number' },
  others: 'none',
};

export const hadolintParser: JsonParser = {
  type: 'json',
  id: 'hadolint-json',
  detect(doc: unknown): boolean {
    if (!Array.isArray(doc) || doc.length === 0) return false;
    const first = doc[0];
    return isObject(first) && typeof first.code === 'string' && typeof first.level === 'string' && 'file' in first && 'line' in first && 'message' in first;
  },
  /** hadolint writes `[]` when a Dockerfile has no findings. */
  emptyReport: (doc: unknown): boolean => Array.isArray(doc) && doc.length === 0,
  parse(doc: unknown, ctx: ParseContext): ParsedReport {
    const r = new FieldReader(ctx, 'hadolint json report', 'regenerate it with `hadolint --format json Dockerfile > FILE`');
    const list = r.array(doc, 'the document');
    const findings: RawFinding[] = [];
    for (let i = 0; i < list.length; i++) {
      const path = `[${i}]`;
      const item = r.section(r.object(list[i], path), path, ITEM);
      const code = r.text(item, 'code', path);
      const level = r.text(item, 'level', path);
      const location: Location = { file: r.text(item, 'file', path) };
      const line = r.position(item, 'line', path);
      if (line !== undefined) location.line = line;
      const column = r.optPosition(item, 'column', path);
      if (column !== undefined && line !== undefined) location.column = column;
      const message = r.text(item, 'message', path);
      const finding: RawFinding = {
        tool: 'hadolint',
        kind: 'misconfiguration',
        ruleId: code,
        title: message.split('\n')[0].trim(),
        // a level hadolint does not write is unreadable: it counts at the highest level
        severity: Object.prototype.hasOwnProperty.call(LEVELS, level.trim().toLowerCase()) ? LEVELS[level.trim().toLowerCase()] : 'critical',
        toolSeverity: level,
        location,
      };
      if (message.includes('\n')) finding.description = message;
      const ref = referenceFor(code);
      if (ref) finding.references = [ref];
      findings.push(finding);
    }
    return { format: 'hadolint-json', tool: 'hadolint', findings };
  },
};

/**
 * The mapping hadolint's own SARIF formatter uses (error → error, warning → warning, info and
 * style → note), so a Dockerfile finding has one severity whichever format hadolint wrote.
 */
const LEVELS: Record<string, Severity> = {
  error: 'high',
  warning: 'medium',
  info: 'low',
  style: 'low',
};

function referenceFor(code: string): string | undefined {
  if (/^DL\d+$/.test(code)) return `https://github.com/hadolint/hadolint/wiki/${code}`;
  if (/^SC\d+$/.test(code)) return `https://www.shellcheck.net/wiki/${code}`;
  return undefined;
}
