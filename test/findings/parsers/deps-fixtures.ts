import { readFileSync } from 'fs';
import { join } from 'path';
import { JsonParser, ParsedReport, RawFinding, Severity } from '../../../src/findings/types';

/** Root of the fixtures copied into this repository (with their provenance READMEs). */
export const FIXTURES = join(__dirname, '..', '..', 'fixtures');

/** Reads and parses a fixture file; `rel` is relative to `test/fixtures`. */
export function loadFixture(rel: string): any {
  return JSON.parse(readFileSync(join(FIXTURES, rel), 'utf8'));
}

/** Asserts the parser claims the fixture, then parses it. */
export function parseFixture(parser: JsonParser, rel: string): ParsedReport {
  const doc = loadFixture(rel);
  expect(parser.detect(doc)).toBe(true);
  return parser.parse(doc, { file: rel });
}

/** Number of findings per severity, only severities that occur. */
export function bySeverity(findings: RawFinding[]): Partial<Record<Severity, number>> {
  const out: Partial<Record<Severity, number>> = {};
  for (const f of findings) out[f.severity] = (out[f.severity] ?? 0) + 1;
  return out;
}

/** Counts severity words as a test computes them from the raw file (lowercased, npm/grype words mapped). */
export function tally(words: Iterable<string>): Partial<Record<Severity, number>> {
  const map: Record<string, Severity> = { moderate: 'medium', negligible: 'low' };
  const out: Partial<Record<Severity, number>> = {};
  for (const w of words) {
    const s = (map[w.toLowerCase()] ?? w.toLowerCase()) as Severity;
    out[s] = (out[s] ?? 0) + 1;
  }
  return out;
}

/** A deep copy of a fixture document, to mutate for the "fails …" tests. */
export function copy<T>(doc: T): T {
  return JSON.parse(JSON.stringify(doc));
}
