import { isAscii, isUtf8 } from 'node:buffer';
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { parseJsonDocument } from './parsers/jsonl';
import { ReportError } from './types';

/** What a report file holds, decided from its first non-whitespace bytes, never from its name. */
export type ContentKind = 'json' | 'xml';

/** The head of a report file: its kind and text encoding. */
export interface ReportHead {
  readonly kind: ContentKind;
  readonly encoding: 'utf-8' | 'utf-16le' | 'utf-16be';
  /** Bytes of byte-order mark to skip. */
  readonly bomLength: number;
  readonly size: number;
}

const HEAD_BYTES = 64 * 1024;

/** Checks that `file` is a readable, non-empty regular file and returns its size. */
export function statReport(file: string, what = 'report'): number {
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw new ReportError(file, `is a directory, not a ${what} file`);
    if (!st.isFile()) throw new ReportError(file, `is not a regular file: give the ${what} file itself`);
    size = st.size;
  } catch (e) {
    if (e instanceof ReportError) throw e;
    throw new ReportError(file, ioProblem(e, what));
  }
  if (size === 0) throw new ReportError(file, `is empty (0 bytes): the ${what} was not written; check the step that produces it`);
  return size;
}

/** Reads the start of a report and decides JSON or XML from its content. */
export function readHead(file: string): ReportHead {
  const size = statReport(file);
  const head = Buffer.alloc(Math.min(size, HEAD_BYTES));
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    readSync(fd, head, 0, head.length, 0);
  } catch (e) {
    throw new ReportError(file, ioProblem(e, 'report'));
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  let encoding: ReportHead['encoding'] = 'utf-8';
  let bomLength = 0;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    bomLength = 3;
  } else if (head[0] === 0xff && head[1] === 0xfe) {
    encoding = 'utf-16le';
    bomLength = 2;
  } else if (head[0] === 0xfe && head[1] === 0xff) {
    encoding = 'utf-16be';
    bomLength = 2;
  } else if (head.indexOf(0) !== -1) {
    throw new ReportError(file, 'is binary (it contains NUL bytes), not a JSON or XML report');
  }
  const start = decodeHead(head.subarray(bomLength), encoding);
  const first = start.trimStart().charAt(0);
  // JSON: an object or array, or a bare value (gitleaks writes `null` when it finds nothing)
  if (first === '{' || first === '[' || /^[-0-9"ntf]$/.test(first)) return { kind: 'json', encoding, bomLength, size };
  if (first === '<') return { kind: 'xml', encoding, bomLength, size };
  if (first === '') {
    throw new ReportError(file, size <= HEAD_BYTES ? 'is empty (whitespace only)' : 'starts with 64 KiB of whitespace: not a report');
  }
  throw new ReportError(file, `is not a JSON or XML report (it starts with ${JSON.stringify(start.trimStart().slice(0, 20))}); unrecognized format`);
}

function decodeHead(bytes: Buffer, encoding: ReportHead['encoding']): string {
  if (encoding === 'utf-8') return bytes.toString('utf8');
  if (encoding === 'utf-16le') return bytes.toString('utf16le');
  return swap16(bytes).toString('utf16le');
}

function swap16(b: Buffer): Buffer {
  const copy = Buffer.from(b.subarray(0, b.length - (b.length % 2)));
  return copy.swap16();
}

/**
 * Reads a whole JSON report as text: binary (NUL bytes) and invalid UTF-8 / UTF-16 are errors,
 * never silently replaced characters.
 */
export function readJsonText(file: string, head: ReportHead): string {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (e) {
    throw new ReportError(file, ioProblem(e, 'report'));
  }
  if (buf.length === 0) throw new ReportError(file, 'is empty (0 bytes)');
  if (head.encoding === 'utf-8') {
    const body = head.bomLength ? buf.subarray(head.bomLength) : buf;
    // ASCII (most reports) is valid UTF-8. A NUL byte cannot be in a JSON text: it fails the parse,
    // and `parseJsonText` names it then (two passes less over the bytes). Decoded as UTF-8 all the
    // same: a large latin1 or ascii decoding is an external string, which JSON.parse reads slower.
    if (isAscii(body)) return body.toString('utf8');
    if (buf.indexOf(0) !== -1) throw new ReportError(file, BINARY_JSON);
    if (!isUtf8(body)) throw new ReportError(file, 'is not valid UTF-8 text (binary or corrupt bytes)');
    return body.toString('utf8');
  }
  let body = buf.subarray(head.bomLength);
  if (body.length % 2 !== 0) throw new ReportError(file, `is truncated ${head.encoding} text (odd number of bytes)`);
  if (head.encoding === 'utf-16be') body = Buffer.from(body).swap16();
  let text: string;
  try {
    text = new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    throw new ReportError(file, `is not valid ${head.encoding} text (corrupt bytes)`);
  }
  if (text.includes('\u0000')) throw new ReportError(file, 'is binary (it contains NUL characters), not a JSON report');
  return text;
}

const BINARY_JSON = 'is binary (it contains NUL bytes), not a JSON report';

/**
 * Parses a JSON report. A document that does not parse as one JSON value but whose lines each parse
 * as JSON is JSON Lines (trufflehog): it becomes the array of its records.
 */
export function parseJsonText(file: string, text: string): unknown {
  try {
    return parseJsonDocument(text, file);
  } catch (e) {
    // no JSON text holds a raw NUL: a binary file, whose bytes `readJsonText` did not scan for one
    if (text.includes('\u0000')) throw new ReportError(file, BINARY_JSON);
    throw e;
  }
}

function shortMessage(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.length > 200 ? `${m.slice(0, 200)}…` : m;
}

/** A lowercase description of a file-system error. */
export function ioProblem(e: unknown, what: string): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
      return `does not exist: check the path of the ${what}`;
    case 'EACCES':
    case 'EPERM':
      return 'cannot be read (permission denied)';
    case 'EISDIR':
      return `is a directory, not a ${what} file`;
    default:
      return `cannot be read (${code ?? shortMessage(e)})`;
  }
}

