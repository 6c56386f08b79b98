import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { JsonParser, ParsedReport, ReportError } from '../../../src/findings/types';

/** Path of a file under test/fixtures. */
export function fixture(...parts: string[]): string {
  return join(__dirname, '..', '..', 'fixtures', ...parts);
}

/** The raw text of a fixture, for computing expectations independently of the parser. */
export function rawText(path: string): string {
  return readFileSync(path, 'utf8');
}

export function readJson(path: string): any {
  return JSON.parse(rawText(path));
}

/** Parses a JSON fixture with `parser` after checking that `detect` accepts it. */
export function parseJsonFixture(parser: JsonParser, path: string): ParsedReport {
  const doc = readJson(path);
  expect(parser.detect(doc)).toBe(true);
  return parser.parse(doc, { file: path });
}

/** Writes `content` to a fresh temporary file and returns its path. */
export function tempFile(name: string, content: string | Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-parsers-'));
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** Unpacks a `.gz` fixture into a temporary file. */
export function gunzipFixture(path: string): string {
  return tempFile(path.split('/').pop()!.replace(/\.gz$/, ''), gunzipSync(readFileSync(path)));
}

/** Asserts that `fn` throws (or rejects with) a ReportError whose message matches `pattern`. */
export async function expectReportError(fn: () => unknown, pattern: RegExp): Promise<ReportError> {
  let caught: unknown;
  try {
    await fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ReportError);
  expect((caught as ReportError).message).toMatch(pattern);
  return caught as ReportError;
}

/** Counts by value. */
export function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}

/** The "billion laughs" entity-expansion payload around `<root>…</root>`. */
export function billionLaughs(root: string, xmlns = ''): string {
  const entities = ['<!ENTITY lol0 "lol">'];
  for (let i = 1; i <= 9; i++) entities.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
  return `<?xml version="1.0"?>\n<!DOCTYPE ${root} [\n${entities.join('\n')}\n]>\n<${root}${xmlns ? ` xmlns="${xmlns}"` : ''}>&lol9;</${root}>\n`;
}

/** An XXE payload: an external entity reading a local file, referenced inside `body`. */
export function externalEntity(root: string, body: string, xmlns = ''): string {
  return `<?xml version="1.0"?>\n<!DOCTYPE ${root} [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>\n<${root}${xmlns ? ` xmlns="${xmlns}"` : ''}>${body}</${root}>\n`;
}

/** An external DTD (never fetched) and a reference to an entity it would declare. */
export function externalDtd(root: string, body: string, xmlns = ''): string {
  return `<?xml version="1.0"?>\n<!DOCTYPE ${root} SYSTEM "http://127.0.0.1:9/evil.dtd">\n<${root}${xmlns ? ` xmlns="${xmlns}"` : ''}>${body}</${root}>\n`;
}
