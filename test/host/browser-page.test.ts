/**
 * The dashboard page in real Chromium (playwright-core), framed by a page on another origin:
 * Loading shows while the queries are held, then the charts draw under the strict CSP with no
 * violation, `chartio:ready` and the height reach the parent from the host's origin, every error
 * page posts `chartio:error`, and a parent origin that is not in frameAncestors cannot frame the
 * dashboard. (The element's side of the protocol, and in-place updates, are tested in Chromium
 * and Firefox in test/element/frame.test.ts.)
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import type { DataSource } from '../../src/host/index.js';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/browsers.mjs';
import {
  dashboardPath,
  DEMO_DASHBOARDS,
  gatedDatabase,
  openDemoDatabase,
  OTHER_SECRET,
  OVERVIEW,
  PRODUCT_MIX,
  serveHost,
  signToken,
  type ServedHost,
} from './helpers/host-fixtures.js';
import { loadDashboardFiles } from '../../src/host/index.js';
import { UPDATING_DELAY_MS } from '../../src/host/page/page-assets.js';
import { listenLocal } from '../launchers/listen-local.js';


let database: DataSource;
let gate: ReturnType<typeof gatedDatabase>;
let served: ServedHost;
let parent: Server;
let parentPort = 0;
let browser: Browser;
let iframeSrc = '';
let token = '';

before(async () => {
  database = await openDemoDatabase();
  gate = gatedDatabase(database);
  // The parent page: its own origin, one iframe, and a log of the messages it receives.
  // `?src=` frames another URL (a path of the host, or a full URL) than the dashboard's.
  parent = createServer((req, res) => {
    const src = new URL(req.url ?? '/', 'http://parent.test').searchParams.get('src');
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(
      `<!doctype html><body><script>window.received = []; addEventListener('message', (e) => received.push({ origin: e.origin, data: e.data }));</script>` +
        `<iframe style="width:900px;height:200px;border:0" src="${src ? new URL(src, served.origin).href : iframeSrc}"></iframe></body>`,
    );
  });
  parentPort = (await listenLocal(parent)).port;
  served = await serveHost({ database: gate.database, frameAncestors: [`http://127.0.0.1:${parentPort}`] });
  token = await signToken({ now: Date.now }, { dashboard: OVERVIEW, env: { ACCT_ID: '7' } });
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

/** Waits until the parent page has received `chartio:ready` for `token` (more than `seen` of them). */
async function readyFor(page: Page, token: string, seen = 0): Promise<void> {
  await page.waitForFunction(
    ([token, seen]) =>
      (window as unknown as { received: { data: { type: string; token?: string } }[] }).received.filter((message) => message.data.type === 'chartio:ready' && message.data.token === token).length > seen,
    [token, seen] as const,
  );
}

/** How many `chartio:ready` messages for `token` the parent page has received so far. */
async function readiesOf(page: Page, token: string): Promise<number> {
  return page.evaluate(
    (token) => (window as unknown as { received: { data: { type: string; token?: string } }[] }).received.filter((message) => message.data.type === 'chartio:ready' && message.data.token === token).length,
    token,
  );
}

/** Posts `chartio:token` from the parent page to the dashboard frame, at the host's origin. */
async function postToken(page: Page, token: string): Promise<void> {
  await page.evaluate(([origin, token]) => window.frames[0]!.postMessage({ type: 'chartio:token', version: 1, token }, origin!), [served.origin, token] as const);
}

/** Waits until the parent page has received `count` messages, and returns them. */
async function messages(page: Page, count: number): Promise<{ origin: string; data: Record<string, unknown> }[]> {
  await page.waitForFunction((count) => (window as unknown as { received: unknown[] }).received.length >= count, count);
  return page.evaluate(() => (window as unknown as { received: { origin: string; data: Record<string, unknown> }[] }).received);
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
  const drawn = await frame.evaluate(() => [...document.querySelectorAll('.chart-svg')].map((box) => [...box.querySelectorAll('svg')].some((svg) => svg.getBoundingClientRect().width > 0)));
  assert.deepEqual(drawn, [true, true], 'the line and the bar chart are drawn');

  const received = await messages(page, 2);
  // Ready first (the page is drawn), with the token from the frame's URL and when its data was read; then its height.
  const dataTime = received[0]!.data.dataTime as string;
  assert.ok(Math.abs(Date.now() - Date.parse(dataTime)) < 60_000, `dataTime ${dataTime}`);
  assert.deepEqual(received[0], { origin: served.origin, data: { type: 'chartio:ready', version: 1, dashboard: OVERVIEW, token, dataTime } });
  assert.equal(received[1]!.origin, served.origin);
  assert.equal(received[1]!.data.type, 'chartio:height');
  assert.equal(received[1]!.data.version, 1);
  assert.ok((received[1]!.data.height as number) > 500, `height ${received[1]!.data.height}`);
  assert.deepEqual(errors, [], 'no CSP violation or script error');
  await page.close();
});

