/**
 * attack: a scanner report whose text rewrites the HTML report an approver reads (a title that ends
 * the data script and runs its own, markup that loads from the network, a verdict painted over).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { runGate } from '../../src/findings/engine';
import { joinChunks } from '../../src/findings/outputs/chunks';
import { gateHtmlChunks } from '../../src/findings/outputs/html';
import { describeInBrowser, launch, watchedPage } from '../browser/support';
import { BANDIT } from '../findings/support';

const EVIL = '</script><script>document.title="pwned";document.body.innerHTML="PASSED"</script><img src="https://evil.example/x.png" onerror="document.title=\'pwned\'">';

describeInBrowser('attack: a finding\'s text that would script the HTML report', () => {
  test('the text is shown as text: no script runs, nothing loads, the verdict stays', async () => {
    const r = await runGate({ reports: [BANDIT], options: { failOn: 'low' } });
    r.findings[0].title = EVIL;
    (r.findings[0] as { ruleId: string }).ruleId = EVIL;
    r.findings[0].location.file = EVIL;
    const html = joinChunks(gateHtmlChunks(r));
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-report-')), 'r.html');
    fs.writeFileSync(file, html);
    const browser = await launch();
    try {
      const { page, watch } = await watchedPage(browser);
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      await page.locator('#f-q').fill('pwned');
      expect(await page.title()).toBe('gatehouse gate: FAILED');
      expect(await page.getAttribute('#verdict', 'data-verdict')).toBe('FAILED');
      expect(await page.locator('#gh-rows tr').count()).toBe(1);
      expect(await page.locator('#gh-rows tr td:nth-child(3)').textContent()).toContain(EVIL);
      expect(await page.locator('#gh-rows img, #gh-rows script').count()).toBe(0);
      expect(watch.requests).toEqual([pathToFileURL(file).href]);
      expect(watch.errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
