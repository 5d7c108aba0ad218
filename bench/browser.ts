/**
 * The element in Chromium, on the demo (app, token endpoint and dashboard host on 127.0.0.1): from
 * a filter change to `chartio-load`, shown in place (the page fetches the new token's data and
 * redraws) and by a full reload (a new frame, swapped in when its page is ready), next to a bare
 * iframe load of the same URL (what any reload costs the browser and the host, with no element).
 * Each with a token reused (the element's cache, the host's cache: no request, no query run) and
 * with a new one (a request, and a query run on the host).
 * @module
 */
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../scripts/browsers.mjs';
import { startDemo } from '../demo/demo.js';
import { formatNumber, median, printTable, type Row } from './format.js';

/** What one measured filter change took, in ms from `setAttribute`, and how it was shown. */
interface Change {
  load: number;
  inPlace: boolean;
  /** The URL a full reload loaded (`''` in place), for a bare load of the same URL. */
  url: string;
}

/** Goals of issue 8, change → chartio-load in place, in ms. */
const GOALS = { reused: 25, fresh: 45 };

/** The `n`-th date range of the benchmark: distinct for every `n` below 336, so a new token each. */
function range(n: number): string[] {
  return [`2014-${String(1 + (n % 12)).padStart(2, '0')}-${String(1 + Math.floor(n / 12)).padStart(2, '0')}`, '2015-12-31'];
}

/**
 * Runs the browser benchmark and prints its table.
 * @example
 * await benchBrowser(); // "## <chartio-embed> in Chromium: filter change → chartio-load"
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
    await installProbes(page);
    const base = await page.evaluate(() => document.querySelector('chartio-embed')!.getAttribute('base-url')!);
    // Full reloads: the same page under two spellings of its base URL (a query parameter the host
    // ignores), which the element must treat as another page, so it loads a new frame each time.
    const reloading = (n: number) => `${base}?bench=${n % 2}`;
    let next = 0;
    const fresh = () => next++;

    // Two filter sets seen once, then alternated: every change reuses a kept token, and the host
    // has both pages and their data cached.
    const [a, b] = [fresh(), fresh()];
    await changes(page, [a, b].map((n) => ({ range: range(n), base })));
    await changes(page, [a, b].map((n, i) => ({ range: range(n), base: reloading(i) })));
    const cost = { requests: tokenRequests, runs: demo.host.stats().queryRuns };
    const alternate = (i: number) => range(i % 2 ? b : a);
    // (Before each in-place series, one change back to the plain base URL, not counted: after a
    // full reload under the other spelling, the first change there loads a new frame.)
    await changes(page, [{ range: alternate(1), base }]);
    const reusedInPlace = await changes(page, Array.from({ length: rounds }, (_, i) => ({ range: alternate(i), base })));
    const reusedReload = await changes(page, Array.from({ length: rounds }, (_, i) => ({ range: alternate(i), base: reloading(i) })));
    const reusedCost = { requests: tokenRequests - cost.requests, runs: demo.host.stats().queryRuns - cost.runs };
    const reusedBare = await bareLoads(page, reusedReload.map((change) => change.url));

    // New filters on every change: a new token, a query run on the host.
    await changes(page, [{ range: alternate(0), base }]);
    const freshInPlace = await changes(page, Array.from({ length: rounds }, () => ({ range: range(fresh()), base })));
    const freshReload = await changes(page, Array.from({ length: rounds }, (_, i) => ({ range: range(fresh()), base: reloading(i) })));
    // Bare loads of URLs never loaded before: tokens signed for new filters, not timed.
    const freshUrls: string[] = [];
    for (let i = 0; i < rounds; i++) freshUrls.push(await signedUrl(page, range(fresh())));
    const freshBare = await bareLoads(page, freshUrls);

    const inPlaceShare = (list: Change[]) => `${list.filter((change) => change.inPlace).length}/${list.length}`;
    const goal = (value: number, limit: number) => `${value <= limit ? '✓' : '✗'} ≤ ${limit} ms`;
    const rows: Row[] = [
      { name: 'bare iframe load, same URL, cached on the host', value: median(reusedBare), unit: 'ms' },
      {
        name: 'reused token: change → chartio-load, in place',
        value: median(reusedInPlace.map((c) => c.load)),
        unit: 'ms',
        extra: { 'in place': inPlaceShare(reusedInPlace), goal: goal(median(reusedInPlace.map((c) => c.load)), GOALS.reused), 'token requests': reusedCost.requests, 'host query runs': reusedCost.runs },
      },
      { name: 'reused token: change → chartio-load, full reload', value: median(reusedReload.map((c) => c.load)), unit: 'ms', extra: { 'in place': inPlaceShare(reusedReload) } },
      { name: 'bare iframe load, a new token\'s URL', value: median(freshBare), unit: 'ms' },
      {
        name: 'new token: change → chartio-load, in place',
        value: median(freshInPlace.map((c) => c.load)),
        unit: 'ms',
        extra: { 'in place': inPlaceShare(freshInPlace), goal: goal(median(freshInPlace.map((c) => c.load)), GOALS.fresh) },
      },
      { name: 'new token: change → chartio-load, full reload', value: median(freshReload.map((c) => c.load)), unit: 'ms', extra: { 'in place': inPlaceShare(freshReload) } },
    ];
    printTable(`<chartio-embed> in Chromium on the demo: filter change → chartio-load, median of ${rounds}`, rows, {
      baseline: 'bare iframe load, same URL, cached on the host',
      higherIsBetter: false,
    });
    const ratio = (changes: Change[], bare: number[]) => formatNumber(median(changes.map((c) => c.load)) / median(bare));
    console.log(
      `In place ÷ the bare load of the same kind of URL: reused ${ratio(reusedInPlace, reusedBare)}×, new token ${ratio(freshInPlace, freshBare)}× ` +
        `(full reload: ${ratio(reusedReload, reusedBare)}×, ${ratio(freshReload, freshBare)}×).`,
    );
  } finally {
    await browser.close();
    await demo.close();
  }
}

/** Installs `window.benchChange({ range, base })`: sets the filters (and base URL) in one task and times `chartio-load`. */
async function installProbes(page: Page): Promise<void> {
  await page.evaluate(() => {
    const embed = document.querySelector('chartio-embed')!;
    (window as unknown as { benchChange: (change: { range: string[]; base: string }) => Promise<Change> }).benchChange = ({ range, base }) =>
      new Promise<Change>((resolve) => {
        const start = performance.now();
        embed.addEventListener(
          'chartio-load',
          (event) => {
            const load = performance.now() - start;
            const frame = embed.shadowRoot!.querySelector<HTMLIFrameElement>('iframe:not(.next)')!;
            resolve({ load, inPlace: event.detail.inPlace, url: event.detail.inPlace ? '' : frame.src });
          },
          { once: true },
        );
        if (embed.getAttribute('base-url') !== base) embed.setAttribute('base-url', base);
        embed.setAttribute('filter-date-range', JSON.stringify(range));
      });
  });
}

