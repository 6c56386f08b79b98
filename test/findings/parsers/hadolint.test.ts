import { bySeverity, countSeverities, fixtureFiles, fixtureJson } from './code-fixtures';
import { hadolintParser } from '../../../src/findings/parsers/hadolint';
import { ReportError, Severity } from '../../../src/findings/types';

const parse = (doc: unknown) => hadolintParser.parse(doc, { file: 'hadolint.json' });
const FILES = fixtureFiles('hadolint', '.json');
/** hadolint's SARIF formatter: error → error, warning → warning, info and style → note. */
const SARIF_LEVEL: Record<string, Severity> = { error: 'high', warning: 'medium', info: 'low', style: 'low' };

describe('hadolint parser on the (hand-made) fixture', () => {
  test('there is a hadolint fixture to test', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(1);
  });

  test.each(FILES)('%s: one finding per item, severities as hadolint\'s SARIF levels', (rel) => {
    const doc = fixtureJson(rel);
    const report = parse(doc);
    expect(hadolintParser.detect(doc)).toBe(true);
    expect(report.findings).toHaveLength(doc.length);
    expect(bySeverity(report.findings)).toEqual(countSeverities(doc.map((d: any) => SARIF_LEVEL[d.level])));
    expect(report.findings.map((f) => f.ruleId)).toEqual(doc.map((d: any) => d.code));
  });

  test('DL3020 is an error at line 5 with its wiki link; SC codes link to ShellCheck', () => {
    const report = parse(fixtureJson('hadolint/hadolint-json-handmade.json'));
    expect(bySeverity(report.findings)).toMatchObject({ high: 1, medium: 2, low: 3 });
    expect(report.findings[3]).toMatchObject({
      tool: 'hadolint',
      kind: 'misconfiguration',
      ruleId: 'DL3020',
      title: 'Use COPY instead of ADD for files and folders',
      severity: 'high',
      toolSeverity: 'error',
      location: { file: 'Dockerfile', line: 5, column: 1 },
      references: ['https://github.com/hadolint/hadolint/wiki/DL3020'],
    });
    expect(report.findings[4].references).toEqual(['https://www.shellcheck.net/wiki/SC2086']);
  });
});

describe('hadolint parser semantics', () => {
  const item = (extra: Record<string, unknown> = {}) => [{ code: 'DL3007', column: 1, file: 'Dockerfile', level: 'warning', line: 1, message: 'Using latest is prone to errors', ...extra }];

  test('a level hadolint does not write is unreadable: it counts as critical', () => {
    expect(parse(item({ level: 'fatal' })).findings[0].severity).toBe('critical');
  });

  test('detects hadolint items, not shellcheck JSON (numeric codes) nor an empty array', () => {
    expect(hadolintParser.detect(item())).toBe(true);
    expect(hadolintParser.detect([{ file: 'a.sh', line: 1, endLine: 1, column: 1, endColumn: 2, level: 'info', code: 2086, message: 'x' }])).toBe(false);
    expect(hadolintParser.detect([])).toBe(false);
  });

  test.each([
    ['fails on a line that is not a number', { line: '1' }, /\[0\] "line" must be a number, got a string/],
    ['fails without a message', { message: '' }, /\[0\]\.message must not be empty/],
    ['fails without a level', { level: null }, /\[0\] "level" must be a string, got null/],
  ])('%s', (_name, patch, message) => {
    expect(() => parse(item(patch))).toThrow(ReportError);
    expect(() => parse(item(patch))).toThrow(message);
  });
});
