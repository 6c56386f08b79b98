import { billionLaughs, countBy, expectReportError, externalDtd, externalEntity, fixture, rawText, tempFile } from './iac-fixtures';
import { zapXmlParser } from '../../../src/findings/parsers/zap-xml';

const NAMES = ['defectdojo/zap_some_2.9.0.xml', 'defectdojo/zap_empty_2.9.0.xml'];
const RISK: Record<string, string> = { 3: 'high', 2: 'medium', 1: 'low', 0: 'info' };

/** Severities of every instance of every alert item, read from the raw XML text. */
function expectedFrom(xml: string): string[] {
  const out: string[] = [];
  for (const item of xml.split('<alertitem>').slice(1)) {
    const risk = /<riskcode>(\d)<\/riskcode>/.exec(item)![1];
    const confidence = /<confidence>(\d)<\/confidence>/.exec(item)?.[1];
    if (confidence === '0') continue;
    const instances = (item.match(/<instance>/g) ?? []).length;
    for (let i = 0; i < Math.max(instances, 1); i++) out.push(RISK[risk]);
  }
  return out;
}

async function parse(path: string) {
  return zapXmlParser.parse(path, { file: path });
}

describe('zap xml parser', () => {
  test.each(NAMES)('finds one finding per alert instance, with the risk codes of the file: %s', async (name) => {
    // GIVEN
    const path = fixture('zap', name);
    const expected = expectedFrom(rawText(path));
    // WHEN
    const report = await parse(path);
    // THEN
    expect(report.format).toBe('zap-xml');
    expect(report.findings).toHaveLength(expected.length);
    expect(countBy(report.findings, (f) => f.severity)).toEqual(countBy(expected, (s) => s));
  });

  test('reads plugin id, decoded description, CWE and instance URL', async () => {
    // WHEN
    const { findings } = await parse(fixture('zap', NAMES[0]));
    // THEN
    expect(findings[0]).toMatchObject({
      tool: 'zap',
      kind: 'dast',
      ruleId: '10011',
      title: 'Cookie Without Secure Flag',
      severity: 'low',
      toolSeverity: 'Low (Medium)',
      description: 'A cookie has been set without the secure flag, which means that the cookie can be accessed via unencrypted connections.',
      cwes: ['CWE-614'],
      location: { url: 'https://mainsite.com', host: 'mainsite.com' },
    });
    // three cookies on one URL stay three findings
    expect(new Set(findings.filter((f) => f.ruleId === '10011').map((f) => f.toolFingerprint)).size).toBe(3);
  });

  test('reads the traditional-xml-plus shape and ignores nested tags and bodies', async () => {
    // GIVEN
    const path = tempFile('plus.xml', `<?xml version="1.0"?>
<OWASPZAPReport programName="ZAP" version="2.16.1" generated="now">
  <site name="http://example.com" host="example.com" port="80" ssl="false"><alerts>
    <alertitem><pluginid>1</pluginid><alertRef>1-2</alertRef><name>XSS</name><riskcode>3</riskcode><confidence>2</confidence>
      <instances><instance><uri>http://example.com/a</uri><method>POST</method><param>p</param>
        <requestheader>GET / HTTP/1.1</requestheader><responsebody>&lt;html&gt;</responsebody></instance></instances>
      <count>1</count><cweid>-1</cweid><tags><tag><tag>k</tag><link>v</link></tag></tags></alertitem>
  </alerts></site>
</OWASPZAPReport>`);
    // WHEN
    const { findings } = await parse(path);
    // THEN
    expect(findings).toEqual([expect.objectContaining({ ruleId: '1-2', severity: 'high', cwes: undefined, location: { url: 'http://example.com/a', host: 'example.com' } })]);
  });

  test('fails on a truncated report', async () => {
    const text = rawText(fixture('zap', NAMES[0]));
    const path = tempFile('truncated.xml', text.slice(0, Math.floor(text.length / 2)));
    await expectReportError(() => parse(path), /truncated\.xml: zap-xml: malformed XML \(.*unclosed tag/);
  });

  test('fails on an undefined risk code', async () => {
    const path = tempFile('risk.xml', '<OWASPZAPReport><site name="s"><alerts><alertitem><pluginid>1</pluginid><riskcode>9</riskcode></alertitem></alerts></site></OWASPZAPReport>');
    await expectReportError(() => parse(path), /zap report: site\[0\]\.alerts\[0\]\.riskcode is "9"/);
  });

  test('fails on another root element', async () => {
    const path = tempFile('other.xml', '<report><site/></report>');
    await expectReportError(() => parse(path), /the root element is report, not OWASPZAPReport/);
  });

  test('fails on the billion laughs payload without expanding it', async () => {
    const path = tempFile('lol.xml', billionLaughs('OWASPZAPReport'));
    await expectReportError(() => parse(path), /the DOCTYPE declares entities, which are refused/);
  });

  test('fails on an external entity (XXE)', async () => {
    const path = tempFile('xxe.xml', externalEntity('OWASPZAPReport', '<site name="&xxe;"><alerts/></site>'));
    await expectReportError(() => parse(path), /the DOCTYPE declares entities/);
  });

  test('fails on a reference to an entity of an external DTD, which is never fetched', async () => {
    const path = tempFile('dtd.xml', externalDtd('OWASPZAPReport', '<site name="&remote;"><alerts/></site>'));
    await expectReportError(() => parse(path), /malformed XML \(.*undefined entity/);
  });
});
