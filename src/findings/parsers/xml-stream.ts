import { createReadStream } from 'node:fs';
import { SaxesParser, SaxesTagNS } from 'saxes';
import { ReportError } from '../types';

/** One element as the visitor sees it. */
export interface XmlElement {
  /** Local name (without prefix). */
  readonly name: string;
  /** Namespace URI ('' when none). */
  readonly uri: string;
  /** Attributes without a namespace, by local name. */
  readonly attributes: Readonly<Record<string, string>>;
}

/** Receives elements as the file streams by; never holds the whole document. */
export interface XmlVisitor {
  /**
   * A start tag. `ancestors` are the open elements above it, root first. Return true to receive the
   * element's text content (its descendants' text included) in `close`.
   */
  open(el: XmlElement, ancestors: readonly XmlElement[]): boolean;
  /** The matching end tag; `text` is set when `open` asked for it. */
  close(el: XmlElement, ancestors: readonly XmlElement[], text: string | undefined): void;
}

const CHUNK = 256 * 1024;

/**
 * Deepest element nesting a report may have. Scanner reports nest a few dozen levels (an ARF with
 * its data stream: about 20); the namespace resolution of a SAX parser costs time in proportion to
 * the depth on every element, so unbounded nesting would make reading quadratic.
 */
export const MAX_XML_DEPTH = 256;

function elementOf(tag: SaxesTagNS): XmlElement {
  const attributes: Record<string, string> = {};
  for (const attr of Object.values(tag.attributes)) {
    if (attr.uri === '' && attr.prefix === '') attributes[attr.local] = attr.value;
  }
  return { name: tag.local, uri: tag.uri, attributes };
}

/**
 * A namespace-aware SAX parser that refuses entity declarations. XML reports are parsed with no
 * external entities and no entity expansion: a DOCTYPE that declares entities (internal or
 * parameter: the billion-laughs and XXE payloads) is rejected as soon as it is read, and a reference
 * to any entity other than the five predefined ones is an "undefined entity" error. Nothing is ever
 * fetched. Errors are thrown from `write`/`close`.
 */
export function safeSaxParser(file: string, format: string): SaxesParser<{ xmlns: true }> {
  const parser = new SaxesParser({ xmlns: true, position: true });
  parser.on('doctype', (doctype: string) => {
    if (/<!ENTITY/.test(doctype)) {
      throw new ReportError(
        file,
        `${format}: the DOCTYPE declares entities, which are refused (no entity expansion, no external entities); remove the DOCTYPE`,
      );
    }
  });
  return parser;
}

/** Converts anything thrown while parsing into a `ReportError` naming the file. */
export function asReportError(file: string, format: string, err: unknown): ReportError {
  if (err instanceof ReportError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new ReportError(file, `${format}: malformed XML (${message.trim()}); the file is truncated or not well-formed`);
}

/**
 * Streams `file` through a safe SAX parser and the visitor, in chunks, so memory stays bounded
 * by what the visitor keeps. Rejects with `ReportError` on unreadable, malformed or truncated XML.
 */
export async function streamXml(file: string, format: string, visitor: XmlVisitor): Promise<void> {
  const parser = safeSaxParser(file, format);
  const stack: XmlElement[] = [];
  // Open text captures: the stack depth of the capturing element and the text so far.
  const captures: Array<{ depth: number; text: string }> = [];
  const addText = (text: string): void => {
    for (const c of captures) c.text += text;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('opentag', (tag) => {
    if (stack.length >= MAX_XML_DEPTH) {
      throw new ReportError(file, `${format}: elements nest deeper than ${MAX_XML_DEPTH} levels: not a scanner report`);
    }
    const el = elementOf(tag);
    if (visitor.open(el, stack)) captures.push({ depth: stack.length, text: '' });
    stack.push(el);
  });
  parser.on('closetag', () => {
    const el = stack.pop()!;
    const top = captures[captures.length - 1];
    let text: string | undefined;
    if (top && top.depth === stack.length) text = captures.pop()!.text;
    visitor.close(el, stack, text);
  });
  try {
    const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: CHUNK });
    for await (const chunk of stream) parser.write(chunk as string);
    parser.close();
  } catch (err) {
    if (isNodeError(err) && err.syscall !== undefined) {
      throw new ReportError(file, `${format}: cannot read the file (${err.code ?? err.message})`);
    }
    throw asReportError(file, format, err);
  }
}

function isNodeError(err: unknown): err is NodeJS.ErrnoException {
  return err instanceof Error && 'code' in err;
}
