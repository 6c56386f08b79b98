import { severityFromText } from '../severity';
import { JsonParser, Location, ParseContext, ParsedReport, RawFinding } from '../types';
import { FieldReader, isObject, JsonObject } from './code-json';
import { Section } from './strict';

/**
 * secretlint JSON (`secretlint "**\/*" --format json --output FILE`): an array with one entry per
 * scanned file, `{filePath, sourceContent, messages[{ruleId, ruleParentId, messageId, message,
 * severity (info|warning|error), loc{start{line,column}, end{…}}, docsUrl, data}]}`; lines are
 * 1-based, columns 0-based.
 *
 * `sourceContent` is the whole scanned file, unmasked: it is never copied into a finding. Values in
 * a message's `data` (the matched secret, masked unless `--no-maskSecrets`) are masked in titles.
 */
/** One scanned file: its findings are `messages`. */
const FILE: Section = {
  required: { filePath: 'string', messages: 'array' },
  optional: { sourceContent: 'string', sourceContentType: 'string' },
};

export const secretlintParser: JsonParser = {
  type: 'json',
  id: 'secretlint-json',
  detect(doc: unknown): boolean {
    if (!Array.isArray(doc) || doc.length === 0) return false;
    const first = doc[0];
    return isObject(first) && typeof first.filePath === 'string' && Array.isArray(first.messages);
  },
  /** secretlint writes `[]` when it finds nothing. */
  emptyReport: (doc: unknown): boolean => Array.isArray(doc) && doc.length === 0,
  parse(doc: unknown, ctx: ParseContext): ParsedReport {
    const r = new FieldReader(ctx, 'secretlint json report', 'regenerate it with `secretlint "**/*" --format json --output FILE`');
    const files = r.array(doc, 'the document');
    const findings: RawFinding[] = [];
    for (let i = 0; i < files.length; i++) {
      const fpath = `[${i}]`;
      const file = r.section(r.object(files[i], fpath), fpath, FILE);
      const filePath = r.text(file, 'filePath', fpath);
      const messages = r.array(file.messages, `${fpath}.messages`);
      for (let j = 0; j < messages.length; j++) {
        const path = `${fpath}.messages[${j}]`;
        findings.push(parseMessage(r, filePath, r.object(messages[j], path), path));
      }
    }
    return { format: 'secretlint-json', tool: 'secretlint', findings };
  },
};

function parseMessage(r: FieldReader, filePath: string, msg: JsonObject, path: string): RawFinding {
  const rule = r.text(msg, 'ruleId', path);
  const parent = r.optString(msg, 'ruleParentId', path);
  const severityText = r.text(msg, 'severity', path);
  const message = r.string(msg, 'message', path);
  const location: Location = { file: filePath };
  const loc = r.optObject(msg, 'loc', path);
  const start = loc ? r.optObject(loc, 'start', `${path}.loc`) : undefined;
  if (start) {
    const line = r.position(start, 'line', `${path}.loc.start`);
    if (line !== undefined) {
      location.line = line;
      const column = r.optPosition(start, 'column', `${path}.loc.start`);
      if (column !== undefined || start.column === 0) location.column = (start.column as number) + 1;
      const end = r.optObject(loc!, 'end', `${path}.loc`);
      const endLine = end ? r.optPosition(end, 'line', `${path}.loc.end`) : undefined;
      if (endLine !== undefined && endLine > line) location.endLine = endLine;
    }
  }
  const messageId = r.optString(msg, 'messageId', path);
  const finding: RawFinding = {
    tool: 'secretlint',
    kind: 'secret',
    // The same id secretlint's SARIF formatter writes: `<preset> > <rule>`.
    ruleId: parent ? `${parent} > ${rule}` : rule,
    title: mask(message, msg.data).trim() || messageId || rule,
    severity: severityFromText(severityText),
    toolSeverity: severityText,
    location,
  };
  if (messageId) finding.description = `secretlint ${rule} (${messageId})`;
  const docs = r.optString(msg, 'docsUrl', path);
  if (docs) finding.references = [docs];
  return finding;
}

/** Replaces every string value of `data` (what the rule matched) found in the message by asterisks. */
function mask(message: string, data: unknown): string {
  if (!isObject(data)) return message;
  let out = message;
  for (const value of Object.values(data)) {
    if (typeof value === 'string' && value.length >= 4 && !/^\*+$/.test(value)) out = out.split(value).join('*'.repeat(value.length));
  }
  return out;
}