/**
 * Checks a whole XML report without holding it in memory: no NUL bytes, valid UTF-8. The XML parser
 * then streams the same file.
 */
export function checkXmlBytes(file: string, head: ReportHead): void {
  if (head.encoding !== 'utf-8') {
    throw new ReportError(file, `is ${head.encoding} XML: re-encode it as UTF-8`);
  }
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const chunk = Buffer.alloc(1024 * 1024);
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    let pos = 0;
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, pos);
      if (n === 0) break;
      const bytes = chunk.subarray(0, n);
      if (bytes.indexOf(0) !== -1) throw new ReportError(file, 'is binary (it contains NUL bytes), not an XML report');
      try {
        decoder.decode(bytes, { stream: true });
      } catch {
        throw new ReportError(file, 'is not valid UTF-8 text (binary or corrupt bytes)');
      }
      pos += n;
    }
    try {
      decoder.decode();
    } catch {
      throw new ReportError(file, 'is truncated (it ends inside a UTF-8 character)');
    }
  } catch (e) {
    if (e instanceof ReportError) throw e;
    throw new ReportError(file, ioProblem(e, 'report'));
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * An upper bound of the number of object keys in a JSON text, in one fast pass from colon to colon:
 * the colons whose previous non-blank character is an unescaped quote. Every key's colon is one;
 * the only others are colons that open a string value (`":x"`), which can only add to the count.
 * So when it equals the keys of the parsed tree, no key was repeated.
 */
export function countKeyColons(text: string): number {
  let count = 0;
  let i = 0;
  for (;;) {
    const colon = text.indexOf(':', i);
    if (colon === -1) return count;
    i = colon + 1;
    let j = colon - 1;
    let c = text.charCodeAt(j);
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = text.charCodeAt(--j);
    if (c !== 0x22) continue;
    if (text.charCodeAt(j - 1) !== 0x5c) {
      count++;
      continue;
    }
    let b = j - 2;
    while (text.charCodeAt(b) === 0x5c) b--;
    if ((j - 1 - b) % 2 === 0) count++; // an even run of backslashes escapes nothing
  }
}

/**
 * Number of object keys in a JSON text (one document or JSON Lines): the strings followed by a
 * colon. One linear pass that jumps from quote to quote; it needs no allocation.
 */
export function countJsonKeys(text: string): number {
  let count = 0;
  let i = 0;
  for (;;) {
    const open = text.indexOf('"', i);
    if (open === -1) return count;
    let close = open;
    for (;;) {
      close = text.indexOf('"', close + 1);
      if (close === -1) return count; // unterminated: the text did not parse anyway
      if (text.charCodeAt(close - 1) !== 0x5c) break;
      let b = close - 2;
      while (text.charCodeAt(b) === 0x5c) b--;
      if ((close - 1 - b) % 2 === 0) break; // an even run of backslashes escapes nothing
    }
    let j = close + 1;
    let c = text.charCodeAt(j);
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = text.charCodeAt(++j);
    if (c === 0x3a) count++;
    i = j;
  }
}

/** Number of own keys of every object in a parsed JSON value. */
export function countParsedKeys(root: unknown): number {
  let count = 0;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (x !== null && typeof x === 'object') stack.push(x);
      }
    } else if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      for (const k in o) {
        count++;
        const x = o[k];
        if (x !== null && typeof x === 'object') stack.push(x);
      }
    }
  }
  return count;
}

