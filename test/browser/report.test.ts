/**
 * The HTML findings report in a real browser (headless Chromium): the report of a multi-tool gate
 * over real scanner reports, with an applied and refused exemptions, a baseline, a trusted VEX and an
 * untrusted one, opened from disk.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { Browser, Page } from 'playwright-core';
import { describeInBrowser, launch, watchedPage, PageWatch } from './support';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'assets/gatehouse.js');
// relative to the repository root, where the gate runs: the page names them as a pipeline would
const F = 'test/fixtures';
const OUT = path.join(ROOT, 'test-reports', 'browser');

/** Runs the bundled gate over four tools' reports; writes its JSON and HTML into OUT. */
function multiToolGate(): { json: any; html: string } {
  fs.mkdirSync(OUT, { recursive: true });
  // a trusted VEX statement for a CVE the trivy report has: that finding is suppressed
  const vex = path.join(OUT, 'trusted.vex.json');
  fs.writeFileSync(vex, JSON.stringify({
    '@context': 'https://openvex.dev/ns/v0.2.0',
    '@id': 'https://example.com/vex/1',
    'author': 'security',
    'timestamp': '2026-01-01T00:00:00Z',
    'version': 1,
    'statements': [{ vulnerability: { name: 'CVE-2020-15999' }, products: [], status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path' }],
  }));
  const res = spawnSync(process.execPath, [
    CLI, 'gate',
    '--exemptions', path.join(F, 'exemptions/exemptions.yaml'), '--approvers', 'sec.bob', '--max-exemption-days', '3650',
    '--trusted-baseline', path.join(F, 'baseline/bandit-1.6.2-without-b602.json'),
    '--trusted-vex', path.relative(ROOT, vex), '--vex', path.join(F, 'openvex/defectdojo/openvex_openvex_many_vuln.json'),
    '--json', path.join(OUT, 'gate.json'), '--html', path.join(OUT, 'gate.html'),
    path.join(F, 'bandit/bandit-1.6.2.json'), path.join(F, 'trivy/defectdojo/trivy_scheme_2_many_vulns.json'),
    path.join(F, 'gitleaks/defectdojo/gitleaks_gitleaks8_many.json'), path.join(F, 'semgrep/defectdojo/semgrep_many_vulns.json'),
  ], { cwd: ROOT, encoding: 'utf8' });
  if (res.status !== 1) throw new Error(`the gate should fail (exit 1), exited ${res.status}: ${res.stderr}`);
  return { json: JSON.parse(fs.readFileSync(path.join(OUT, 'gate.json'), 'utf8')), html: path.join(OUT, 'gate.html') };
}

const rowCount = (page: Page) => page.locator('#gh-rows tr').count();
const shown = async (page: Page) => Number(await page.textContent('#gh-shown'));

describeInBrowser('HTML findings report in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let watch: PageWatch;
  let gate: { json: any; html: string };

  beforeAll(async () => {
    gate = multiToolGate();
    browser = await launch();
    ({ page, watch } = await watchedPage(browser));
    await page.goto(pathToFileURL(gate.html).href, { waitUntil: 'load' });
  }, 60_000);
  afterAll(async () => browser?.close());

  test('the gate is the one the test means: four tools, every status, exemptions applied and refused', () => {
    const statuses = new Set(gate.json.findings.map((f: any) => f.status));
    expect([...statuses].sort()).toEqual(['exempted', 'existing', 'open', 'suppressed']);
    expect(Object.keys(gate.json.summary.byTool).sort()).toEqual(['bandit', 'gitleaks', 'semgrep', 'trivy']);
    expect(gate.json.exemptions.map((e: any) => e.state)).toEqual(['valid', 'expired', 'rejected', 'rejected', 'rejected']);
  });

  test('renders with no console error and no request but the page itself', async () => {
    await page.locator('#f-tool').selectOption('trivy');
    await page.locator('#f-tool').selectOption('');
    expect(watch.errors).toEqual([]);
    expect(watch.requests).toEqual([pathToFileURL(gate.html).href]);
  });

  test('the verdict and why', async () => {
    expect(await page.getAttribute('#verdict', 'data-verdict')).toBe('FAILED');
    const why = await page.locator('#verdict li').allTextContents();
    expect(why).toEqual(gate.json.gate.reasons);
  });

  test('the charts show the gate\'s counts by severity and by tool', async () => {
    const bars = async (chart: string) => Object.fromEntries(
      await page.locator(`#${chart} g.bar`).evaluateAll((gs) => gs.map((g) => [g.getAttribute('data-key'), Number(g.querySelector('text.n')!.textContent)])),
    );
    expect(await bars('chart-severity')).toEqual(gate.json.summary.bySeverity);
    expect(await bars('chart-tool')).toEqual(gate.json.summary.byTool);
  });

  test('the table holds every finding, a page at a time, and filters change the row count', async () => {
    const all = gate.json.findings as any[];
    expect(await shown(page)).toBe(all.length);
    expect(await rowCount(page)).toBe(Math.min(100, all.length));
    const count = (pred: (f: any) => boolean) => all.filter(pred).length;

    await page.locator('#f-sev').selectOption({ label: 'high' });
    expect(await shown(page)).toBe(count((f) => f.severity === 'high'));
    expect(await rowCount(page)).toBe(count((f) => f.severity === 'high'));
    expect(new Set(await page.locator('#gh-rows .sev').allTextContents())).toEqual(new Set(['high']));
    await page.locator('#f-sev').selectOption('');

    await page.locator('#f-tool').selectOption('trivy');
    expect(await rowCount(page)).toBe(count((f) => f.tools.includes('trivy')));
    await page.locator('#f-tool').selectOption('');

    for (const status of ['open', 'existing', 'exempted', 'suppressed']) {
      await page.locator('#f-status').selectOption(status);
      expect(await rowCount(page)).toBe(count((f) => f.status === status));
    }
    await page.locator('#f-status').selectOption('');

    await page.locator('#f-base').selectOption('new');
    expect(await shown(page)).toBe(count((f) => f.status !== 'existing'));
    await page.locator('#f-base').selectOption('');

    await page.locator('#f-fails').check();
    expect(await rowCount(page)).toBe(count((f) => f.failsGate));
    await page.locator('#f-fails').uncheck();

    await page.locator('#f-q').fill('CVE-2019-12900');
    expect(await rowCount(page)).toBe(1);
    await page.locator('#f-q').fill('');
    expect(await shown(page)).toBe(all.length);
  });

  test('sorting by a column orders every finding, not only the page', async () => {
    await page.locator('th[data-k="5"]').click();
    const titles = (gate.json.findings as any[]).map((f) => f.title).sort((a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0));
    const first = await page.locator('#gh-rows tr td:nth-child(3)').first().textContent();
    expect(first!.startsWith(titles[0])).toBe(true);
    await page.locator('th[data-k="5"]').click();
    const last = await page.locator('#gh-rows tr td:nth-child(3)').first().textContent();
    expect(last!.startsWith(titles[titles.length - 1])).toBe(true);
  });

  test('CVE, CWE and rule ids are links to their catalogue', async () => {
    await page.locator('#f-q').fill('CVE-2019-12900');
    expect(await page.locator('#gh-rows a', { hasText: 'CVE-2019-12900' }).getAttribute('href')).toBe('https://nvd.nist.gov/vuln/detail/CVE-2019-12900');
    await page.locator('#f-q').fill('');
    await page.locator('#f-tool').selectOption('bandit');
    const hrefs = await page.locator('#gh-rows a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(hrefs).toContain('https://bandit.readthedocs.io/en/latest/search.html?q=B602');
    await page.locator('#f-tool').selectOption('semgrep');
    expect((await page.locator('#gh-rows a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).some((h) => /^https:\/\/cwe\.mitre\.org\/data\/definitions\/\d+\.html$/.test(h!))).toBe(true);
    await page.locator('#f-tool').selectOption('');
  });

  test('exemptions with requester, approver, expiry and state; what was refused and why', async () => {
    const rows = await page.locator('#exemptions tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(rows.map((r) => [r[0], r[1], r[4], r[5], r[6]])).toEqual(
      gate.json.exemptions.map((e: any) => [e.id, e.state, e.requestedBy ?? '', e.approvedBy ?? '', e.expires ?? '']),
    );
    const refused = await page.locator('#refused li').allTextContents();
    expect(refused.filter((r) => r.startsWith('exemption'))).toHaveLength(4);
    expect(refused.join('\n')).toMatch(/exemption EX-2 expired: expired on 2020-01-01/);
    expect(refused.join('\n')).toMatch(/VEX document .*openvex_openvex_many_vuln.json not applied/);
  });

  test('a screenshot of the report', async () => {
    await page.setViewportSize({ width: 1280, height: 1000 });
    await page.evaluate('window.scrollTo(0, 0)');
    const file = path.join(OUT, 'report.png');
    await page.screenshot({ path: file });
    expect(fs.statSync(file).size).toBeGreaterThan(10_000);
  });

  test('gatehouse report draws the same page from the gate\'s JSON', () => {
    const again = path.join(OUT, 'from-json.html');
    const res = spawnSync(process.execPath, [CLI, 'report', path.join(OUT, 'gate.json'), '--html', again], { encoding: 'utf8' });
    expect({ status: res.status, stderr: res.stderr }).toEqual({ status: 0, stderr: '' });
    expect(fs.readFileSync(again, 'utf8')).toBe(fs.readFileSync(gate.html, 'utf8'));
  });
});
