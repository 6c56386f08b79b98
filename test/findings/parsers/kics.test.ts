import { countBy, expectReportError, fixture, parseJsonFixture, readJson } from './iac-fixtures';
import { kicsParser } from '../../../src/findings/parsers/kics';

const FILE = fixture('kics', 'handmade', 'kics-results.json');

describe('kics parser', () => {
  test('finds one finding per query match, with the severities the report counts', () => {
    // GIVEN the report's own counters
    const raw = readJson(FILE);
    const expected: Record<string, number> = {};
    for (const [sev, n] of Object.entries(raw.severity_counters as Record<string, number>)) {
      if (n > 0) expected[sev.toLowerCase()] = n;
    }
    // WHEN
    const report = parseJsonFixture(kicsParser, FILE);
    // THEN
    expect(report.findings).toHaveLength(raw.total_counter);
    expect(countBy(report.findings, (f) => f.severity)).toEqual(expected);
  });

  test('reads query, file, line, CWE and similarity id', () => {
    // WHEN
    const report = parseJsonFixture(kicsParser, FILE);
    // THEN
    expect(report.findings[0]).toMatchObject({
      tool: 'kics',
      kind: 'misconfiguration',
      ruleId: '6726dcc0-5ff5-459d-b473-a780bef7665c',
      title: 'S3 Bucket Without Server-side-encryption',
      severity: 'high',
      toolSeverity: 'HIGH',
      location: { file: 'infra/s3.tf', line: 3, target: 'data' },
      cwes: ['CWE-311'],
      toolFingerprint: 'a1f0c2a9d7f1b1f1e0d6e9b9c59a2d4e8f7b3c2a1d0e9f8a7b6c5d4e3f2a1b0c',
    });
  });

  test('maps TRACE to info and keeps a query that has only files', () => {
    // GIVEN
    const doc = { queries: [{ query_id: 'q1', query_name: 'n', severity: 'TRACE', files: [{ file_name: 'a.tf', line: 2 }] }] };
    // WHEN
    const { findings } = kicsParser.parse(doc, { file: 'k.json' });
    // THEN
    expect(kicsParser.detect(doc)).toBe(true);
    expect(findings).toEqual([expect.objectContaining({ severity: 'info', location: { file: 'a.tf', line: 2, target: undefined } })]);
  });

  test('does not claim documents of other formats', () => {
    expect(kicsParser.detect({ queries: [] })).toBe(false);
    expect(kicsParser.detect({ queries: 'x', kics_version: '1' })).toBe(false);
    expect(kicsParser.detect({ results: [] })).toBe(false);
  });

  test('fails on a query without files', async () => {
    const doc = { kics_version: 'v2', queries: [{ query_id: 'q1', severity: 'HIGH' }] };
    await expectReportError(() => kicsParser.parse(doc, { file: 'bad.json' }), /kics report: \$\.queries\[0\] lacks the required key "files" \(an array\)/);
  });

  test('fails on a match without a file name', async () => {
    const doc = { kics_version: 'v2', queries: [{ query_id: 'q1', severity: 'HIGH', files: [{ line: 3 }] }] };
    await expectReportError(() => kicsParser.parse(doc, { file: 'bad.json' }), /\$\.queries\[0\]\.files\[0\]\.file_name must be a non-empty string/);
  });
});
