/**
 * The page runtime inlined (as the host ships it: `PAGE_SCRIPT` in the page, allowed by its CSP
 * hash) against the same script served as a file (`<script type="module" src=…>`, which the CSP's
 * `script-src 'self'` would allow), for a first view of the demo's dashboard in Chromium: from
 * navigation to the moment the page script has drawn the charts and started watching the page's
 * height (its `ResizeObserver`), with a cold browser cache (a new context each time) and a warm one
 * (one context, which keeps the script file). A small proxy in front of the demo's host rewrites the page for
 * the file variants and serves the file (immutable, so a warm browser cache keeps it); every
 * variant goes through the proxy, so its cost is in the baseline too. The host's answer is cached
 * (the same token URL each time) and everything runs on loopback, so a file costs only its
 * request here: on a real network each cold request adds a round trip. (An in-place update runs
 * the script already loaded: the same either way, so not measured.)
 * @module
 */
import { createServer, request as httpRequest } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { chromium, type BrowserContext } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../scripts/browsers.mjs';
import { startDemo } from '../demo/demo.js';
import { PAGE_SCRIPT } from '../src/host/page/page-assets.js';
import { median, printTable, type Row } from './format.js';

const INLINE = `<script type="module">${PAGE_SCRIPT}</script>`;
const FILE_PATH = '/__bench/page-runtime.js';

type Variant = 'inline, cold cache' | 'file, cold cache' | 'inline, warm cache' | 'file, warm cache';
const warm = (variant: Variant): boolean => variant.endsWith('warm cache');

/** A proxy to `target` that serves the page script at FILE_PATH, and pages with it as a file when asked (`?bench-file`). */
async function startProxy(target: string): Promise<{ origin: string; close(): void }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    if (url.pathname === FILE_PATH) {
      res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'public, max-age=31536000, immutable' });
      return res.end(PAGE_SCRIPT);
    }
    const asFile = url.searchParams.has('bench-file');
    url.searchParams.delete('bench-file');
    const upstream = httpRequest(`${target}${url.pathname}${url.search}`, { method: req.method, headers: { ...req.headers, 'accept-encoding': 'identity' } }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => {
        let body = Buffer.concat(chunks);
        const headers = { ...answer.headers };
        if (String(headers['content-type']).startsWith('text/html')) {
          const html = body.toString('utf8');
          if (!html.includes(INLINE)) throw new Error('the page does not inline PAGE_SCRIPT as expected');
          body = Buffer.from(asFile ? html.replace(INLINE, `<script type="module" src="${FILE_PATH}"></script>`) : html);
          delete headers['content-length'];
        }
        res.writeHead(answer.statusCode ?? 502, headers);
        res.end(body);
      });
    });
    req.pipe(upstream);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

/**
 * Runs the benchmark and prints its table.
 * @example
 * await benchPageScript(); // "## The page runtime, inline vs as a file: first view …"
 */
export async function benchPageScript(rounds = 15): Promise<void> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('Chromium not found: set CHROME_PATH or install it (apt-get install -y chromium).');
  const demo = await startDemo({ port: 0, dashboardPort: 0 });
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  const proxy = await startProxy(new URL(demo.dashboardUrl).origin);
  try {
    // A token from the demo app's endpoint, asked for by its own page (its session and CSRF rules).
    const app = await browser.newPage();
    await app.goto(demo.appUrl);
    const signed = await app.evaluate(async () => {
      const answer = await fetch('/embed-token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ dashboard: 38727, filters: {} }) });
      return ((await answer.json()) as { url: string }).url;
    });
    await app.close();
    const path = new URL(signed);
    const urlFor = (variant: Variant) => `${proxy.origin}${path.pathname}${path.search}${variant.startsWith('inline') ? '' : '&bench-file'}`;

    const newContext = async (): Promise<BrowserContext> => {
      const context = await browser.newContext();
      await context.addInitScript(() => {
        // The page script's last synchronous step is observing the page's size: it has run.
        const Observer = window.ResizeObserver;
        window.ResizeObserver = class extends Observer {
          constructor(callback: ResizeObserverCallback) {
            super(callback);
            (window as unknown as { ranAt?: number }).ranAt ??= performance.now();
          }
        };
      });
      return context;
    };

    const measure = async (variant: Variant): Promise<number[]> => {
      const times: number[] = [];
      // A warm cache: one context for all rounds, the file fetched once before. A cold one: a new context each round.
      let context = await newContext();
      if (warm(variant)) await (await context.newPage()).goto(urlFor(variant));
      for (let i = 0; i < rounds; i++) {
        if (!warm(variant)) {
          await context.close();
          context = await newContext();
        }
        const page = await context.newPage();
        await page.goto(urlFor(variant), { waitUntil: 'load' });
        await page.waitForFunction(() => (window as unknown as { ranAt?: number }).ranAt !== undefined);
        times.push(await page.evaluate(() => (window as unknown as { ranAt: number }).ranAt));
        await page.close();
      }
      await context.close();
      return times;
    };

    // Warm the host's cache and the browser's code paths, then measure the variants in turn.
    await measure('inline, cold cache');
    const rows: Row[] = [];
    for (const variant of ['inline, cold cache', 'file, cold cache', 'inline, warm cache', 'file, warm cache'] as const) {
      rows.push({ name: `page script ${variant}`, value: median(await measure(variant)), unit: 'ms' });
    }
    // A warm cache keeps the file: compare each file variant with the inline one of its cache.
    printTable(`The page runtime, inline vs as a file: first view → page script done, median of ${rounds} (loopback)`, rows, {
      baseline: 'page script inline, cold cache',
      higherIsBetter: false,
    });
    const ratio = (file: number, inline: number) => (rows[file]!.value / rows[inline]!.value).toFixed(2);
    console.log(`File ÷ inline: cold cache ${ratio(1, 0)}×, warm cache ${ratio(3, 2)}×.`);
  } finally {
    proxy.close();
    await browser.close();
    await demo.close();
  }
}