test('every error page posts chartio:error with the host\'s code and status, under the CSP', async () => {
  const foreign = await signToken({ now: Date.now }, { dashboard: OVERVIEW, env: { ACCT_ID: '7' }, secret: OTHER_SECRET });
  const expired = await signToken({ now: () => Date.now() - 3_600_000 }, { dashboard: OVERVIEW, env: { ACCT_ID: '7' }, ttl: 60 });
  const refused = 'This dashboard can’t be shown.';
  const cases: Array<[string, string, number, string]> = [
    [dashboardPath(OVERVIEW, foreign), 'token_signature', 401, refused],
    [dashboardPath(OVERVIEW, expired), 'token_expired', 401, 'This dashboard’s link has expired. Reload the page to see it again.'],
    [`/d/${OVERVIEW}/`, 'token_missing', 401, refused],
    [dashboardPath(PRODUCT_MIX, token), 'token_dashboard', 403, refused],
    ['/d/999/?embed_token=x', 'not_found', 404, refused],
  ];
  for (const [path, code, status, sentence] of cases) {
    const { page, errors } = await openParent(`http://127.0.0.1:${parentPort}/?src=${encodeURIComponent(path)}`);
    const [message] = await messages(page, 1);
    assert.deepEqual(message, { origin: served.origin, data: { type: 'chartio:error', version: 1, code, status, retryable: false } }, path);
    const frame = await dashboardFrame(page);
    // The viewer's sentence first; the rule in small print.
    assert.equal(await frame.locator('main.error h1').innerText(), sentence);
    assert.match(await frame.locator('main.error .note').innerText(), new RegExp(`Rule: ${code} \\(HTTP ${status}\\)`));
    // (Chromium logs the error status itself as a failed resource: that is the page's answer.)
    assert.deepEqual(errors.filter((error) => !error.startsWith('Failed to load resource')), [], `${code}: no CSP violation or script error`);
    await page.close();
  }
});

test('a dashboard whose run failed as a whole posts a retryable chartio:error', async () => {
  // A run that fails as a whole (not one chart: rendering itself throws), after Loading was sent.
  const definition = (await loadDashboardFiles(DEMO_DASHBOARDS)).find((candidate) => candidate.id === OVERVIEW)!;
  const charts = Object.assign([...definition.charts], {
    map: () => {
      throw new Error('the run failed as a whole');
    },
  });
  const failing = await serveHost({ database, dashboards: [{ ...definition, charts }], frameAncestors: [`http://127.0.0.1:${parentPort}`] });
  try {
    const { page, errors } = await openParent(`http://127.0.0.1:${parentPort}/?src=${encodeURIComponent(failing.origin + dashboardPath(OVERVIEW, token))}`);
    const [message] = await messages(page, 1);
    assert.deepEqual(message, { origin: failing.origin, data: { type: 'chartio:error', version: 1, code: 'internal_error', status: 500, retryable: true } });
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    await failing.close();
  }
});