/** Where a key first repeats in a JSON text: the key, the JSON path of its object and the line. */
export interface DuplicateKey {
  readonly key: string;
  readonly path: string;
  readonly line: number;
}

interface Open {
  readonly path: string;
  readonly keys?: Set<string>;
  key?: string;
  index: number;
}

/**
 * Finds the first key that repeats within one object of a JSON text (one document or JSON Lines),
 * or undefined. Slower than `countJsonKeys` (it keeps every object's key set): run only when the
 * counts say there is a duplicate, to name it.
 */
export function findDuplicateKey(text: string): DuplicateKey | undefined {
  const stack: Open[] = [];
  let line = 1;
  const childPath = (): string => {
    const top = stack[stack.length - 1];
    if (!top) return '';
    if (top.keys) return top.path ? `${top.path}.${top.key}` : (top.key ?? '');
    return `${top.path}[${top.index}]`;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      line++;
    } else if (c === 0x22) {
      let close = i;
      for (;;) {
        close = text.indexOf('"', close + 1);
        if (close === -1) return undefined;
        let b = close - 1;
        while (text.charCodeAt(b) === 0x5c) b--;
        if ((close - 1 - b) % 2 === 0) break;
      }
      let j = close + 1;
      while (/[ \t\r\n]/.test(text.charAt(j))) {
        if (text.charCodeAt(j) === 0x0a) line++;
        j++;
      }
      const top = stack[stack.length - 1];
      if (text.charCodeAt(j) === 0x3a && top?.keys) {
        const key = JSON.parse(text.slice(i, close + 1)) as string;
        if (top.keys.has(key)) return { key, path: top.path, line };
        top.keys.add(key);
        top.key = key;
      }
      i = j - 1;
    } else if (c === 0x7b) {
      stack.push({ path: childPath(), keys: new Set(), index: 0 });
    } else if (c === 0x5b) {
      stack.push({ path: childPath(), index: 0 });
    } else if (c === 0x2c) {
      const top = stack[stack.length - 1];
      if (top && !top.keys) top.index++;
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop();
    }
  }
  return undefined;
}

/**
 * Refuses a JSON report with a key repeated within one object. JSON.parse keeps the last value,
 * so `{"Severity": "CRITICAL", "Severity": "LOW"}` or a second, empty `Vulnerabilities` would
 * silently replace what the scanner wrote. `colons` is `countKeyColons` of the text, taken before
 * parsing, so that the text can be dropped before the tree is walked (measured: walking both at once
 * costs the gate 30–100 MB and a tenth of a second on a 100 MB report). When the counts agree, `doc`
 * is returned. Otherwise (a duplicate, or a string value that starts with a colon) the file is read
 * and parsed again (`reread`), counted exactly and, if a key repeats, scanned to name it; the
 * document returned is then the one re-read, checked against its own text, so a file changed
 * between the two reads cannot slip through.
 */
export function checkDuplicateKeys(file: string, doc: unknown, colons: number, reread: () => string): unknown {
  if (colons === countParsedKeys(doc)) return doc;
  const text = reread();
  const again = parseJsonDocument(text, file);
  if (countJsonKeys(text) === countParsedKeys(again)) return again;
  const dup = findDuplicateKey(text);
  const where = dup ? (dup.path ? `in ${dup.path}` : 'at the top level') : '';
  throw new ReportError(
    file,
    dup
      ? `has the key ${JSON.stringify(dup.key)} twice ${where} (line ${dup.line}): a repeated key would silently replace what the scanner wrote; give the report exactly as the scanner wrote it`
      : 'has a key repeated within one object: a repeated key would silently replace what the scanner wrote; give the report exactly as the scanner wrote it',
  );
}
