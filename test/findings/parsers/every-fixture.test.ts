import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { loadReport } from '../../../src/findings/load';
import { ReportError } from '../../../src/findings/types';
import { FIXTURES, tempDir } from '../support';

/**
 * Every real report under test/fixtures goes through the strict reading: each parses, or is a
 * known-bad fixture listed here with the reason (and must keep failing with that reason).
 */
const KNOWN_BAD: Record<string, RegExp> = {
  // npm's error object when the registry refused the audit endpoint: an audit that did not run
  'npm-audit/hand-made/npm-audit-error-405.json': /the audit did not run \(405 Method Not Allowed/,
  // DefectDojo's test of a report without `findings`: it cannot be told apart from one whose findings were removed
  'dependency-track/defectdojo/dependency_track_no_findings_because_findings_key_is_missing.json': /lacks the required key "findings"/,
  // yarn writes an `error` line when the audit could not run: not a clean audit
  'yarn-audit/defectdojo/yarn_audit_empty_with_error.json': /the audit did not run/,
};

/** Files that are not scanner reports: inputs of other options (VEX, baselines, exemptions) and sources. */
const NOT_REPORTS = [/README\.md$/i, /\.sources$/, /^exemptions\//, /^eventbridge\//, /^openvex\//, /^baseline\//, /\.txt$/, /cpe-(dict|oval)-/];

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const t = tempDir();
afterAll(() => t.cleanup());

const reports = filesUnder(FIXTURES)
  .map((path) => relative(FIXTURES, path))
  .filter((rel) => !NOT_REPORTS.some((re) => re.test(rel)))
  .sort();

/** The file as the gate would read it (gzipped fixtures are unpacked first). */
function reportFile(rel: string): string {
  if (!rel.endsWith('.gz')) return join(FIXTURES, rel);
  return t.file(rel.replace(/\W+/g, '-').replace(/-gz$/, ''), gunzipSync(readFileSync(join(FIXTURES, rel))));
}

describe('every real fixture is read by the strict parsers', () => {
  test('there are fixtures of every folder, and every known-bad one exists', () => {
    expect(reports.length).toBeGreaterThan(100);
    for (const rel of Object.keys(KNOWN_BAD)) expect(reports).toContain(rel);
  });

  test.each(reports.filter((rel) => !KNOWN_BAD[rel]))('%s parses', async (rel) => {
    const report = await loadReport(reportFile(rel));
    expect(Array.isArray(report.findings)).toBe(true);
  });

  test.each(Object.entries(KNOWN_BAD))('%s is bad input (%s)', async (rel, reason) => {
    const err = await loadReport(reportFile(rel)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReportError);
    expect((err as Error).message).toMatch(reason);
  });
});
