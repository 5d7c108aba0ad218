/**
 * Themes and locale, chosen by the embedding page, in real Chromium under the host's CSP, with the
 * dashboard framed by a parent page on another origin: the frame URL's fragment gives the first
 * paint its theme, accent and font, and keeps the charts hidden until their numbers are in the
 * locale; a `chartio:appearance` message from the parent restyles everything in place (colours,
 * fonts, number and date texts, the charts) with zero requests and zero query runs; `auto`
 * follows the system's scheme as it changes; an in-place update keeps the locale; messages from
 * another window or origin, and values the page cannot use, change nothing.
 * Run: node --import tsx --test test/host/page-appearance.test.ts
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/browsers.mjs';
import type { DataSource } from '../../src/host/index.js';
import { formatKeyed } from '../../src/host/page/format-value.js';
import { dashboardPath, gatedDatabase, openDemoDatabase, OVERVIEW, serveHost, signToken, type ServedHost } from './helpers/host-fixtures.js';
import { listenLocal } from '../launchers/listen-local.js';

let database: DataSource;
let gate: ReturnType<typeof gatedDatabase>;
let served: ServedHost;
let parent: Server;
let parentPort = 0;
let browser: Browser;

const LIGHT_BACKGROUND = 'rgb(255, 255, 255)';
const DARK_BACKGROUND = 'rgb(17, 24, 39)';

before(async () => {
  database = await openDemoDatabase();
  gate = gatedDatabase(database);
  gate.release();
  // The parent page: one iframe (`?src=`, a path of the host), and a log of the messages it gets.
  parent = createServer((req, res) => {
    const src = new URL(req.url ?? '/', 'http://parent.test').searchParams.get('src') ?? '/';
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(
      `<!doctype html><body><script>window.received = []; addEventListener('message', (e) => received.push(e.data));</script>` +
        `<iframe style="width:900px;height:600px;border:0" src="${new URL(src, served.origin).href}"></iframe></body>`,
    );
  });
  parentPort = (await listenLocal(parent)).port;
  // The parent may frame the dashboard under both its names, but only 127.0.0.1 is a parent origin.
  served = await serveHost({ database: gate.database, frameAncestors: [`http://127.0.0.1:${parentPort}`, `http://localhost:${parentPort}`], parentOrigins: [`http://127.0.0.1:${parentPort}`] });
  browser = await chromium.launch({ executablePath: findChromium() ?? 'chromium (set CHROME_PATH)', args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  parent?.close();
  await served?.close();
  await database?.close();
});

/** Opens the parent page framing `path` (under `host`: 127.0.0.1, or localhost for a foreign origin). */
async function openParent(path: string, options: { colorScheme?: 'light' | 'dark'; host?: string; init?: string } = {}): Promise<{ page: Page; frame: Frame; errors: string[]; requests: string[] }> {
  const page = await browser.newPage({ colorScheme: options.colorScheme ?? 'light' });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => message.type() === 'error' && !message.text().startsWith('Failed to load resource') && errors.push(message.text()));
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('request', (request) => requests.push(request.url()));
  if (options.init) await page.addInitScript(options.init);
  await page.goto(`http://${options.host ?? '127.0.0.1'}:${parentPort}/?src=${encodeURIComponent(path)}`, { waitUntil: 'commit' });
  const isDashboard = (candidate: Frame) => candidate.url().startsWith(served.origin);
  const frame = page.frames().find(isDashboard) ?? (await page.waitForEvent('framenavigated', { predicate: isDashboard }));
  return { page, frame, errors, requests };
}

async function ready(page: Page): Promise<void> {
  await page.waitForFunction(() => (window as unknown as { received: { type: string }[] }).received.some((message) => message.type === 'chartio:ready'));
}

/** Posts a look from the parent page to the dashboard frame, at the host's origin. */
async function appear(page: Page, look: Record<string, string>): Promise<void> {
  await page.evaluate(([origin, look]) => window.frames[0]!.postMessage({ type: 'chartio:appearance', version: 1, ...look }, origin), [served.origin, look] as const);
}

