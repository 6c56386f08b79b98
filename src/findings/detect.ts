import { InternalError } from './errors';
import { JsonParser, Parser, ReportError, XmlParser } from './types';

/**
 * The one JSON parser that recognizes `doc`. Zero → unrecognized format (bad input); more than one →
 * an internal error naming both (two parsers must never claim one document).
 */
export function selectJsonParser(file: string, doc: unknown, parsers: readonly Parser[]): JsonParser {
  const hits = parsers.filter((p): p is JsonParser => p.type === 'json' && safeDetect(() => p.detect(doc)));
  if (hits.length === 1) return hits[0];
  if (hits.length === 0) throw new ReportError(file, `unrecognized format: no parser recognizes this JSON document (${describeJson(doc)})`);
  throw ambiguous(file, hits);
}

/** The one XML parser that recognizes the document's root element. */
export function selectXmlParser(file: string, root: { name: string; uri: string }, parsers: readonly Parser[]): XmlParser {
  const hits = parsers.filter((p): p is XmlParser => p.type === 'xml' && safeDetect(() => p.detect(root)));
  if (hits.length === 1) return hits[0];
  if (hits.length === 0) {
    const ns = root.uri ? ` in namespace ${root.uri}` : ' (no namespace)';
    throw new ReportError(file, `unrecognized format: no parser recognizes XML root element <${root.name}>${ns}`);
  }
  throw ambiguous(file, hits);
}

function ambiguous(file: string, hits: Parser[]): InternalError {
  return new InternalError(
    `${file}: internal error: parsers ${hits.map((h) => `"${h.id}"`).join(' and ')} both recognize this document; ` +
      'their detection must be made specific (please report this)',
  );
}

/** `detect` must not throw; if one does, it did not recognize the document. */
function safeDetect(fn: () => boolean): boolean {
  try {
    return fn() === true;
  } catch {
    return false;
  }
}

/** A short description of a JSON value for error messages: its type and first keys. */
export function describeJson(doc: unknown): string {
  if (doc === null) return 'the document is null';
  if (Array.isArray(doc)) {
    if (doc.length === 0) return 'an empty array';
    const first = doc[0];
    const keys = first && typeof first === 'object' && !Array.isArray(first) ? `, first item keys: ${keyList(first)}` : '';
    return `an array of ${doc.length}${keys}`;
  }
  if (typeof doc === 'object') return `top-level keys: ${keyList(doc as object) || 'none'}`;
  return `a JSON ${typeof doc}`;
}

function keyList(o: object): string {
  const keys = Object.keys(o);
  const shown = keys.slice(0, 8).join(', ');
  return keys.length > 8 ? `${shown}, …` : shown;
}
