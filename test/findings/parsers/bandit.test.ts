import { bySeverity, findingAt, fixtureFiles, fixtureJson } from './code-fixtures';
import { banditParser } from '../../../src/findings/parsers/bandit';
import { ReportError } from '../../../src/findings/types';

const parse = (doc: unknown) => banditParser.parse(doc, { file: 'bandit.json' });
const FILES = fixtureFiles('bandit', '.json');

describe('bandit parser on the real fixtures', () => {
  test('there are bandit fixtures to test', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(3);
  });

  test.each(FILES)('%s: one finding per result, severities as bandit\'s own totals say', (rel) => {
    // GIVEN the report and bandit's metrics._totals, which count results by severity
    const doc = fixtureJson(rel);
    const totals = doc.metrics._totals;
    // WHEN
    const report = parse(doc);
    // THEN
    expect(banditParser.detect(doc)).toBe(true);
    expect(report.findings).toHaveLength(doc.results.length);
    expect(bySeverity(report.findings)).toEqual({
      critical: 0,
      high: totals['SEVERITY.HIGH'],
      medium: totals['SEVERITY.MEDIUM'],
      low: totals['SEVERITY.LOW'],
      info: 0,
      unknown: totals['SEVERITY.UNDEFINED'],
    });
    expect(report.findings.every((f) => f.tool === 'bandit' && f.kind === 'code')).toBe(true);
  });

  test('bandit 1.6.2 run: the shell=True call is the one high finding', () => {
    const report = parse(fixtureJson('bandit/bandit-1.6.2.json'));
    expect(report.findings.map((f) => f.ruleId).sort()).toEqual(['B101', 'B102', 'B107', 'B301', 'B303', 'B403', 'B404', 'B506', 'B602']);
    expect(findingAt(report, 'B602', 16)).toMatchObject({
      severity: 'high',
      toolSeverity: 'HIGH',
      title: 'subprocess call with shell=True identified, security issue.',
      location: { file: 'app/views.py', line: 16 },
    });
    // a multi-line range keeps its end line
    expect(findingAt(report, 'B404', 4).location.endLine).toBe(5);
  });
});

describe('bandit parser semantics', () => {
  const result = (extra: Record<string, unknown>) => ({
    errors: [],
    generated_at: '2026-01-01T00:00:00Z',
    metrics: { _totals: {} },
    results: [{
      code: 'x',
      filename: 'app.py',
      issue_confidence: 'HIGH',
      issue_severity: 'MEDIUM',
      issue_text: 'Possible SQL injection.',
      line_number: 7,
      line_range: [7],
      more_info: 'https://bandit.readthedocs.io/b608',
      test_id: 'B608',
      test_name: 'hardcoded_sql_expressions',
      ...extra,
    }],
  });

  test('newer bandit: issue_cwe gives the CWE and col_offset (0-based) the column', () => {
    const [f] = parse(result({ issue_cwe: { id: 89, link: 'https://cwe.mitre.org/data/definitions/89.html' }, col_offset: 0 })).findings;
    expect(f.cwes).toEqual(['CWE-89']);
    expect(f.location.column).toBe(1);
    expect(f.references).toEqual(['https://bandit.readthedocs.io/b608']);
  });

  test('UNDEFINED severity is unknown', () => {
    expect(parse(result({ issue_severity: 'UNDEFINED' })).findings[0].severity).toBe('unknown');
  });

  test('is not detected without bandit metrics', () => {
    expect(banditParser.detect({ results: [], errors: [] })).toBe(false);
    expect(banditParser.detect([])).toBe(false);
  });

  test.each([
    ['fails on a line number that is not a number', { line_number: '7' }, /results\[0\]\.line_number must be a whole number/],
    ['fails without a test id', { test_id: undefined }, /results\[0\]\.test_id must be a string/],
    ['fails without a severity', { issue_severity: '' }, /results\[0\]\.issue_severity must not be empty/],
    ['fails without a file name', { filename: 42 }, /results\[0\]\.filename must be a string, got a number/],
  ])('%s', (_name, extra, message) => {
    expect(() => parse(result(extra))).toThrow(ReportError);
    expect(() => parse(result(extra))).toThrow(message);
  });

  test('fails when a result is not an object', () => {
    expect(() => parse({ ...result({}), results: ['B101'] })).toThrow(/bandit json report: results\[0\] must be an object/);
  });
});