/** What the viewer sees of the page's look: colours, font, the number texts, the charts' styles. */
function lookOf(frame: Frame) {
  return frame.evaluate(() => {
    const root = document.documentElement;
    // The drawing on show of each drawn chart (the host's SVG for the frame's width).
    const charts = [...document.querySelectorAll('.chart-svg')].map((box) => [...box.children].find((child) => child.getClientRects().length > 0 && child.matches('[data-points]'))!);

    return {
      theme: root.dataset.theme,
      background: getComputedStyle(root).backgroundColor,
      color: getComputedStyle(root).color,
      font: getComputedStyle(root).fontFamily,
      locale: (document.querySelector('.charts') as HTMLElement | null)?.dataset.locale,
      numbers: [...document.querySelectorAll('[data-value][data-format]')].slice(0, 40).map((element) => ({ key: (element as HTMLElement).dataset.format!, raw: (element as HTMLElement).dataset.value!, text: element.textContent! })),
      series: charts.map((drawing) => {
        const shape = drawing.querySelector('[stroke="var(--series)"], [fill="var(--series)"]')!;
        return shape.getAttribute('stroke') === 'var(--series)' ? getComputedStyle(shape).stroke : getComputedStyle(shape).fill;
      }),
      tickColors: charts.map((drawing) => getComputedStyle(drawing.querySelector('text')!).fill),
      ticks: charts.map((drawing) => [...drawing.querySelectorAll('text[data-format]:not([data-format^="date"])')].map((text) => text.textContent!)),
    };
  });
}

const spaces = (text: string) => text.replace(/\s/g, ' ');

test('the frame URL\'s fragment gives the first paint its theme and font, and the numbers are never shown in en-US', async () => {
  gate.rearm();
  const token = await signToken({ now: Date.now }, { dashboard: OVERVIEW, env: { ACCT_ID: '21' } });
  // Records, in the frame, the charts as the parser first inserts them: hidden, and in which text.
  const init = `new MutationObserver((records, observer) => {
    const charts = document.querySelector('.charts');
    if (!charts) return;
    observer.disconnect();
    window.firstCharts = { visibility: getComputedStyle(charts).visibility, reformat: document.documentElement.dataset.reformat };
  }).observe(document, { childList: true, subtree: true });`;
  const fragment = `#theme=dark&locale=de-DE&accent=${encodeURIComponent('#e8590c')}&font=${encodeURIComponent('Georgia, serif')}`;
  const { page, frame, errors, requests } = await openParent(dashboardPath(OVERVIEW, token) + fragment, { init });
  // While the queries run, Loading is already in the chosen look.
  await frame.waitForSelector('#chartio-loading');
  const loading = await frame.evaluate(() => ({ background: getComputedStyle(document.documentElement).backgroundColor, font: getComputedStyle(document.documentElement).fontFamily, reformat: document.documentElement.dataset.reformat }));
  assert.deepEqual(loading, { background: DARK_BACKGROUND, font: 'Georgia, serif', reformat: 'de-DE' });
  gate.release();
  await ready(page);
  assert.deepEqual(await frame.evaluate(() => (window as unknown as { firstCharts: unknown }).firstCharts), { visibility: 'hidden', reformat: 'de-DE' }, 'hidden while still in en-US');
  const look = await lookOf(frame);
  assert.equal(look.theme, 'dark');
  assert.equal(look.locale, 'de-DE');
  assert.equal(await frame.evaluate(() => 'reformat' in document.documentElement.dataset), false, 'shown once re-formatted');
  for (const { key, raw, text } of look.numbers) assert.equal(spaces(text), spaces(formatKeyed(key, raw, 'de-DE')), `${key} ${raw}`);
  assert.deepEqual(look.series, ['rgb(232, 89, 12)', 'rgb(232, 89, 12)'], 'the accent leads each chart');
  assert.match(look.ticks[0]![1]!, /^[\d.]+\s\$$/, 'the revenue axis in de-DE: "10.000 $"');
  assert.deepEqual(errors, []);
  assert.deepEqual(requests.filter((url) => url.includes('#')), [], 'the fragment never reaches a server');
  await page.close();
});

test('chartio:appearance restyles the page in place: colours, font, texts and charts; zero requests, zero query runs', async () => {
  const token = await signToken({ now: Date.now }, { dashboard: OVERVIEW, env: { ACCT_ID: '22' } });
  const { page, frame, errors, requests } = await openParent(dashboardPath(OVERVIEW, token));
  await ready(page);
  await frame.waitForLoadState('load');
  const light = await lookOf(frame);
  assert.equal(light.background, LIGHT_BACKGROUND);
  assert.equal(light.locale, 'en-US');
  const asked = requests.length;
  const stats = served.host.stats();

  await appear(page, { theme: 'dark', locale: 'de-DE', accent: 'rebeccapurple', font: 'Georgia, serif' });
  await frame.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
  const dark = await lookOf(frame);
  assert.equal(dark.background, DARK_BACKGROUND);
  assert.notEqual(dark.color, light.color);
  assert.equal(dark.font, 'Georgia, serif');
  assert.equal(dark.locale, 'de-DE');
  for (const { key, raw, text } of dark.numbers) assert.equal(spaces(text), spaces(formatKeyed(key, raw, 'de-DE')), `${key} ${raw}`);
  assert.notDeepEqual(dark.numbers.map((cell) => cell.text), light.numbers.map((cell) => cell.text));
  assert.deepEqual(dark.series, ['rgb(102, 51, 153)', 'rgb(102, 51, 153)']);
  assert.notDeepEqual(dark.tickColors, light.tickColors);
  assert.notDeepEqual(dark.ticks, light.ticks, 'the axes in de-DE too');

  // The whole look each time: an empty one is the page's own again, exactly as it was.
  await appear(page, {});
  await frame.waitForFunction(() => document.documentElement.dataset.theme === 'light');
  assert.deepEqual(await lookOf(frame), light);

  assert.equal(requests.length, asked, 'not one request: no token, no data, no query');
  const now = served.host.stats();
  assert.equal(now.queryRuns, stats.queryRuns, 'no query run');
  assert.equal(now.hits + now.misses, stats.hits + stats.misses, 'nothing asked of the host');
  assert.deepEqual(errors, []);
  await page.close();
});

