import { bySeverity, countSeverities, fixtureFiles, fixtureJson } from './code-fixtures';
import { sarifParser } from '../../../src/findings/parsers/sarif';
import { secretlintParser } from '../../../src/findings/parsers/secretlint';
import { ReportError, Severity } from '../../../src/findings/types';

const parse = (doc: unknown) => secretlintParser.parse(doc, { file: 'secretlint.json' });
const FILES = fixtureFiles('secretlint', '.json');
const WORD: Record<string, Severity> = { error: 'high', warning: 'medium', info: 'info' };

describe('secretlint parser on the real fixtures', () => {
  test('there are secretlint JSON fixtures to test', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(2);
  });

  test.each(FILES)('%s: one secret finding per message, severities from the messages', (rel) => {
    const doc = fixtureJson(rel);
    const messages = doc.flatMap((file: any) => file.messages);
    const report = parse(doc);
    expect(secretlintParser.detect(doc)).toBe(true);
    expect(report.findings).toHaveLength(messages.length);
    expect(bySeverity(report.findings)).toEqual(countSeverities(messages.map((m: any) => WORD[m.severity])));
    expect(report.findings.every((f) => f.kind === 'secret' && f.tool === 'secretlint')).toBe(true);
  });

  test('secretlint 13 run: 7 findings, 1-based columns, and no byte of a matched secret in the output', () => {
    const doc = fixtureJson('secretlint/secretlint-13.0.6.json');
    const report = parse(doc);
    expect(report.findings[0]).toMatchObject({
      ruleId: '@secretlint/secretlint-rule-preset-recommend > @secretlint/secretlint-rule-aws',
      title: 'found AWS Access Key ID: ********************',
      severity: 'high',
      toolSeverity: 'error',
      location: { file: '/src/secrets-repo/config/deploy.ini', line: 2, column: 21 },
    });
    // the secrets are the ranges of sourceContent the messages point at
    const out = JSON.stringify(report.findings);
    for (const file of doc) {
      for (const m of file.messages) expect(out).not.toContain(file.sourceContent.slice(m.range[0], m.range[1]));
    }
  });

  test('the JSON and the SARIF of the same run give the same rules at the same lines and columns', () => {
    const key = (f: { ruleId: string; location: { line?: number; column?: number } }) => `${f.ruleId}@${f.location.line}:${f.location.column}`;
    const fromJson = parse(fixtureJson('secretlint/secretlint-13.0.6.json')).findings.map(key).sort();
    const fromSarif = sarifParser.parse(fixtureJson('secretlint/secretlint-13.0.6.sarif'), { file: 'x.sarif' }).findings.map(key).sort();
    expect(fromJson).toEqual(fromSarif);
  });
});

describe('secretlint parser semantics', () => {
  const report = (message: Record<string, unknown>) => [{
    filePath: '/repo/.env',
    sourceContent: 'TOKEN=abcd1234secret\n',
    sourceContentType: 'text',
    messages: [{ type: 'message', ruleId: 'r-token', message: 'found token: abcd1234secret', severity: 'warning', range: [6, 20], loc: { start: { line: 1, column: 6 }, end: { line: 1, column: 20 } }, data: { TOKEN: 'abcd1234secret' }, ...message }],
  }];

  test('an unmasked secret (--no-maskSecrets) is masked in the title', () => {
    const [f] = parse(report({})).findings;
    expect(f.title).toBe('found token: **************');
    expect(f.severity).toBe('medium');
    expect(f.ruleId).toBe('r-token');
    expect(JSON.stringify(f)).not.toContain('abcd1234secret');
  });

  test('detects secretlint results, not an empty array (that is the empty gitleaks report)', () => {
    expect(secretlintParser.detect(report({}))).toBe(true);
    expect(secretlintParser.detect([])).toBe(false);
    expect(secretlintParser.detect([{ RuleID: 'x' }])).toBe(false);
  });

  test.each([
    ['fails without a severity', { severity: undefined }, /\[0\]\.messages\[0\]\.severity must be a string/],
    ['fails without a rule id', { ruleId: 7 }, /\[0\]\.messages\[0\]\.ruleId must be a string, got a number/],
    ['fails on a line that is not a number', { loc: { start: { line: 'one', column: 0 } } }, /loc\.start\.line must be a whole number/],
  ])('%s', (_name, patch, message) => {
    expect(() => parse(report(patch))).toThrow(ReportError);
    expect(() => parse(report(patch))).toThrow(message);
  });

  test('fails when messages is not a list', () => {
    expect(() => parse([{ filePath: 'a', messages: {} }])).toThrow(/secretlint json report: \[0\] "messages" must be an array/);
  });
});
