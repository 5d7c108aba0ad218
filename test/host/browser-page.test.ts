/**
 * The dashboard page in real Chromium (playwright-core), framed by a page on another origin:
 * Loading shows while the queries are held, then the charts draw under the strict CSP with no
 * violation, the height reaches the parent from the host's origin, and a parent origin that is
 * not in frameAncestors cannot frame the dashboard.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import type { DataSource } from '../../src/host/index.js';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/browsers.mjs';
import { dashboardPath, gatedDatabase, openDemoDatabase, OVERVIEW, serveHost, signToken, type ServedHost } from './helpers/host-fixtures.js';


let database: DataSource;
let gate: ReturnType<typeof gatedDatabase>;
let served: ServedHost;
let parent: Server;
let parentPort = 0;
let browser: Browser;
let iframeSrc = '';

before(async () => {
  database = await openDemoDatabase();
  gate = gatedDatabase(database);
  // The parent page: its own origin, one iframe, and a log of the messages it receives.
  parent = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(
      `<!doctype html><body><script>window.received = []; addEventListener('message', (e) => received.push({ origin: e.origin, data: e.data }));</script>` +
        `<iframe style="width:900px;height:200px;border:0" src="${iframeSrc}"></iframe></body>`,
    );
  });
  parent.listen(0, '127.0.0.1');
  await once(parent, 'listening');
  parentPort = (parent.address() as AddressInfo).port;
  served = await serveHost({ database: gate.database, frameAncestors: [`http://127.0.0.1:${parentPort}`] });
  const token = await signToken({ now: Date.now }, { dashboard: OVERVIEW, env: { ACCT_ID: '7' } });
  iframeSrc = served.origin + dashboardPath(OVERVIEW, token);
  browser = await chromium.launch({
    // npm test checks for Chromium before any test runs: a missing one fails here, never skips.
    executablePath: findChromium() ?? 'chromium (set CHROME_PATH)',
    args: CHROMIUM_ARGS,
  });
});

after(async () => {
  await browser?.close();
  parent?.close();
  await served?.close();
  await database?.close();
});

/** Opens the parent page and collects console errors (CSP violations land there). */
async function openParent(origin: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(origin, { waitUntil: 'commit' });
  return { page, errors };
}

async function dashboardFrame(page: Page): Promise<Frame> {
  const isDashboard = (candidate: Frame) => candidate.url().startsWith(served.origin);
  return page.frames().find(isDashboard) ?? page.waitForEvent('framenavigated', { predicate: isDashboard, timeout: 10_000 });
}

test('Loading shows while the queries run, then the charts draw under the CSP and the height reaches the parent', async () => {
  const { page, errors } = await openParent(`http://127.0.0.1:${parentPort}/`);
  const frame = await dashboardFrame(page);
  await frame.waitForSelector('#chartio-loading', { state: 'visible' });
  assert.ok(gate.waiting() > 0, 'Loading is on screen while every query is still held');
  assert.equal(await frame.$('main'), null);

  gate.release();
  await frame.waitForSelector('main h1');
  await frame.waitForFunction(() => document.getElementById('chartio-loading') === null);
  const drawn = await frame.evaluate(() => {
    const Chart = (window as unknown as { Chart?: { getChart(canvas: HTMLCanvasElement): unknown } }).Chart;
    return [...document.querySelectorAll('canvas')].map((canvas) => Boolean(Chart?.getChart(canvas)) && canvas.width > 0);
  });
  assert.deepEqual(drawn, [true, true], 'the line and the bar chart are drawn');

  await page.waitForFunction(() => (window as unknown as { received: unknown[] }).received.length > 0);
  const received = await page.evaluate(() => (window as unknown as { received: { origin: string; data: { type: string; height: number } }[] }).received);
  assert.equal(received[0]!.origin, served.origin);
  assert.equal(received[0]!.data.type, 'chartio:height');
  assert.ok(received[0]!.data.height > 500, `height ${received[0]!.data.height}`);
  assert.deepEqual(errors, [], 'no CSP violation or script error');
  await page.close();
});

test('a parent origin outside frameAncestors cannot frame the dashboard', async () => {
  // Same server, another origin: localhost is not 127.0.0.1.
  const { page } = await openParent(`http://localhost:${parentPort}/`);
  await page.waitForLoadState('load');
  const framed = page.frames().find((candidate) => candidate !== page.mainFrame());
  const content = await framed?.evaluate(() => document.querySelector('main h1')?.textContent ?? null).catch(() => null);
  assert.equal(content ?? null, null, 'the dashboard did not render inside the foreign parent');
  await page.close();
});
