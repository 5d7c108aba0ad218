/**
 * A cold browser on the demo (issue 17's first-view goal): a new Chromium context each round (no
 * HTTP cache, no connections), navigation to the demo app → the first `chartio-load`, with a
 * token the host has cached (the signer reuses a token for the same claims, so every round after
 * the first is a cache hit: the host's query runs are printed). Beside it, in the same run, the
 * same cold context loading the dashboard's frame URL alone (navigation → `load`): what the frame
 * costs without the app, the element and the token request. The frame's downloads (its
 * document and everything it loads, as encoded on the wire) are summed per round.
 * Goals: median ≤ 300 ms; frame downloads ≤ 40 KB.
 * Run: npm run bench -- cold
 * @module
 */
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../scripts/browsers.mjs';
import { startDemo } from '../demo/demo.js';
import { median, printTable, type Row } from './format.js';

const GOALS = { ms: 300, bytes: 40_000 };

/** Sums the encoded sizes (headers and body) of what `page`'s frames other than the top one download. */
function frameDownloads(page: Page): () => Promise<number> {
  const sizes: Promise<number>[] = [];
  page.on('requestfinished', (request) => {
    if (request.frame() === page.mainFrame()) return;
    sizes.push(request.sizes().then((size) => size.responseHeadersSize + size.responseBodySize));
  });
  return async () => (await Promise.all(sizes)).reduce((sum, size) => sum + size, 0);
}

export async function benchColdBrowser(rounds = 15): Promise<void> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('Chromium not found: set CHROME_PATH or install it (apt-get install -y chromium).');
  const demo = await startDemo({ port: 0, dashboardPort: 0 });
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  const cold = async <T>(work: (page: Page, context: BrowserContext) => Promise<T>): Promise<T> => {
    const context = await browser.newContext();
    try {
      return await work(await context.newPage(), context);
    } finally {
      await context.close();
    }
  };
  try {
    // The first view signs the token and runs its queries; every later round is a cached token.
    let frameUrl = '';
    await cold(async (page) => {
      await page.goto(demo.appUrl);
      await page.waitForFunction(() => document.getElementById('status')?.getAttribute('data-loaded') === 'true');
      frameUrl = await page.evaluate(() => document.querySelector('chartio-embed')!.shadowRoot!.querySelector('iframe')!.src);
    });
    const runsBefore = demo.host.stats().queryRuns;
    const app: number[] = [];
    const appBytes: number[] = [];
    const frame: number[] = [];
    const frameBytes: number[] = [];
    for (let round = 0; round < rounds; round++) {
      await cold(async (page) => {
        await page.addInitScript(() => addEventListener('chartio-load', () => ((window as unknown as { loadedAt?: number }).loadedAt ??= performance.now()), true));
        const downloads = frameDownloads(page);
        await page.goto(demo.appUrl);
        await page.waitForFunction(() => (window as unknown as { loadedAt?: number }).loadedAt !== undefined);
        app.push(await page.evaluate(() => (window as unknown as { loadedAt: number }).loadedAt));
        await page.waitForLoadState('networkidle');
        appBytes.push(await downloads());
      });
      await cold(async (page) => {
        let bytes = 0;
        page.on('requestfinished', (request) => void request.sizes().then((size) => (bytes += size.responseHeadersSize + size.responseBodySize)));
        await page.goto(frameUrl, { waitUntil: 'load' });
        frame.push(await page.evaluate(() => performance.getEntriesByType('navigation')[0]!.duration));
        await page.waitForLoadState('networkidle');
        frameBytes.push(bytes);
      });
    }
    const runs = demo.host.stats().queryRuns - runsBefore;
    const rows: Row[] = [
      { name: 'the frame URL alone: navigation → load', value: median(frame), unit: 'ms', extra: { 'downloads, encoded': `${median(frameBytes).toLocaleString('en-US')} B` } },
      {
        name: 'the demo app: navigation → chartio-load',
        value: median(app),
        unit: 'ms',
        extra: {
          goal: `${median(app) <= GOALS.ms ? '✓' : '✗'} ≤ ${GOALS.ms} ms`,
          "the frame's downloads, encoded": `${median(appBytes).toLocaleString('en-US')} B ${median(appBytes) <= GOALS.bytes ? '✓' : '✗'} ≤ ${GOALS.bytes.toLocaleString('en-US')} B`,
          'host query runs': runs,
        },
      },
    ];
    printTable(`A cold Chromium context on the demo, a token the host has cached, median of ${rounds}`, rows, { baseline: 'the frame URL alone: navigation → load', higherIsBetter: false });
  } finally {
    await browser.close();
    await demo.close();
  }
}