/** Makes the changes one by one, each after the page has settled (as between a viewer's clicks). */
async function changes(page: Page, list: { range: string[]; base: string }[]): Promise<Change[]> {
  return page.evaluate(async (list) => {
    const results: Change[] = [];
    for (const change of list) {
      await new Promise((resolve) => requestIdleCallback(resolve, { timeout: 500 }));
      results.push(await (window as unknown as { benchChange: (change: { range: string[]; base: string }) => Promise<Change> }).benchChange(change));
    }
    return results;
  }, list);
}

/** Loads each URL in a bare hidden iframe like the element's (no element), timing insert → `load`. */
async function bareLoads(page: Page, urls: string[]): Promise<number[]> {
  return page.evaluate(async (urls) => {
    const shown = document.querySelector('chartio-embed')!.shadowRoot!.querySelector('iframe:not(.next)')!;
    const times: number[] = [];
    for (const url of urls) {
      await new Promise((resolve) => requestIdleCallback(resolve, { timeout: 500 }));
      const frame = shown.cloneNode(false) as HTMLIFrameElement;
      frame.className = '';
      frame.style.visibility = 'hidden';
      frame.src = url;
      const loaded = new Promise((resolve) => (frame.onload = resolve));
      const start = performance.now();
      document.body.append(frame);
      await loaded;
      times.push(performance.now() - start);
      frame.remove();
    }
    return times;
  }, urls);
}

/** A new token's iframe URL for the demo's dashboard, from its token endpoint. */
async function signedUrl(page: Page, range: string[]): Promise<string> {
  return page.evaluate(async (range) => {
    const response = await fetch('/embed-token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dashboard: 38727, filters: { DATE_RANGE: range } }),
    });
    return ((await response.json()) as { url: string }).url;
  }, range);
}
