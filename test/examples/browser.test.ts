/**
 * Each example as the complete mini app it is, in Debian's Chromium (playwright-core): the
 * example serves the page and its token endpoint (same origin); the page's `<chartio-embed>`
 * gets a token from it and frames the real dashboard host (`createDashboardHost` over the demo
 * DuckDB database) on another origin, which verifies the token with the project's verifier and
 * runs the queries with its Hidden Variables. Checked: ACCT_ID comes from the session the page
 * set, filters from the element's attributes reach the token and the numbers, and an ACCT_ID the
 * browser sends is refused with 400 filter_locked. No sleeps: every wait is for a real event.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Frame, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/browsers.mjs';
import { bundleElement } from '../../demo/element-bundle.js';
import { createDashboardHost, loadDashboardFiles, type DashboardDefinition, type DashboardHost, type DataSource } from '../../src/host/index.js';
import { toNodeHandler } from '../../src/server/index.js';
import { verifyEmbedToken } from '../../src/server/verify.js';
import { DEMO_DASHBOARDS, OVERVIEW, formatted, openDemoDatabase } from '../host/helpers/host-fixtures.js';
import { ORGANIZATION, SECRET } from '../server/helpers/endpoint-fixtures.js';
import { LANGUAGES, startExample, type RunningExample } from './helpers/example-process.js';
import { exampleEnv } from './helpers/example-targets.js';
import { listenLocal } from '../launchers/listen-local.js';

/** The account the example signs a new visitor in as: ACCT_ID must be this, from the session. */
const ACCOUNT = '7';
const RANGE = ['2015-01-01', '2015-06-30'];

let browser: Browser;
let database: DataSource;
let dashboards: DashboardDefinition[];
let bundleDir: string;
let bundlePath: string;

before(async () => {
  bundleDir = await mkdtemp(join(tmpdir(), 'chartio-embed-examples-'));
  bundlePath = join(bundleDir, 'chartio-embed.js');
  const [code, db, definitions, launched] = await Promise.all([
    bundleElement(),
    openDemoDatabase(),
    loadDashboardFiles(DEMO_DASHBOARDS),
    // npm test checks for Chromium before any test runs: a missing one fails here, never skips.
    chromium.launch({ executablePath: findChromium() ?? 'chromium (set CHROME_PATH)', args: CHROMIUM_ARGS }),
  ]);
  await writeFile(bundlePath, code);
  database = db;
  dashboards = definitions;
  browser = launched;
});

after(async () => {
  await browser?.close();
  await database?.close();
  if (bundleDir) await rm(bundleDir, { recursive: true, force: true });
});

/** What the element fired, recorded in the page from its first script on. */
interface EmbedEvent {
  type: 'chartio-token' | 'chartio-load' | 'chartio-error';
  detail: { phase?: string; status?: number; code?: string } | null;
  /** The src of the frame on show when the event fired. */
  src: string | null;
}

function recordEvents(): void {
  const events: EmbedEvent[] = [];
  (window as unknown as { embedEvents: EmbedEvent[] }).embedEvents = events;
  for (const type of ['chartio-token', 'chartio-load', 'chartio-error'] as const) {
    document.addEventListener(type, (event) => {
      const frame = (event.target as Element).shadowRoot?.querySelector<HTMLIFrameElement>('iframe:not(.next)');
      events.push({ type, detail: (event as CustomEvent).detail as EmbedEvent['detail'], src: frame?.src ?? null });
    });
  }
}

/** Waits until the element has fired `type` `count` times, and returns that event. */
async function nthEvent(page: Page, type: EmbedEvent['type'], count: number): Promise<EmbedEvent> {
  const handle = await page.waitForFunction(
    ([wanted, n]) => (window as unknown as { embedEvents: EmbedEvent[] }).embedEvents.filter((event) => event.type === wanted)[Number(n) - 1],
    [type, count] as const,
  );
  return (await handle.jsonValue()) as EmbedEvent;
}

/**
 * The dashboard frame on show once a load event came, with its token's claims checked by the real
 * verifier. The token is read from the URL the frame shows: a filter change shown in place keeps
 * the iframe's src, and its page names the new token (history.replaceState).
 */
async function shownDashboard(page: Page, load: EmbedEvent): Promise<{ frame: Frame; env: Record<string, unknown>; origin: string }> {
  assert.equal(load.type, 'chartio-load');
  // Playwright's CSS selectors pierce the element's shadow root.
  const frame = await (await page.$('chartio-embed iframe:not(.next)'))?.contentFrame();
  assert.ok(frame, 'a dashboard frame is on show');
  const src = new URL(frame.url());
  const claims = await verifyEmbedToken(src.searchParams.get('embed_token') ?? '', { secret: SECRET, organization: ORGANIZATION, dashboard: OVERVIEW });
  return { frame, env: { ...claims.env }, origin: src.origin };
}

/** The "Completed orders" number as the dashboard shows it. */
function completedOrders(frame: Frame): Promise<string> {
  return frame.locator('figure.chart-number', { has: frame.locator('h2', { hasText: 'Completed orders' }) }).locator('.value').innerText();
}