test('a token posted by the parent is shown in place: Loading over the charts once the data is late, then the new numbers, no navigation', async () => {
  gate.release();
  const first = await signToken({ now: Date.now }, { dashboard: OVERVIEW, env: { ACCT_ID: '11' } });
  const second = await signToken({ now: Date.now }, { dashboard: OVERVIEW, env: { ACCT_ID: '12' } });
  const { page, errors } = await openParent(`http://127.0.0.1:${parentPort}/?src=${encodeURIComponent(dashboardPath(OVERVIEW, first))}`);
  await readyFor(page, first);
  const frame = await dashboardFrame(page);
  // The page's timers from here on are the test's to run (its Loading delay among them), and its
  // fetch says when it starts. A navigation would lose all of this, and the marker.
  await frame.evaluate(() => {
    const state = window as unknown as { marker: string; timers: Map<number, { run(): void; ms: number }>; fetches: number };
    state.marker = 'the same document';
    state.timers = new Map();
    state.fetches = 0;
    let id = 0;
    window.setTimeout = ((run: () => void, ms: number) => (state.timers.set(++id, { run, ms }), id)) as typeof setTimeout;
    window.clearTimeout = ((handle: number) => state.timers.delete(handle)) as typeof clearTimeout;
    const real = window.fetch;
    window.fetch = (...args) => (state.fetches++, real(...args));
  });
  // (The Loading delay's timers; "Updated … ago" keeps its own, every 10 s or minute.)
  const pending = () => frame.evaluate((delay) => [...(window as unknown as { timers: Map<number, { ms: number }> }).timers.values()].map((timer) => timer.ms).filter((ms) => ms === delay), UPDATING_DELAY_MS);

  // A new token, whose queries are held: the page asks for its data and plans Loading.
  gate.rearm();
  await postToken(page, second);
  await frame.waitForFunction(() => (window as unknown as { fetches: number }).fetches === 1);
  assert.deepEqual(await pending(), [UPDATING_DELAY_MS]);
  assert.equal(await frame.$('#chartio-updating'), null, 'no Loading before the delay');
  // The delay passes with the data still out: Loading shows over the charts, the old ones under it.
  const before = await frame.locator('main').innerText();
  await frame.evaluate(() => [...(window as unknown as { timers: Map<number, { run(): void }> }).timers.values()].forEach((timer) => timer.run()));
  const updating = frame.locator('#chartio-updating');
  assert.equal(await updating.innerText(), 'Loading…');
  assert.equal(await updating.getAttribute('role'), 'status');
  assert.equal(await frame.locator('main').getAttribute('aria-busy'), 'true');
  assert.match(before, /Completed orders/);

  gate.release();
  await readyFor(page, second);
  assert.equal(await frame.$('#chartio-updating'), null, 'Loading removed');
  assert.equal(await frame.locator('main').getAttribute('aria-busy'), null);
  // What loading the token's URL shows, and the other account's numbers.
  const expected = (await served.get(dashboardPath(OVERVIEW, second))).text;
  // (The tooltip the page may have added, the "Download image" buttons it adds beside each CSV
  // button and the "Updated … ago" line it adds under the title aside, the same markup: the host
  // drew the charts.)
  const shown = await frame.evaluate(() => {
    const main = document.querySelector('main')!.cloneNode(true) as HTMLElement;
    for (const added of main.querySelectorAll('.image-download, #chartio-updated')) added.remove();
    return main.outerHTML;
  });
  const parsed = await frame.evaluate((html) => Object.assign(document.createElement('template'), { innerHTML: html }).content.firstElementChild!.outerHTML, expected.slice(expected.indexOf('<main>'), expected.indexOf('</main>') + 7));
  assert.equal(shown, parsed);
  assert.notEqual(await frame.locator('main').innerText(), before);
  assert.equal(new URL(frame.url()).searchParams.get('embed_token'), second, 'the page names the token it shows');
  const redrawn = await frame.evaluate(() => [...document.querySelectorAll('.chart-svg')].map((box) => [...box.querySelectorAll('svg')].some((svg) => svg.getBoundingClientRect().width > 0)));
  assert.deepEqual(redrawn, [true, true], 'the charts are drawn for the new token');

  // A cached token: its data is back before the delay is up, so Loading never shows.
  // The frame's first load posted ready for this token already: wait for the next one.
  const readies = await readiesOf(page, first);
  await postToken(page, first);
  await readyFor(page, first, readies);
  assert.deepEqual(await pending(), [], 'the delay was cleared, never run');
  assert.equal(await frame.evaluate(() => (window as unknown as { fetches: number }).fetches), 2);
  assert.equal(await frame.evaluate(() => (window as unknown as { marker?: string }).marker), 'the same document', 'the frame never navigated');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the page answers a token it cannot show with chartio:error for that token, and keeps its dashboard', async () => {
  gate.release();
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${parentPort}/?src=${encodeURIComponent(dashboardPath(OVERVIEW, token))}`);
  await readyFor(page, token);
  const frame = await dashboardFrame(page);
  const before = await frame.locator('main').innerText();
  const foreign = await signToken({ now: Date.now }, { dashboard: OVERVIEW, env: { ACCT_ID: '7' }, secret: OTHER_SECRET });
  const otherDashboard = await signToken({ now: Date.now }, { dashboard: PRODUCT_MIX, env: { ACCT_ID: '7' } });
  for (const [forged, code, status] of [[foreign, 'token_signature', 401], [otherDashboard, 'token_dashboard', 403]] as const) {
    await postToken(page, forged);
    const answer = await page.waitForFunction(
      (forged) => (window as unknown as { received: { data: { type: string; token?: string } }[] }).received.find((message) => message.data.type === 'chartio:error' && message.data.token === forged)?.data,
      forged,
    );
    assert.deepEqual(await answer.jsonValue(), { type: 'chartio:error', version: 1, code, status, retryable: false, token: forged });
    assert.equal(await frame.locator('main').innerText(), before);
  }
  // Another version of the protocol is not taken in place either.
  await page.evaluate(([origin, token]) => window.frames[0]!.postMessage({ type: 'chartio:token', version: 2, token }, origin!), [served.origin, token] as const);
  await page.waitForFunction(() => (window as unknown as { received: { data: { code?: string } }[] }).received.some((message) => message.data.code === 'in_place_unsupported'));
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
