import * as fs from 'fs';
import type { Browser, Page } from 'playwright-core';

/** Debian's chromium (CI installs it); the browser tests skip, saying so, when it is absent. */
export const CHROMIUM = process.env.GATEHOUSE_CHROMIUM ?? '/usr/bin/chromium';

export const HAVE_CHROMIUM = fs.existsSync(CHROMIUM);

/** `describe`, or `describe.skip` with a message naming what is missing. */
export function describeInBrowser(name: string, fn: () => void): void {
  if (HAVE_CHROMIUM) {
    describe(name, fn);
  } else {
    // eslint-disable-next-line no-console
    console.warn(`skipping "${name}": no chromium at ${CHROMIUM} (apt-get install chromium, or set GATEHOUSE_CHROMIUM)`);
    describe.skip(`${name} (skipped: no chromium at ${CHROMIUM})`, fn);
  }
}

/** Headless chromium with nothing running in the background (no network here or in CI). */
export async function launch(): Promise<Browser> {
  // required when a test launches: loading playwright-core costs nothing to the skipped case
  // eslint-disable-next-line @typescript-eslint/no-require-imports, import/no-extraneous-dependencies
  const { chromium } = require('playwright-core') as typeof import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** What a page did while it loaded: console errors, uncaught exceptions, and every request but the page itself. */
export interface PageWatch {
  errors: string[];
  requests: string[];
}

/** A new page that records console errors, page errors and requests. */
export async function watchedPage(browser: Browser, viewport = { width: 1280, height: 900 }): Promise<{ page: Page; watch: PageWatch }> {
  const page = await browser.newPage({ viewport });
  const watch: PageWatch = { errors: [], requests: [] };
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') watch.errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => watch.errors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => watch.requests.push(r.url()));
  return { page, watch };
}