/** The same number straight from the database, formatted like the host formats it. */
async function expectedCompletedOrders(filter: { user?: string; range?: string[] } = {}): Promise<string> {
  const { rows } = await database.query(
    `SELECT count(*) FROM orders WHERE account_id = TRY_CAST($ACCT AS INTEGER) AND status = 'completed'
       AND ($FROM IS NULL OR ordered_on >= $FROM) AND ($TO IS NULL OR ordered_on <= $TO)
       AND ($USER IS NULL OR user_id = TRY_CAST($USER AS INTEGER))`,
    {
      ACCT: { type: 'text', value: ACCOUNT },
      FROM: { type: 'date', value: filter.range?.[0] ?? null },
      TO: { type: 'date', value: filter.range?.[1] ?? null },
      USER: { type: 'text', value: filter.user ?? null },
    },
  );
  return formatted(Number(rows[0]?.[0]));
}

for (const language of LANGUAGES) {
  describe(`<chartio-embed> on the ${language} example's own page`, () => {
    let example: RunningExample;
    let hostServer: Server;
    let host: DashboardHost;
    let hostOrigin: string;
    let context: BrowserContext;

    before(async () => {
      // The host listens first so its origin is known; it is configured once the example's
      // origin (the only one allowed to frame it) is known too.
      hostServer = createServer();
      hostOrigin = (await listenLocal(hostServer)).origin;
      example = await startExample(language, {
        ...exampleEnv(),
        CHARTIO_DASHBOARDS: dashboards.map((dashboard) => dashboard.id).join(','),
        CHARTIO_BASE_URL: `${hostOrigin}/d/{dashboard}`,
        CHARTIO_ELEMENT_JS: bundlePath,
        DEMO_ACCOUNT: ACCOUNT,
        DEMO_SESSIONS: '',
      });
      host = createDashboardHost({ organization: ORGANIZATION, secret: SECRET, dashboards, database, frameAncestors: [example.origin], log: () => {} });
      hostServer.on('request', toNodeHandler(host));
      context = await browser.newContext();
      await context.addInitScript(recordEvents);
    });

    after(async () => {
      await context?.close();
      await example?.stop();
      hostServer?.closeAllConnections();
      hostServer?.close();
      await host?.close();
    });

    test('shows the dashboard for the session\'s account, then with the filters the element sets; refuses a browser ACCT_ID', async () => {
      const page = await context.newPage();
      const uncaught: Error[] = [];
      page.on('pageerror', (error) => uncaught.push(error));
      await page.goto(`${example.origin}/`);

      // The session: an HttpOnly cookie the page's script cannot read.
      assert.equal(await page.evaluate(() => document.cookie), '');
      assert.ok((await context.cookies()).some((cookie) => cookie.name === 'session' && cookie.httpOnly));

      // First load: no filters, ACCT_ID from the session, from the dashboard host's origin.
      const first = await shownDashboard(page, await nthEvent(page, 'chartio-load', 1));
      assert.equal(first.origin, hostOrigin);
      assert.notEqual(first.origin, example.origin);
      assert.deepEqual(first.env, { ACCT_ID: ACCOUNT });
      assert.equal(await first.frame.locator('main h1').innerText(), 'Account overview');
      assert.equal(await completedOrders(first.frame), await expectedCompletedOrders());

      // Filters from the element's attributes: a user of the account and a date range.
      const { rows } = await database.query('SELECT min(user_id) FROM users WHERE account_id = TRY_CAST($ACCT AS INTEGER)', {
        ACCT: { type: 'text', value: ACCOUNT },
      });
      const user = String(rows[0]?.[0]);
      await page.evaluate(([userId, range]) => {
        const element = document.querySelector('chartio-embed')!;
        element.setAttribute('filter-user-id', userId);
        element.setAttribute('filter-date-range', range);
      }, [user, JSON.stringify(RANGE)] as const);
      const second = await shownDashboard(page, await nthEvent(page, 'chartio-load', 2));
      assert.deepEqual(second.env, { ACCT_ID: ACCOUNT, DATE_RANGE: RANGE, USER_ID: user });
      assert.equal(await completedOrders(second.frame), await expectedCompletedOrders({ user, range: RANGE }));

      // A browser that tries to choose the account is refused by the example's endpoint.
      await page.evaluate(() => document.querySelector('chartio-embed')!.setAttribute('filter-acct-id', '9'));
      const refused = await nthEvent(page, 'chartio-error', 1);
      assert.deepEqual(refused.detail && { phase: refused.detail.phase, status: refused.detail.status, code: refused.detail.code }, {
        phase: 'token',
        status: 400,
        code: 'filter_locked',
      });
      assert.equal((await page.evaluate(() => (window as unknown as { embedEvents: EmbedEvent[] }).embedEvents.filter((e) => e.type === 'chartio-load').length)), 2);
      assert.deepEqual(uncaught, []);
      await page.close();
    });
  });
}
