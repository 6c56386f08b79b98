import { countBy, expectReportError, fixture, parseJsonFixture, readJson } from './iac-fixtures';
import { tfsecParser } from '../../../src/findings/parsers/tfsec';

const NAMES = ['handmade/tfsec-1.x.json', 'handmade/tfsec-0.x.json', 'handmade/tfsec-0.x-clean.json'];

const LEGACY_WORDS: Record<string, string> = { ERROR: 'high', WARNING: 'medium', INFO: 'info' };

/** Failed results as the file states them: status 0 (1.x) or passed: false (0.x). */
function expectedFrom(path: string): Record<string, number> {
  const results: any[] = readJson(path).results ?? [];
  const failed = results.filter((r) => (r.status === undefined ? r.passed !== true : r.status !== 1));
  return countBy(failed, (r) => LEGACY_WORDS[r.severity] ?? String(r.severity).toLowerCase());
}

describe('tfsec parser', () => {
  test.each(NAMES)('finds the failed and ignored results with the file\'s severities: %s', (name) => {
    // GIVEN
    const path = fixture('tfsec', name);
    // WHEN
    const report = parseJsonFixture(tfsecParser, path);
    // THEN
    expect(report.format).toBe('tfsec-json');
    expect(countBy(report.findings, (f) => f.severity)).toEqual(expectedFrom(path));
  });

  test('leaves passed (status 1) results out; an ignored one (status 2, a tfsec:ignore comment) is a finding saying so', () => {
    // WHEN
    const report = parseJsonFixture(tfsecParser, fixture('tfsec', NAMES[0]));
    // THEN
    expect(report.findings.map((f) => f.ruleId)).toEqual(['AVD-AWS-0086', 'AVD-AWS-0107', 'AVD-AWS-0099']);
    expect(report.findings[2].description).toMatch(/suppressed in the repository \(a tfsec:ignore comment\), which the gate does not honour/);
    expect(report.findings[0].description ?? '').not.toMatch(/suppressed/);
  });

  test('reads rule, long id, location and links of a 1.x result', () => {
    // WHEN
    const [finding] = parseJsonFixture(tfsecParser, fixture('tfsec', NAMES[0])).findings;
    // THEN
    expect(finding).toMatchObject({
      tool: 'tfsec',
      kind: 'misconfiguration',
      ruleId: 'AVD-AWS-0086',
      title: 'S3 Access block should block public ACL',
      severity: 'high',
      aliases: ['aws-s3-block-public-acls'],
      location: { file: '/src/infra/s3.tf', line: 1, endLine: 9, target: 'aws_s3_bucket.data' },
    });
    expect(finding.references).toHaveLength(2);
  });

  test('reads the link sentence of a 0.x result as a URL', () => {
    // WHEN
    const [finding] = parseJsonFixture(tfsecParser, fixture('tfsec', NAMES[1])).findings;
    // THEN
    expect(finding).toMatchObject({ ruleId: 'AWS002', severity: 'high', toolSeverity: 'ERROR', references: ['https://tfsec.dev/docs/aws/AWS002/'] });
  });

  test('leaves the clean 1.x report, identical to an empty osv-scanner report, to that parser', () => {
    expect(tfsecParser.detect(readJson(fixture('tfsec', 'handmade', 'tfsec-1.x-clean.json')))).toBe(false);
    expect(tfsecParser.parse({ results: [] }, { file: 'clean.json' }).findings).toEqual([]);
  });

  test('does not claim documents of other formats', () => {
    expect(tfsecParser.detect({ results: [], errors: [], paths: {}, version: '1.0' })).toBe(false); // semgrep, clean
    expect(tfsecParser.detect({ results: [{ source: { path: 'go.mod' }, packages: [] }] })).toBe(false); // osv-scanner
    expect(tfsecParser.detect({ results: [{ check_id: 'x', path: 'a', start: {} }] })).toBe(false); // semgrep
  });

  test('fails on a result without a location', async () => {
    const doc = { results: [{ rule_id: 'AVD-AWS-0086' }] };
    await expectReportError(() => tfsecParser.parse(doc, { file: 'bad.json' }), /tfsec report: \$\.results\[0\]\.location must be an object, got nothing/);
  });

  test('fails on an unknown status', async () => {
    const doc = { results: [{ rule_id: 'AVD-AWS-0086', status: 7, location: { filename: 'a.tf' } }] };
    await expectReportError(() => tfsecParser.parse(doc, { file: 'bad.json' }), /status is 7; expected 0 \(failed\), 1 \(passed\) or 2 \(ignored\)/);
  });

  test('fails on results that are not a list', async () => {
    await expectReportError(() => tfsecParser.parse({ results: { a: 1 } }, { file: 'bad.json' }), /\$ "results" must be an array or null, got an object/);
  });
});
