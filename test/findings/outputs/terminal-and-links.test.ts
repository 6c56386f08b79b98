/** Terminal colour, the findings table, and the links of CVE, CWE and rule ids. */
import { main } from '../../../src/findings/cli/program';
import { runGate } from '../../../src/findings/engine';
import { paint, useColour } from '../../../src/findings/outputs/colour';
import { findingLinks, idUrl } from '../../../src/findings/outputs/links';
import { gateMarkdown } from '../../../src/findings/outputs/markdown';
import { gateText } from '../../../src/findings/outputs/text';
import { BANDIT, TRIVY } from '../support';

const ESC = '\u001b[';

async function cli(args: string[], outIsTTY: boolean): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await main(args, { out: (t) => (out += t), err: () => undefined, outIsTTY });
  return { code, out };
}

describe('colour', () => {
  test('only on a terminal, and never with NO_COLOR set', () => {
    expect(useColour(true, {})).toBe(true);
    expect(useColour(false, {})).toBe(false);
    expect(useColour(undefined, {})).toBe(false);
    expect(useColour(true, { NO_COLOR: '1' })).toBe(false);
    // the convention: an empty NO_COLOR does not count
    expect(useColour(true, { NO_COLOR: '' })).toBe(true);
    expect(paint(false, 'x', 'red')).toBe('x');
  });

  test('the gate\'s verdict and severities are coloured on a terminal, plain otherwise', async () => {
    const r = await runGate({ reports: [BANDIT], options: { failOn: 'medium' } });
    const coloured = gateText(r, true);
    expect(coloured).toContain(`gatehouse gate: ${ESC}1m${ESC}31mFAILED${ESC}39m${ESC}22m`);
    expect(coloured).toMatch(new RegExp(`${ESC.replace('[', '\\[')}1m${ESC.replace('[', '\\[')}31mHIGH {4}`));
    expect(gateText(r, false)).not.toContain(ESC);
    expect(gateText(r, false)).toBe(coloured.replace(/\u001b\[\d+m/g, ''));
  });

  test('the CLI colours stdout when it is a terminal and NO_COLOR is unset', async () => {
    const saved = process.env.NO_COLOR;
    try {
      delete process.env.NO_COLOR;
      expect((await cli(['gate', BANDIT], true)).out).toContain(ESC);
      expect((await cli(['gate', BANDIT], false)).out).not.toContain(ESC);
      process.env.NO_COLOR = '1';
      expect((await cli(['gate', BANDIT], true)).out).not.toContain(ESC);
    } finally {
      if (saved === undefined) delete process.env.NO_COLOR;
      else process.env.NO_COLOR = saved;
    }
  });
});

describe('gatehouse findings --format table', () => {
  test('one line per finding, most severe first, and the counts', async () => {
    const { code, out } = await cli(['findings', '--format', 'table', BANDIT, TRIVY], false);
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^SEVERITY +RULE +TITLE +LOCATION +TOOLS +FINGERPRINT$/);
    const json = JSON.parse((await cli(['findings', BANDIT, TRIVY], false)).out);
    expect(lines).toHaveLength(json.findings.length + 2);
    const sevs = lines.slice(1, -1).map((l) => l.split(/ +/)[0].toLowerCase());
    const order = ['critical', 'high', 'medium', 'low', 'info', 'unknown'];
    expect(sevs).toEqual([...sevs].sort((a, b) => order.indexOf(a) - order.indexOf(b)));
    expect(sevs[0]).toBe('critical');
    expect(lines[lines.length - 1]).toBe(`${json.summary.total} finding(s): ${order.map((s) => `${s} ${json.summary.bySeverity[s]}`).join(', ')}`);
    expect(out).not.toContain(ESC);
  });

  test('an unknown format is bad input', async () => {
    expect((await cli(['findings', '--format', 'yaml', BANDIT], false)).code).toBe(2);
  });
});

describe('links', () => {
  test.each([
    ['CVE-2019-12900', [], 'https://nvd.nist.gov/vuln/detail/CVE-2019-12900'],
    ['cve-2019-12900', [], 'https://nvd.nist.gov/vuln/detail/CVE-2019-12900'],
    ['GHSA-jfh8-c2jp-5v3q', [], 'https://github.com/advisories/GHSA-jfh8-c2jp-5v3q'],
    ['PYSEC-2021-19', [], 'https://osv.dev/vulnerability/PYSEC-2021-19'],
    ['CWE-79', [], 'https://cwe.mitre.org/data/definitions/79.html'],
    ['DL3008', ['hadolint'], 'https://github.com/hadolint/hadolint/wiki/DL3008'],
    ['B602', ['bandit'], 'https://bandit.readthedocs.io/en/latest/search.html?q=B602'],
    ['B602', ['trivy'], undefined],
    ['python.lang.security.use-defused-xml.use-defused-xml', ['semgrep'], 'https://semgrep.dev/r/python.lang.security.use-defused-xml.use-defused-xml'],
    ['javascript:alert(1)', ['semgrep'], undefined],
    ['CVE-2019-12900" onmouseover="x', [], undefined],
  ])('%s (%j) → %s', (id, tools, url) => {
    expect(idUrl(id, tools)).toBe(url);
  });

  test('a finding\'s rule, CVEs and CWEs, each once', () => {
    expect(findingLinks({ ruleId: 'CVE-2020-1', tools: [], cves: ['CVE-2020-1'], cwes: ['CWE-20', 'nonsense'] }).map(([id]) => id)).toEqual(['CWE-20']);
    expect(findingLinks({ ruleId: 'CVE-2020-1234', tools: [], cves: ['CVE-2020-1234'] })).toEqual([['CVE-2020-1234', 'https://nvd.nist.gov/vuln/detail/CVE-2020-1234']]);
  });

  test('the Markdown summary links rule ids to their page', async () => {
    const md = gateMarkdown(await runGate({ reports: [BANDIT, TRIVY], options: { failOn: 'medium' } }));
    expect(md).toContain('| [`CVE-2019-12900`](https://nvd.nist.gov/vuln/detail/CVE-2019-12900) |');
    expect(md).toContain('| [`B602`](https://bandit.readthedocs.io/en/latest/search.html?q=B602) |');
  });
});
