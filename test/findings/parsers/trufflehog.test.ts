import { fixtureFiles, fixtureText } from './code-fixtures';
import { parseJsonLines } from '../../../src/findings/parsers/jsonl';
import { trufflehogParser } from '../../../src/findings/parsers/trufflehog';
import { ReportError } from '../../../src/findings/types';

const parse = (doc: unknown) => trufflehogParser.parse(doc, { file: 'trufflehog.jsonl' });
const FILES = fixtureFiles('trufflehog', '.jsonl');

describe('trufflehog parser on the (hand-made) JSON Lines fixture', () => {
  test('there is a trufflehog fixture to test', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(1);
  });

  test.each(FILES)('%s: one finding per line; verified secrets critical, the others unknown', (rel) => {
    // GIVEN the lines, read independently
    const text = fixtureText(rel);
    const lines = text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
    // WHEN
    const doc = parseJsonLines(text, rel);
    const report = parse(doc);
    // THEN
    expect(trufflehogParser.detect(doc)).toBe(true);
    expect(report.findings).toHaveLength(lines.length);
    expect(report.findings.map((f) => f.severity)).toEqual(lines.map((l) => (l.Verified ? 'critical' : 'unknown')));
    expect(report.findings.map((f) => f.ruleId)).toEqual(lines.map((l) => l.DetectorName));
    // Raw, RawV2 and Redacted carry the secret: never in the output
    const out = JSON.stringify(report.findings);
    for (const l of lines) for (const field of ['Raw', 'RawV2', 'Redacted']) if (l[field]) expect(out).not.toContain(l[field]);
  });

  test('locations from the Git, Filesystem and Github source metadata', () => {
    const report = parse(parseJsonLines(fixtureText('trufflehog/trufflehog-3-handmade.jsonl')));
    expect(report.findings[0]).toMatchObject({
      tool: 'trufflehog',
      kind: 'secret',
      ruleId: 'AWS',
      title: 'AWS secret (verified live)',
      severity: 'critical',
      location: { file: 'config/settings.py', line: 12, target: 'https://git.example.invalid/acme/app.git' },
    });
    expect(report.findings[0].description).toContain('commit 3f2a1c9e8d7b6a5f4e3d2c1b0a9f8e7d6c5b4a39');
    expect(report.findings[1].location).toEqual({ file: 'deploy/db.env', line: 3 });
    expect(report.findings[2].location).toMatchObject({ file: 'scripts/deploy.sh', line: 8, url: expect.stringContaining('github.com/acme/app/blob/') });
    expect(report.findings[2].description).toContain('decoded from BASE64');
  });
});

describe('trufflehog parser semantics', () => {
  const result = { SourceMetadata: { Data: { Filesystem: { file: 'a.env', line: 1 } } }, DetectorName: 'Stripe', Verified: false, Raw: 'sk_test_fake' };

  test('a one-line report (parsed as one JSON object) is read too', () => {
    expect(trufflehogParser.detect(result)).toBe(true);
    expect(parse(result).findings.map((f) => f.ruleId)).toEqual(['Stripe']);
  });

  test('is not detected on log records or other arrays', () => {
    expect(trufflehogParser.detect([{ level: 'info-0', ts: '2026-01-01', logger: 'trufflehog', msg: 'finished scanning' }])).toBe(false);
    expect(trufflehogParser.detect([])).toBe(false);
  });

  test('fails on a log record mixed into the results (stderr redirected into the report)', () => {
    const mixed = [result, { level: 'info-0', logger: 'trufflehog', msg: 'finished scanning' }];
    expect(() => parse(mixed)).toThrow(ReportError);
    expect(() => parse(mixed)).toThrow(/line 2 lacks the required key "SourceMetadata".*"DetectorName".*standard error/);
  });

  test('fails when Verified is not a boolean', () => {
    expect(() => parse({ ...result, Verified: 'yes' })).toThrow(/line 1 "Verified" must be a boolean/);
  });

  test('fails without source metadata data', () => {
    expect(() => parse({ ...result, SourceMetadata: {} })).toThrow(/line 1\.SourceMetadata\.Data must be an object/);
  });
});
