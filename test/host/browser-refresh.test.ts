/**
 * Fresh data in a real Chromium, over a real DuckDB the test writes to: the element's
 * `refresh()` path (`chartio:token` with `fresh`) shows a row inserted a second before, and a
 * page shown past its max age swaps in the host's background run's data by itself, each time
 * posting `chartio:ready` with the data's time and saying "Updated … ago".
 * @module
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { createDuckDbDataSource, parseDashboardDefinition, type DataSource } from '../../src/host/index.js';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/browsers.mjs';
import { gatedDatabase, manualClock, serveHost, signToken, type ServedHost } from './helpers/host-fixtures.js';
import { listenLocal } from '../launchers/listen-local.js';

const INVOICES = 502;
const MAX_AGE = 60;
let database: DataSource;
/** The host's queries go through it: open, except where a test holds the background run. */
let gate: ReturnType<typeof gatedDatabase>;
let served: ServedHost;
let parent: Server;
let parentOrigin = '';
let browser: Browser;
// The host's clock starts two minutes behind the browser's: a page it has just made is past its
// max age for the browser as soon as the host's own clock has moved past it too.
const clock = manualClock(Date.now() - 120_000);

before(async () => {
  database = await createDuckDbDataSource({ setup: ['CREATE TABLE invoices (account_id INTEGER, amount DOUBLE)'] });
  parent = createServer((req, res) => {
    const src = new URL(req.url ?? '/', 'http://parent.test').searchParams.get('src')!;
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(
      `<!doctype html><body><script>window.received = []; addEventListener('message', (e) => received.push(e.data));</script>` +
        `<iframe style="width:900px;height:300px;border:0" src="${new URL(src, served.origin).href}"></iframe></body>`,
    );
  });
  parentOrigin = `http://127.0.0.1:${(await listenLocal(parent)).port}`;
  const dashboard = parseDashboardDefinition(
    {
      id: INVOICES,
      title: 'Invoices',
      maxAge: MAX_AGE,
      variables: [{ name: 'ACCT_ID', kind: 'integer', required: true, everywhere: true }],
      charts: [{ title: 'Invoices', type: 'number', sql: 'SELECT count(*) AS invoices FROM invoices WHERE account_id = $ACCT_ID' }],
    },
    'invoices.json',
  );
  gate = gatedDatabase(database);
  gate.release();
  served = await serveHost({ database: gate.database, dashboards: [dashboard], frameAncestors: [parentOrigin], now: clock.now });
  browser = await chromium.launch({ executablePath: findChromium() ?? 'chromium (set CHROME_PATH)', args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  parent?.close();
  await served?.close();
  await database?.close();
});

async function insert(account: number, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await database.query(`INSERT INTO invoices VALUES (${account}, 10)`, {});
}

/** Opens the parent page framing `token`'s dashboard. */
async function open(token: string): Promise<{ page: Page; frame: Frame }> {
  const page = await browser.newPage();
  await page.goto(`${parentOrigin}/?src=${encodeURIComponent(`/d/${INVOICES}/?embed_token=${token}`)}`);
  await readies(page, 1);
  const frame = page.frames().find((candidate) => candidate.url().startsWith(served.origin))!;
  return { page, frame };
}

/** Waits for the parent to have received `count` `chartio:ready` messages, and returns them. */
async function readies(page: Page, count: number): Promise<{ token?: string; dataTime?: string }[]> {
  await page.waitForFunction((count) => (window as unknown as { received: { type: string }[] }).received.filter((m) => m.type === 'chartio:ready').length >= count, count);
  return page.evaluate(() => (window as unknown as { received: { type: string; token?: string; dataTime?: string }[] }).received.filter((m) => m.type === 'chartio:ready'));
}

const shownCount = (frame: Frame) => frame.locator('#chart-0 .value').getAttribute('data-value').then(Number);

test('refresh (chartio:token with fresh) shows a row inserted a second before, with its data time', async () => {
  await insert(1, 2);
  const token = await signToken(clock, { dashboard: INVOICES, env: { ACCT_ID: 1 }, ttl: 3600 });
  const { page, frame } = await open(token);
  assert.equal(await shownCount(frame), 2);
  const [first] = await readies(page, 1);
  assert.equal(first!.dataTime, new Date(clock.now()).toISOString());
  assert.match(await frame.locator('#chartio-updated').innerText(), /^Updated \d+ minutes? ago$/);

  await insert(1, 1);
  clock.advance(1_000);
  await page.evaluate(([origin, token]) => window.frames[0]!.postMessage({ type: 'chartio:token', version: 1, token, fresh: true }, origin!), [served.origin, token] as const);
  const [, refreshed] = await readies(page, 2);
  assert.equal(await shownCount(frame), 3, 'the row inserted a second before');
  assert.deepEqual(refreshed, { type: 'chartio:ready', version: 1, dashboard: INVOICES, token, dataTime: new Date(clock.now()).toISOString() });
  assert.equal(await frame.locator('#chartio-updated time').getAttribute('datetime'), refreshed!.dataTime);
  await page.close();
});

test('a page shown past its max age swaps in the background run\'s data by itself and posts ready again', async () => {
  await insert(2, 1);
  const token = await signToken(clock, { dashboard: INVOICES, env: { ACCT_ID: 2 }, ttl: 3600 });
  // The first run, then a row, then the host's clock past the page's max age.
  const runsBefore = served.host.stats().queryRuns;
  assert.equal((await served.get(`/d/${INVOICES}/?embed_token=${token}`)).status, 200);
  const firstRun = new Date(clock.now()).toISOString();
  await insert(2, 4);
  clock.advance((MAX_AGE + 1) * 1000);
  // The background run waits at the gate until the stale page has been read: on a busy machine it
  // could otherwise finish, and the page swap its data in, before the test reads what is shown.
  gate.rearm();
  const { page, frame } = await open(token);
  const [stale] = await readies(page, 1);
  assert.equal(stale!.dataTime, firstRun, 'the cached page is shown at once');
  assert.equal(await shownCount(frame), 1);
  await gate.held();
  gate.release();
  const [, fresh] = await readies(page, 2);
  assert.equal(fresh!.token, token);
  assert.equal(fresh!.dataTime, new Date(clock.now()).toISOString(), 'then the background run\'s data');
  assert.equal(await shownCount(frame), 5);
  assert.equal(served.host.stats().queryRuns - runsBefore, 2, 'one run for the first view, one in the background');
  await page.close();
});
