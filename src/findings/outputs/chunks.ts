import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** An output produced piece by piece: large outputs are never one giant string in memory. */
export type Chunks = Iterable<string>;

/** Pieces are gathered up to this many characters before each write. */
const BATCH = 1024 * 1024;

/** The whole output as one string (tests, small outputs). */
export function joinChunks(chunks: Chunks): string {
  let out = '';
  for (const c of chunks) out += c;
  return out;
}

/** Sends the output to `sink` in batches of about 1 MiB. */
export function drainChunks(chunks: Chunks, sink: (text: string) => void): void {
  let batch = '';
  for (const c of chunks) {
    batch += c;
    if (batch.length >= BATCH) {
      sink(batch);
      batch = '';
    }
  }
  if (batch) sink(batch);
}

/** Writes the output to `file` (its folder created), batch by batch. */
export function writeChunks(file: string, chunks: Chunks): void {
  mkdirSync(dirname(file), { recursive: true });
  const fd = openSync(file, 'w');
  try {
    drainChunks(chunks, (text) => {
      writeSync(fd, text);
    });
  } finally {
    closeSync(fd);
  }
}

/** A JSON array, one item per line (readable diffs, no giant single line). */
export function* jsonArray<T>(items: readonly T[], toJson: (item: T, index: number) => unknown): Generator<string> {
  if (items.length === 0) {
    yield '[]';
    return;
  }
  yield '[\n';
  for (let i = 0; i < items.length; i++) yield `${i ? ',\n' : ''}${JSON.stringify(toJson(items[i], i))}`;
  yield '\n]';
}
