import { countBy, expectReportError, fixture, parseJsonFixture, readJson } from './iac-fixtures';
import { zapJsonParser } from '../../../src/findings/parsers/zap-json';

const FILE = fixture('zap', 'handmade', 'zap-traditional.json');
const RISK: Record<string, string> = { 3: 'high', 2: 'medium', 1: 'low', 0: 'info' };

describe('zap json parser', () => {
  test('finds one finding per alert instance, with the risk codes of the file', () => {
    // GIVEN every instance of every alert not marked false positive (confidence 0)
    const raw = readJson(FILE);
    const expected: string[] = [];
    for (const site of raw.site) {
      for (const alert of site.alerts) {
        if (alert.confidence === '0') continue;
        for (let i = 0; i < Math.max(alert.instances.length, 1); i++) expected.push(RISK[alert.riskcode]);
      }
    }
    // WHEN
    const report = parseJsonFixture(zapJsonParser, FILE);
    // THEN
    expect(report.format).toBe('zap-json');
    expect(report.findings).toHaveLength(expected.length);
    expect(countBy(report.findings, (f) => f.severity)).toEqual(countBy(expected, (s) => s));
  });

  test('reads alert reference, URL, CWE and references of an instance', () => {
    // WHEN
    const { findings } = parseJsonFixture(zapJsonParser, FILE);
    // THEN
    expect(findings[0]).toMatchObject({
      tool: 'zap',
      kind: 'dast',
      ruleId: '40012',
      title: 'Cross Site Scripting (Reflected)',
      severity: 'high',
      toolSeverity: 'High (Medium)',
      description: expect.stringMatching(/^Cross-site Scripting \(XSS\) is an attack technique/),
      cwes: ['CWE-79'],
      references: ['https://owasp.org/www-community/attacks/xss/', 'https://cwe.mitre.org/data/definitions/79.html'],
      location: { url: 'http://app.internal:8000/search?q=%3Cscript%3Ealert%281%29%3C%2Fscript%3E', host: 'app.internal' },
    });
  });

  test('keeps the instances of one alert apart and skips the alert marked false positive', () => {
    // WHEN
    const { findings } = parseJsonFixture(zapJsonParser, FILE);
    const clickjacking = findings.filter((f) => f.ruleId === '10020-1');
    // THEN
    expect(clickjacking.map((f) => f.location.url)).toEqual(['http://app.internal:8000/', 'http://app.internal:8000/login']);
    expect(new Set(clickjacking.map((f) => f.toolFingerprint)).size).toBe(2);
    expect(findings.some((f) => f.ruleId === '10010')).toBe(false);
  });

  test('reports an alert without instances once, at the site', () => {
    // GIVEN
    const doc = { '@version': '2.7.0', 'site': [{ '@name': 'https://a.test', '@host': 'a.test', 'alerts': [{ pluginid: 10202, riskcode: 2, name: 'Absence of Anti-CSRF Tokens' }] }] };
    // WHEN
    const { findings } = zapJsonParser.parse(doc, { file: 'z.json' });
    // THEN
    expect(findings).toEqual([expect.objectContaining({ ruleId: '10202', severity: 'medium', location: { url: 'https://a.test', host: 'a.test' } })]);
  });

  test('does not claim documents of other formats', () => {
    expect(zapJsonParser.detect({ site: [] })).toBe(false);
    expect(zapJsonParser.detect({ '@version': '2.16', 'site': {} })).toBe(false);
  });

  test('fails on an alert with an undefined risk code', async () => {
    const doc = { '@version': '2.16.1', 'site': [{ alerts: [{ pluginid: '1', riskcode: '7' }] }] };
    await expectReportError(() => zapJsonParser.parse(doc, { file: 'z.json' }), /z\.json: zap report: \$\.site\[0\]\.alerts\[0\]\.riskcode is "7"; expected 0, 1, 2 or 3/);
  });

  test('fails on an alert without a scan rule id', async () => {
    const doc = { '@version': '2.16.1', 'site': [{ alerts: [{ riskcode: '3', name: 'x' }] }] };
    await expectReportError(() => zapJsonParser.parse(doc, { file: 'z.json' }), /pluginid is missing/);
  });

  test('fails on a site without alerts', async () => {
    await expectReportError(() => zapJsonParser.parse({ '@version': '2.16.1', 'site': [{ '@name': 'x' }] }, { file: 'z.json' }), /\$\.site\[0\] lacks the required key "alerts"/);
  });
});
