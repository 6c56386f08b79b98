import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ParsedReport, RawFinding, Severity } from '../../../src/findings/types';

/** The repository's fixture folder (test/fixtures). */
export const FIXTURES = join(__dirname, '..', '..', 'fixtures');

/** Absolute path of a fixture, given relative to test/fixtures. */
export function fixturePath(rel: string): string {
  return join(FIXTURES, rel);
}

/** The text of a fixture. */
export function fixtureText(rel: string): string {
  return readFileSync(fixturePath(rel), 'utf8');
}

/** A fixture, JSON-parsed. */
export function fixtureJson(rel: string): any {
  return JSON.parse(fixtureText(rel));
}

/** Every report file under test/fixtures/<dir> (not READMEs or provenance lists), relative to test/fixtures. */
export function fixtureFiles(dir: string, suffix?: string): string[] {
  const out: string[] = [];
  const walk = (abs: string): void => {
    for (const name of readdirSync(abs).sort()) {
      const full = join(abs, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name !== 'README.md' && name !== '.sources' && (suffix === undefined || name.endsWith(suffix))) out.push(relative(FIXTURES, full));
    }
  };
  walk(fixturePath(dir));
  return out;
}

/** Count of findings per severity, with every severity present. */
export function bySeverity(findings: readonly RawFinding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0, unknown: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/** Counts of a list of severities, with every severity present. */
export function countSeverities(list: readonly Severity[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0, unknown: 0 };
  for (const s of list) counts[s]++;
  return counts;
}

/** The finding of a report at a rule and line (fails the test when it is not exactly one). */
export function findingAt(report: ParsedReport, ruleId: string, line: number): RawFinding {
  const hits = report.findings.filter((f) => f.ruleId === ruleId && f.location.line === line);
  if (hits.length !== 1) throw new Error(`expected one ${ruleId} finding at line ${line}, got ${hits.length}`);
  return hits[0];
}
