/**
 * The element in Chromium, on the demo (app, token endpoint and dashboard host on 127.0.0.1):
 * from a filter change to the new iframe `src`, and to the dashboard's `chartio-load`, with a
 * token reused from the page's cache and with a new one; next to the bare round trip of the
 * same token request made with `fetch()` from the same page, so the element's own cost shows.
 * @module
 */
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../scripts/browsers.mjs';
import { startDemo } from '../demo/demo.js';
import { median, printTable, type Row } from './format.js';

/** What one measured filter change took, in ms from `setAttribute`. */
interface Change {
  src: number;
  load: number;
  /** True when no animation frame ran between the change and the new `src`. */
  sameFrame: boolean;
}

/**
 * Runs the browser benchmark and prints its table.
 * @example
 * await benchBrowser(); // "## <chartio-embed> in Chromium: filter change → src / load"
 */
export async function benchBrowser(rounds = 20): Promise<void> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('Chromium not found: set CHROME_PATH or install it (apt-get install -y chromium).');
  const demo = await startDemo({ port: 0, dashboardPort: 0 });
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.goto(demo.appUrl);
    await page.waitForFunction(() => document.getElementById('status')?.getAttribute('data-loaded') === 'true');
    let tokenRequests = 0;
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/embed-token') tokenRequests++;
    });
    // Installs window.benchChange(range): sets DATE_RANGE and times the new frame's `src` (a
    // MutationObserver sees it added) and its `load`.
    await page.evaluate(() => {
      const embed = document.querySelector('chartio-embed')!;
      const root = embed.shadowRoot!;
      (window as unknown as { benchChange: (range: string[]) => Promise<Change> }).benchChange = (range) =>
        new Promise<Change>((resolve) => {
          let frameRan = false;
          let src = 0;
          let sameFrame = false;
          requestAnimationFrame(() => (frameRan = true));
          const start = performance.now();
          const observer = new MutationObserver(() => {
            if (!src && root.querySelector('iframe.next')) {
              src = performance.now() - start;
              sameFrame = !frameRan;
              observer.disconnect();
            }
          });
          observer.observe(root, { childList: true, subtree: true });
          embed.addEventListener('chartio-load', () => resolve({ src, load: performance.now() - start, sameFrame }), { once: true });
          embed.setAttribute('filter-date-range', JSON.stringify(range));
        });
    });
    const changes = (first: number, count: number, modulo: number) =>
      page.evaluate(
        async ([first, count, modulo]) => {
          const results: Change[] = [];
          for (let i = first; i < first + count; i++) {
            const n = modulo ? i % modulo : i;
            const range = [`2014-${String(1 + (n % 12)).padStart(2, '0')}-${String(1 + Math.floor(n / 12)).padStart(2, '0')}`, '2015-12-31'];
            // Let the page settle after the previous swap (the old frame's unload, layout), as it
            // would between a viewer's clicks, so each change is timed on its own.
            await new Promise((resolve) => requestIdleCallback(resolve, { timeout: 500 }));
            results.push(await (window as unknown as { benchChange: (range: string[]) => Promise<Change> }).benchChange(range));
          }
          return results;
        },
        [first, count, modulo] as const,
      );
    // Two filter sets seen once, then alternated: every change after that may reuse a kept token.
    await changes(0, 2, 0);
    const before = { requests: tokenRequests, runs: demo.host.stats().queryRuns };
    const reused = await changes(0, rounds, 2);
    const reusedCost = { requests: tokenRequests - before.requests, runs: demo.host.stats().queryRuns - before.runs };
    const fresh = await changes(2, rounds, 0);
    const bare = await page.evaluate(async (rounds) => {
      const times: number[] = [];
      for (let i = 0; i < rounds; i++) {
        const start = performance.now();
        const response = await fetch('/embed-token', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ dashboard: 38727, filters: { DATE_RANGE: [`2013-01-${String(1 + i).padStart(2, '0')}`, '2015-12-31'] } }),
        });
        await response.json();
        times.push(performance.now() - start);
      }
      return times;
    }, rounds);
    // The browser's own cost of what a swap must do: insert a hidden iframe like the element's
    // (a clone: same src, sandbox, allow, referrer policy), with no element involved.
    const insert = await page.evaluate(async (rounds) => {
      const shown = document.querySelector('chartio-embed')!.shadowRoot!.querySelector('iframe')!;
      const times: number[] = [];
      for (let i = 0; i < rounds; i++) {
        await new Promise((resolve) => requestIdleCallback(resolve, { timeout: 500 }));
        const frame = shown.cloneNode(false) as HTMLIFrameElement;
        frame.style.visibility = 'hidden';
        const loaded = new Promise((resolve) => (frame.onload = resolve));
        const start = performance.now();
        document.body.append(frame);
        times.push(performance.now() - start);
        await loaded;
        frame.remove();
      }
      return times;
    }, rounds);
    const figures = { reused, fresh, bare, insert };
    const rows: Row[] = [
      { name: 'bare fetch() of a new token', value: median(figures.bare), unit: 'ms' },
      { name: 'bare iframe insert, same attributes', value: median(figures.insert), unit: 'ms' },
      {
        name: 'reused token: change → src',
        value: median(figures.reused.map((c) => c.src)),
        unit: 'ms',
        extra: { 'same frame': `${figures.reused.filter((c) => c.sameFrame).length}/${rounds}`, 'token requests': reusedCost.requests },
      },
      { name: 'new token: change → src', value: median(figures.fresh.map((c) => c.src)), unit: 'ms' },
      { name: 'reused token: change → load', value: median(figures.reused.map((c) => c.load)), unit: 'ms', extra: { 'host query runs': reusedCost.runs } },
      { name: 'new token: change → load', value: median(figures.fresh.map((c) => c.load)), unit: 'ms' },
    ];
    printTable(`<chartio-embed> in Chromium on the demo, median of ${rounds} changes`, rows, {
      baseline: 'bare fetch() of a new token',
      higherIsBetter: false,
    });
    const overBare = (changes: Change[], request: number) => median(changes.map((c) => c.src)) - request - median(figures.insert);
    console.log(
      `The element's own cost, change → src, over the bare request and iframe insert: reused ${overBare(figures.reused, 0).toFixed(2)} ms, ` +
        `new token ${overBare(figures.fresh, median(figures.bare)).toFixed(2)} ms`,
    );
  } finally {
    await browser.close();
    await demo.close();
  }
}
