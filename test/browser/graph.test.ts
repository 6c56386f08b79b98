/**
 * The seed pipeline's picture in a real browser: the SVG Graphviz draws names every stage and step,
 * parses as XML, and renders in Chromium with no error and no request.
 */
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { SaxesParser } from 'saxes';
import { describeInBrowser, launch, watchedPage } from './support';
import { djangoDevSecOps } from '../../examples/django-devsecops/pipeline';
import { renderSvg } from '../../src/graph';

const ROOT = path.resolve(__dirname, '../..');
const OUT = path.join(ROOT, 'test-reports', 'browser');

/** Every text node of an SVG document, read by a strict XML parser (which throws on malformed XML). */
function svgTexts(svg: string): { root: string; texts: string[] } {
  const parser = new SaxesParser({ xmlns: true });
  const texts: string[] = [];
  let root = '';
  let inText = 0;
  parser.on('error', (e) => {
    throw e;
  });
  parser.on('opentag', (t) => {
    if (!root) root = `${t.uri} ${t.local}`;
    if (t.local === 'text') inText++;
  });
  parser.on('closetag', (t) => {
    if (t.local === 'text') inText--;
  });
  parser.on('text', (t) => {
    if (inText) texts.push(t);
  });
  parser.write(svg).close();
  return { root, texts };
}

describeInBrowser('the seed pipeline\'s SVG in Chromium', () => {
  const pipeline = djangoDevSecOps();
  let svg: string;
  beforeAll(async () => {
    svg = await renderSvg(pipeline);
    fs.mkdirSync(OUT, { recursive: true });
    fs.writeFileSync(path.join(OUT, 'django-devsecops.svg'), svg);
  });

  test('is valid SVG (an XML parse) naming every stage and step', () => {
    const { root, texts } = svgTexts(svg);
    expect(root).toBe('http://www.w3.org/2000/svg svg');
    for (const stage of pipeline.stages) {
      expect(texts).toContain(`${stage.name} (${stage.kind.toLowerCase()})`);
      for (const step of stage.steps) expect(texts).toContain(step.name);
    }
    expect(texts).toContain('stage gate');
    expect(() => svgTexts(svg.replace('</svg>', ''))).toThrow();
  });

  test('renders with no error and no request; a screenshot of it', async () => {
    const browser = await launch();
    try {
      const { page, watch } = await watchedPage(browser, { width: 1600, height: 520 });
      const file = path.join(OUT, 'django-devsecops.svg');
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      const box = await page.evaluate<{ w: number; h: number; texts: string[] }>(
        '(() => { const r = document.documentElement.getBoundingClientRect(); return { w: r.width, h: r.height, texts: [...document.querySelectorAll("text")].map((t) => t.textContent) }; })()',
      );
      expect(box.w).toBeGreaterThan(500);
      expect(box.texts).toEqual(expect.arrayContaining(pipeline.stages.flatMap((s) => s.steps.map((st) => st.name))));
      expect(watch.errors).toEqual([]);
      expect(watch.requests).toEqual([pathToFileURL(file).href]);
      const shot = path.join(OUT, 'pipeline.png');
      // a full-page screenshot of an SVG document never ends: size the viewport to the picture instead
      await page.setViewportSize({ width: Math.ceil(box.w), height: Math.ceil(box.h) });
      await page.screenshot({ path: shot });
      expect(fs.statSync(shot).size).toBeGreaterThan(10_000);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
