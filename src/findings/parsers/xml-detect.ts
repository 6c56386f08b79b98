import { createReadStream } from 'node:fs';
import { safeSaxParser } from './xml-stream';

/** The root element of an XML document: local name and namespace URI ('' when none). */
export interface XmlRoot {
  name: string;
  uri: string;
}

const SNIFF_CHUNK = 16 * 1024;

/**
 * Streams just enough of `file` to read its root element, then stops reading. Resolves to
 * undefined when the file is not well-formed XML up to its root (binary, JSON, text, a DOCTYPE
 * declaring entities…) or cannot be read: the caller then treats it as unrecognized, never as clean.
 */
export async function sniffXmlRoot(file: string): Promise<XmlRoot | undefined> {
  const parser = safeSaxParser(file, 'xml');
  let root: XmlRoot | undefined;
  parser.on('opentag', (tag) => {
    root ??= { name: tag.local, uri: tag.uri };
  });
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: SNIFF_CHUNK });
  try {
    for await (const chunk of stream) {
      parser.write(chunk as string);
      if (root) break; // leaving the loop destroys the stream: the rest of the file is never read
    }
  } catch {
    // Malformed before the root: unrecognized. Malformed after it: the parser chosen by the root
    // reports the exact error.
    return root;
  } finally {
    stream.destroy();
  }
  return root;
}
