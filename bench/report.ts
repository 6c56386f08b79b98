/**
 * Benchmark of the HTML findings report at scale: the trivy report of bench/findings.ts (about
 * 100 MB, some 40,000 findings) goes through `gatehouse gate --json --html`, then the page is opened
 * in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) from disk.
 *
 * Prints the gate's time with and without --html, `gatehouse report` over the JSON, the page's size,
 * and in the browser: the time to open it (navigation to the load event, with the table drawn), a
 * sort over every finding and a filter, each the best and the median of the runs. Target: open in
 * under 2 s.
 *
 * Usage: npx projen bench:report [--runs N] [--mb N] [--keep]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
// eslint-disable-next-line import/no-extraneous-dependencies
import { chromium } from 'playwright-core';
import { generateTrivy } from './findings';

const ROOT = resolve(__dirname, '..');
const CLI = join(ROOT, 'assets', 'gatehouse.js');
const CHROMIUM = process.env.GATEHOUSE_CHROMIUM ?? '/usr/bin/chromium';
const args = process.argv.slice(2);
const opt = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const RUNS = opt('runs', 5);
const TARGET_MB = opt('mb', 100);
const MB = 1024 * 1024;
const TARGET_OPEN_MS = 2000;

function wall(argv: string[], cwd: string): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, argv, { cwd, encoding: 'utf8', maxBuffer: 64 * MB });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const best = (xs: number[]) => Math.min(...xs);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const s = (ms: number) => (ms / 1000).toFixed(2);

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error('assets/gatehouse.js is missing: run npx projen bundle:cli first');
  if (!existsSync(CHROMIUM)) throw new Error(`no chromium at ${CHROMIUM}: apt-get install chromium, or set GATEHOUSE_CHROMIUM`);
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-report-'));
  try {
    const report = generateTrivy(dir, TARGET_MB * MB);
    const gateMs: number[] = [];
    const htmlMs: number[] = [];
    const fromJsonMs: number[] = [];
    for (let run = 0; run < Math.min(RUNS, 3); run++) {
      gateMs.push(wall([CLI, 'gate', '--json', 'g.json', report], dir));
      htmlMs.push(wall([CLI, 'gate', '--json', 'g.json', '--html', 'g.html', report], dir));
      fromJsonMs.push(wall([CLI, 'report', 'g.json', '--html', 'r.html'], dir));
    }
    const findings = JSON.parse(readFileSync(join(dir, 'g.json'), 'utf8')).summary.total as number;
    const htmlMb = statSync(join(dir, 'g.html')).size / MB;

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const open: number[] = [];
    const sort: number[] = [];
    const filter: number[] = [];
    try {
      const url = pathToFileURL(join(dir, 'g.html')).href;
      for (let run = 0; run < RUNS; run++) {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        const t0 = Date.now();
        await page.goto(url, { waitUntil: 'load' });
        await page.waitForSelector('#gh-rows tr');
        open.push(Date.now() - t0);
        const shown = await page.textContent('#gh-shown');
        if (Number(shown) !== findings) throw new Error(`the page shows ${shown} findings, the gate counted ${findings}`);
        // page scripts as text: this file is type-checked without the DOM library
        sort.push(await page.evaluate<number>('(() => { const t = performance.now(); document.querySelector(\'th[data-k="5"]\').click(); return performance.now() - t; })()'));
        filter.push(await page.evaluate<number>(
          '(() => { const t = performance.now(); const sel = document.getElementById("f-sev"); sel.value = "1"; sel.dispatchEvent(new Event("change")); return performance.now() - t; })()',
        ));
        await page.close();
      }
    } finally {
      await browser.close();
    }
    console.log(`trivy report ${(statSync(report).size / MB).toFixed(0)} MiB → ${findings} findings; HTML report ${htmlMb.toFixed(1)} MiB; ${RUNS} run(s) in the browser, node ${process.version}\n`);
    console.log('| measure | best s | median s |\n|---|---|---|');
    console.log(`| gate --json | ${s(best(gateMs))} | ${s(median(gateMs))} |`);
    console.log(`| gate --json --html | ${s(best(htmlMs))} | ${s(median(htmlMs))} |`);
    console.log(`| report g.json --html | ${s(best(fromJsonMs))} | ${s(median(fromJsonMs))} |`);
    console.log(`| open in Chromium (to load, table drawn) | ${s(best(open))} | ${s(median(open))} |`);
    console.log(`| sort every finding by title | ${s(best(sort))} | ${s(median(sort))} |`);
    console.log(`| filter on severity | ${s(best(filter))} | ${s(median(filter))} |`);
    console.log(`\n--html adds ${((median(htmlMs) / median(gateMs) - 1) * 100).toFixed(0)}% to the gate (median ${s(median(htmlMs))} ÷ ${s(median(gateMs))} = ${(median(htmlMs) / median(gateMs)).toFixed(2)})`);
    console.log(`open ÷ target: ${(median(open) / TARGET_OPEN_MS).toFixed(2)} (median ${s(median(open))} s against ${s(TARGET_OPEN_MS)} s)`);
  } finally {
    if (!args.includes('--keep')) rmSync(dir, { recursive: true, force: true });
    else console.log(`inputs kept in ${dir}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
