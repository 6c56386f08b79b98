import { bySeverity, countSeverities, fixtureFiles, fixtureJson } from './code-fixtures';
import { semgrepParser } from '../../../src/findings/parsers/semgrep';
import { ReportError, Severity } from '../../../src/findings/types';

const parse = (doc: unknown) => semgrepParser.parse(doc, { file: 'semgrep.json' });
const FILES = fixtureFiles('semgrep', '.json');

/** semgrep documents ERROR / WARNING / INFO as High / Medium / Low. */
const DOCUMENTED: Record<string, Severity> = { ERROR: 'high', WARNING: 'medium', INFO: 'low', CRITICAL: 'critical', HIGH: 'high', MEDIUM: 'medium', LOW: 'low' };

describe('semgrep parser on the real fixtures', () => {
  test('there are semgrep JSON fixtures to test', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(2);
  });

  test.each(FILES)('%s: one finding per result, severities from extra.severity', (rel) => {
    const doc = fixtureJson(rel);
    const report = parse(doc);
    expect(semgrepParser.detect(doc)).toBe(true);
    expect(report.findings).toHaveLength(doc.results.length);
    expect(bySeverity(report.findings)).toEqual(countSeverities(doc.results.map((r: any) => DOCUMENTED[r.extra.severity])));
  });

  test('many_vulns: 13 ERROR and 35 WARNING results; location, CWE and title of the first', () => {
    const report = parse(fixtureJson('semgrep/defectdojo/semgrep_many_vulns.json'));
    expect(bySeverity(report.findings)).toMatchObject({ high: 13, medium: 35 });
    expect(report.findings[0]).toMatchObject({
      tool: 'semgrep',
      ruleId: 'python.lang.correctness.tempfile.flush.tempfile-without-flush',
      severity: 'high',
      toolSeverity: 'ERROR',
      location: { file: 'tasks.py', line: 186, column: 39 },
    });
    const withCwe = report.findings.filter((f) => f.cwes);
    expect(withCwe.length).toBe(44);
    expect(withCwe.map((f) => f.cwes![0])).toContain('CWE-611');
  });
});

describe('semgrep parser semantics', () => {
  const doc = (extra: Record<string, unknown>, top: Record<string, unknown> = {}) => ({
    results: [{ check_id: 'rules.sqli', path: 'app.py', start: { line: 3, col: 5 }, end: { line: 4, col: 1 }, extra: { message: 'SQL injection', severity: 'WARNING', metadata: {}, lines: 'requires login', ...extra } }],
    errors: [],
    ...top,
  });

  test('the "requires login" placeholder is not a fingerprint; a real one is kept', () => {
    expect(parse(doc({ fingerprint: 'requires login' })).findings[0].toolFingerprint).toBeUndefined();
    expect(parse(doc({ fingerprint: '0f1e2d3c' })).findings[0].toolFingerprint).toBe('0f1e2d3c');
  });

  test('INFO is low and the newer CRITICAL is critical; CWE lists and references are read', () => {
    const info = parse(doc({ severity: 'INFO', metadata: { 'cwe': ['CWE-89: SQL Injection'], 'references': ['https://owasp.org/a'], 'source-rule-url': 'https://semgrep.dev/r/x' } })).findings[0];
    expect(info).toMatchObject({ severity: 'low', cwes: ['CWE-89'], references: ['https://owasp.org/a', 'https://semgrep.dev/r/x'], location: { endLine: 4 } });
    expect(parse(doc({ severity: 'CRITICAL' })).findings[0].severity).toBe('critical');
  });

  test('a warning-level error (an unparsable file) does not stop the report', () => {
    const report = parse(doc({}, { errors: [{ code: 3, level: 'warn', type: 'Syntax error', message: 'could not parse x.py' }] }));
    expect(report.findings).toHaveLength(1);
  });

  test('fails on a fatal semgrep error: the scan did not complete', () => {
    const fatal = doc({}, { results: [], errors: [{ code: 7, level: 'error', type: 'InvalidRuleSchemaError', message: 'bad rule' }] });
    expect(() => parse(fatal)).toThrow(ReportError);
    expect(() => parse(fatal)).toThrow(/errors\[0\] is a fatal semgrep error \(InvalidRuleSchemaError: bad rule\)/);
  });

  test.each([
    ['fails without check_id', { check_id: undefined }, /results\[0\]\.check_id must be a string/],
    ['fails without a start line', { start: { col: 1 } }, /results\[0\]\.start\.line must be a whole number/],
    ['fails without extra', { extra: 'x' }, /results\[0\]\.extra must be an object/],
  ])('%s', (_name, patch, message) => {
    const bad = doc({});
    Object.assign(bad.results[0], patch);
    expect(() => parse(bad)).toThrow(message);
  });

  test('fails without a severity', () => {
    expect(() => parse(doc({ severity: undefined }))).toThrow(/results\[0\]\.extra\.severity must be a string/);
  });

  test('detects semgrep results and its empty report, not bandit reports', () => {
    expect(semgrepParser.detect({ results: [], errors: [] })).toBe(true);
    expect(semgrepParser.detect({ results: [], errors: [], metrics: { _totals: {} } })).toBe(false);
    expect(semgrepParser.detect({ results: [{ id: 1 }], errors: [] })).toBe(false);
  });
});