test('auto follows the system\'s colour scheme as it changes, charts included', async () => {
  const token = await signToken({ now: Date.now }, { dashboard: OVERVIEW, env: { ACCT_ID: '23' } });
  const { page, frame } = await openParent(`${dashboardPath(OVERVIEW, token)}#theme=auto`, { colorScheme: 'dark' });
  await ready(page);
  const dark = await lookOf(frame);
  assert.equal(dark.background, DARK_BACKGROUND);
  await page.emulateMedia({ colorScheme: 'light' });
  await frame.waitForFunction(() => getComputedStyle(document.documentElement).backgroundColor === 'rgb(255, 255, 255)');
  assert.notEqual((await lookOf(frame)).tickColors[0], dark.tickColors[0], 'the drawings\' text in the light theme');
  assert.equal((await lookOf(frame)).series[0], 'rgb(37, 99, 235)', 'the light theme\'s accent');
  await page.close();
});

test('an update in place keeps the locale; looks from another window or origin, and values the page cannot use, change nothing', async () => {
  const first = await signToken({ now: Date.now }, { dashboard: OVERVIEW, env: { ACCT_ID: '24' } });
  const second = await signToken({ now: Date.now }, { dashboard: OVERVIEW, env: { ACCT_ID: '25' } });
  const { page, frame } = await openParent(`${dashboardPath(OVERVIEW, first)}#locale=fr-FR`);
  await ready(page);
  await page.evaluate(([origin, token]) => window.frames[0]!.postMessage({ type: 'chartio:token', version: 1, token }, origin), [served.origin, second] as const);
  await frame.waitForFunction((token) => new URL(location.href).searchParams.get('embed_token') === token, second);
  const updated = await lookOf(frame);
  assert.equal(updated.locale, 'fr-FR');
  for (const { key, raw, text } of updated.numbers) assert.equal(spaces(text), spaces(formatKeyed(key, raw, 'fr-FR')), `${key} ${raw}`);

  // The page posting to itself is not its parent.
  await frame.evaluate(() => postMessage({ type: 'chartio:appearance', version: 1, theme: 'dark' }, '*'));
  // Values the page cannot use: an unknown theme is light, a colour or font CSS refuses is left out, an invalid locale is en-US.
  await appear(page, { theme: 'neon', accent: 'url(javascript:alert(1))', font: '}', locale: 'not a locale!' });
  await frame.waitForFunction(() => document.querySelector('.charts')?.getAttribute('data-locale') === 'en-US');
  const refused = await lookOf(frame);
  assert.equal(refused.theme, 'light');
  assert.deepEqual(refused.series, ['rgb(37, 99, 235)', 'rgb(37, 99, 235)']);
  assert.equal(await frame.evaluate(() => document.documentElement.getAttribute('style')), null, 'no accent or font set');
  await page.close();

  // A parent the host frames but does not list as a parent origin: its looks are ignored.
  const foreign = await openParent(dashboardPath(OVERVIEW, first), { host: 'localhost' });
  await foreign.frame.waitForSelector('main h1');
  await foreign.frame.waitForLoadState('load');
  // A listener added after the page's own hears the message after it: by then the page has done
  // with it whatever it does (applying a look is synchronous).
  await foreign.frame.evaluate(() => {
    (window as unknown as { heard: Promise<unknown> }).heard = new Promise((resolve) => addEventListener('message', (event) => event.data?.type === 'chartio:appearance' && resolve(event.origin)));
  });
  await appear(foreign.page, { theme: 'dark' });
  assert.equal(await foreign.frame.evaluate(() => (window as unknown as { heard: Promise<unknown> }).heard), `http://localhost:${parentPort}`);
  assert.equal((await lookOf(foreign.frame)).theme, 'light');
  await foreign.page.close();
});
