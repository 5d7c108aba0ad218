/**
 * The whole system as a user sees it: `npm start`'s demo (app page, token endpoint, dashboard
 * host on another origin, DuckDB) started on free ports and driven in Debian's Chromium.
 * Expected numbers come from independent SQL against the same database, not from the page.
 * Run: node --import tsx --test test/e2e/*.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import type { Browser, BrowserContext, Frame, Page, Response } from 'playwright-core';
import type { RunningDemo } from '../../demo/demo.js';
import { DEMO_ORGANIZATION } from '../../demo/demo.js';
import { loadAfter, numberChart, screenshot, SECRET, shownFrame, startAll } from './support.js';

const OVERVIEW = 38727;
const FULL_YEAR = ['2015-01-01', '2015-12-31'];
const SECOND_HALF = ['2015-07-01', '2015-12-31'];

let demo: RunningDemo;
let browser: Browser;
let faults: { tokenFailures: number };

before(async () => {
  ({ demo, browser, faults } = await startAll());
});

after(async () => {
  await browser?.close();
  await demo?.close();
});

/** "Completed orders" as the dashboard should show it, from SQL written here, not the host's. */
async function completedOrders(account: number, [from, to]: string[]): Promise<string> {
  const { rows } = await demo.database.query(
    `SELECT count(*) FROM orders WHERE account_id = ${account} AND status = 'completed' AND ordered_on BETWEEN DATE '${from}' AND DATE '${to}'`,
    {},
  );
  return new Intl.NumberFormat('en-US').format(Number(rows[0]![0]));
}

/** The claims inside the token of a dashboard frame's URL (readable by anyone: base64url). */
function claimsOf(frame: Frame): { dashboard: number; env: Record<string, unknown>; iat: number; exp: number } {
  const token = new URL(frame.url()).searchParams.get('embed_token')!;
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
}

/** Sets the app's date range the way a user does: new values, then `change`. */
async function setDateRange(page: Page, [from, to]: string[]): Promise<void> {
  await page.evaluate(
    ([from, to]) => {
      const fromInput = document.querySelector<HTMLInputElement>('#date-from')!;
      document.querySelector<HTMLInputElement>('#date-to')!.value = to!;
      fromInput.value = from!;
      fromInput.dispatchEvent(new Event('change'));
    },
    [from, to],
  );
}

/** Records the token endpoint's requests and the dashboard pages' bodies. */
function watch(page: Page): { tokenRequests: () => number; dashboardBodies: Promise<string>[] } {
  let tokenRequests = 0;
  const dashboardBodies: Promise<string>[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/embed-token') tokenRequests++;
  });
  page.on('response', (response: Response) => {
    if (response.url().startsWith(`${demo.dashboardUrl}/d/`)) dashboardBodies.push(response.text());
  });
  return { tokenRequests: () => tokenRequests, dashboardBodies };
}

/** Waits until the demo page reports the element's first `chartio-load`. */
async function firstLoad(page: Page): Promise<void> {
  await page.waitForFunction(() => document.getElementById('status')?.getAttribute('data-loaded') === 'true');
}

describe('the demo, end to end', () => {
  let context: BrowserContext;
  let page: Page;

  beforeEach(async () => {
    await context?.close();
    context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    page = await context.newPage();
  });
  after(() => context?.close());

  it('renders the dashboard with the signed-in account\'s data, Loading first for a new token', async () => {
    const { dashboardBodies } = watch(page);
    await page.goto(demo.appUrl);
    await firstLoad(page);
    const frame = shownFrame(page);
    assert.equal(await numberChart(frame, 'Completed orders'), await completedOrders(1, FULL_YEAR));
    assert.deepEqual(claimsOf(frame).env, { ACCT_ID: '1', DATE_RANGE: FULL_YEAR });
    // A brand-new token's page streams "Loading…" while the queries run (the seed's rule).
    assert.match(await dashboardBodies[0]!, /id="chartio-loading"[^>]*>Loading…/);
    // Tall enough for the whole auto-sized dashboard (a full-page capture does not repaint iframes).
    await page.setViewportSize({ width: 1200, height: 1450 });
    await screenshot(page, 'demo');
  });

  it('shows "Sales at a glance": every chart with data, the donut and the stacked bar side by side at 1,280 px', async () => {
    await page.setViewportSize({ width: 1280, height: 1488 });
    await page.goto(demo.appUrl);
    await firstLoad(page);
    assert.ok(await page.locator('#dashboard option[value="38729"]').count(), 'the picker offers it');
    const sales = await loadAfter(page, () => page.selectOption('#dashboard', '38729'));
    assert.equal(claimsOf(sales).dashboard, 38729);
    const statuses = await sales.locator('figure.chart').evaluateAll((figures) => figures.map((f) => `${f.querySelector('h2')!.textContent}: ${f.getAttribute('data-status')}`));
    assert.deepEqual(statuses, [
      'Revenue (USD): ok',
      'Orders: ok',
      'Average order (USD): ok',
      'Revenue share by product: ok',
      'Orders per month by status: ok',
      'Revenue and orders per month: ok',
      'About these numbers: ok',
    ]);
    // The KPI row's comparison and sparkline, and drawings in the drawn charts.
    assert.equal(await sales.locator('figure.chart-number').first().locator('.change').count(), 1);
    assert.equal(await sales.locator('figure.chart-number').first().locator('svg').count() > 0, true);
    for (const kind of ['donut', 'bar', 'combo']) assert.ok(await sales.locator(`figure.chart-${kind} .chart-svg svg`).count() > 0, kind);
    // The three numbers share a row, and so do the donut and the bar; the combo is below them, full width.
    const box = async (selector: string) => (await sales.locator(selector).first().boundingBox())!;
    const [donut, bar, combo] = [await box('figure.chart-donut'), await box('figure.chart-bar'), await box('figure.chart-combo')];
    assert.equal(Math.round(donut.y), Math.round(bar.y), 'the donut and the bar on one row');
    assert.ok(bar.x >= donut.x + donut.width - 1, 'the bar right of the donut');
    assert.ok(Math.abs(donut.width - bar.width) < 2, 'halves of the row');
    assert.ok(combo.y >= donut.y + donut.height - 1 && combo.width > donut.width * 1.8, 'the combo below, the whole row');
    const numbers = await sales.locator('figure.chart-number').evaluateAll((figures) => figures.map((f) => Math.round(f.getBoundingClientRect().top)));
    assert.equal(new Set(numbers).size, 1, 'the three numbers on one row');
    await screenshot(page, 'demo-sales');
  });

  it('a click on a product\'s slice of the Sales donut filters by that product and stays on Sales at a glance', async () => {
    await page.goto(demo.appUrl);
    await firstLoad(page);
    const sales = await loadAfter(page, () => page.selectOption('#dashboard', '38729'));
    const figure = sales.locator('figure.chart-donut');
    const team = await figure.locator('.chart-data tbody tr').evaluateAll((rows) => rows.findIndex((tr) => (tr as HTMLTableRowElement).cells[0]!.textContent === 'Team'));
    const slice = figure.locator(`.chart-svg > [data-points]:visible [ecmeta_series_index="0"][ecmeta_data_index="${team}"]`).first();
    const filtered = await loadAfter(page, async () => {
      await slice.scrollIntoViewIfNeeded();
      await slice.click();
    });
    assert.equal(claimsOf(filtered).dashboard, 38729);
    assert.deepEqual(claimsOf(filtered).env.PRODUCTS, ['Team']);
    assert.deepEqual(await filtered.locator('figure.chart-donut .chart-data tbody td:first-child').allTextContents(), ['Team']);
  });

  it('changes the numbers with a filter, and going back reuses the token: no request, no Loading, a cache hit', async () => {
    const { tokenRequests, dashboardBodies } = watch(page);
    await page.goto(demo.appUrl);
    await firstLoad(page);
    const fullYear = await numberChart(shownFrame(page), 'Completed orders');

    const secondHalf = await loadAfter(page, () => setDateRange(page, SECOND_HALF));
    assert.equal(await numberChart(secondHalf, 'Completed orders'), await completedOrders(1, SECOND_HALF));
    assert.notEqual(await numberChart(secondHalf, 'Completed orders'), fullYear);
    assert.deepEqual(claimsOf(secondHalf).env.DATE_RANGE, SECOND_HALF);
    const requestsBefore = tokenRequests();
    const statsBefore = demo.host.stats();
    const bodiesBefore = dashboardBodies.length;

    const back = await loadAfter(page, () => setDateRange(page, FULL_YEAR));
    assert.equal(await numberChart(back, 'Completed orders'), fullYear);
    assert.equal(tokenRequests(), requestsBefore, 'no request to the token endpoint');
    const stats = demo.host.stats();
    assert.equal(stats.hits, statsBefore.hits + 1, 'the host served the page from its cache');
    assert.equal(stats.queryRuns, statsBefore.queryRuns, 'no query run');
    const body = await dashboardBodies[bodiesBefore]!;
    assert.doesNotMatch(body, /id="chartio-loading"|Loading…/, 'a cached page has no Loading message');
    assert.equal(await page.evaluate(() => document.getElementById('status')!.textContent), 'Token reused: no new query run.');
  });

  it('filters by user (an integer) and by products (a list)', async () => {
    await page.goto(demo.appUrl);
    await firstLoad(page);
    const user = await page.locator('#user option').nth(1).getAttribute('value');
    const byUser = await loadAfter(page, () => page.selectOption('#user', user!));
    assert.equal(claimsOf(byUser).env.USER_ID, user);
    const { rows } = await demo.database.query(
      `SELECT count(*) FROM orders WHERE account_id = 1 AND user_id = ${Number(user)} AND status = 'completed' AND ordered_on BETWEEN DATE '2015-01-01' AND DATE '2015-12-31'`,
      {},
    );
    assert.equal(await numberChart(byUser, 'Completed orders'), new Intl.NumberFormat('en-US').format(Number(rows[0]![0])));

    const allProducts = await loadAfter(page, () => page.selectOption('#dashboard', '38728'));
    assert.equal(await numberChart(allProducts, 'Products shown'), 'All products');
    const mix = await loadAfter(page, () => page.check('#products input[value="Team"]'));
    assert.deepEqual(claimsOf(mix).env.PRODUCTS, ['Team']);
    assert.equal(await numberChart(mix, 'Products shown'), 'Team');
  });

  it('a USER_ID from the browser that is not a number shows each chart\'s "unavailable" message, not an error page, and runs no query', async () => {
    await page.goto(demo.appUrl);
    await firstLoad(page);
    const errors = page.evaluate(() => {
      const seen: unknown[] = [];
      document.querySelector('chartio-embed')!.addEventListener('chartio-error', (event) => seen.push((event as CustomEvent).detail));
      return new Promise<unknown[]>((resolve) => document.querySelector('chartio-embed')!.addEventListener('chartio-load', () => resolve(seen), { once: true }));
    });
    const queriesBefore = demo.host.stats().queries;
    const frame = await loadAfter(page, () => page.evaluate(() => document.querySelector('chartio-embed')!.setAttribute('filter-user-id', '12a')));
    assert.deepEqual(await errors, [], 'no chartio-error: the page itself loaded');
    assert.equal(claimsOf(frame).env.USER_ID, '12a');
    const figures = frame.locator('figure.chart');
    assert.equal(await figures.count(), 6);
    for (let index = 0; index < 6; index++) {
      assert.equal(await figures.nth(index).getAttribute('data-status'), 'unavailable');
      assert.match(await figures.nth(index).innerText(), /The Hidden Variable USER_ID must be a whole number/);
    }
    assert.equal(demo.host.stats().queries, queriesBefore, 'not one query ran');
  });

  it('switching account changes ACCT_ID and the data', async () => {
    await page.goto(demo.appUrl);
    await firstLoad(page);
    await Promise.all([page.waitForURL(`${demo.appUrl}/`), page.waitForEvent('load'), page.selectOption('#account', '2')]);
    await firstLoad(page);
    const frame = shownFrame(page);
    assert.equal(claimsOf(frame).env.ACCT_ID, '2');
    assert.equal(await numberChart(frame, 'Completed orders'), await completedOrders(2, FULL_YEAR));
    assert.notEqual(await completedOrders(2, FULL_YEAR), await completedOrders(1, FULL_YEAR));
  });

  it('refuses ACCT_ID from the browser, as a filter attribute and as a forged request', async () => {
    await page.goto(demo.appUrl);
    await firstLoad(page);
    const error = page.evaluate(
      () =>
        new Promise((resolve) => {
          const embed = document.querySelector('chartio-embed')!;
          embed.addEventListener('chartio-error', (event) => resolve(event.detail), { once: true });
          embed.setAttribute('filter-acct-id', '2');
        }),
    );
    assert.deepEqual(await error, {
      phase: 'token',
      status: 400,
      code: 'filter_locked',
      message: '"ACCT_ID" is set by the server from the session and may not be sent by the browser; remove it from filters.',
    });
    const forged = await page.evaluate(async (dashboard) => {
      const response = await fetch('/embed-token', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ dashboard, filters: { ACCT_ID: '2' } }),
      });
      return { status: response.status, body: await response.json() };
    }, OVERVIEW);
    assert.equal(forged.status, 400);
    assert.equal(forged.body.error.code, 'filter_locked');
  });

  it('shows the host\'s error page for a tampered token and for an expired one', async () => {
    await page.goto(demo.appUrl);
    await firstLoad(page);
    const token = new URL(shownFrame(page).url()).searchParams.get('embed_token')!;
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    claims.env.ACCT_ID = '2'; // the attack the signature exists for
    const tampered = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    const now = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT({ organization: DEMO_ORGANIZATION, dashboard: OVERVIEW, env: { ACCT_ID: '1' } })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuedAt(now - 7_200)
      .setExpirationTime(now - 3_600)
      .sign(new TextEncoder().encode(SECRET));

    for (const [forged, code, status] of [[tampered, 'token_signature', 401], [expired, 'token_expired', 401]] as const) {
      const answered = page.waitForResponse((response) => response.url().includes(forged));
      // The app hands the element this token (fetchToken replaces the endpoint), as a leaked or
      // edited URL would. The host's error page tells the element (chartio:error): no chartio-load.
      const outcome = page.evaluate(
        (forged) =>
          new Promise((resolve) => {
            const embed = document.querySelector('chartio-embed')!;
            embed.addEventListener('chartio-load', () => resolve('chartio-load'), { once: true });
            embed.addEventListener('chartio-error', (event) => resolve(event.detail), { once: true });
            embed.fetchToken = async () => ({ token: forged });
            embed.refresh();
          }),
        forged,
      );
      assert.deepEqual(await outcome, { phase: 'frame', code, status, message: `The dashboard host answered ${status} ${code}` });
      const frameResponse = await answered;
      assert.equal(frameResponse.status(), status);
      // The frame is gone (the element shows its own error): ask the host for the same page.
      const body = await (await fetch(frameResponse.url())).text();
      assert.match(body, new RegExp(`data-code="${code}"`));
      assert.match(body, new RegExp(`HTTP ${status}`));
      assert.doesNotMatch(body, /class="chart /, 'no data shown');
      // The viewer reads the element's sentence; no Retry, as asking again cannot help.
      const errorBox = page.locator('chartio-embed [part=error]');
      assert.equal(await errorBox.innerText(), 'This dashboard can’t be shown.');
    }
  });

  it('switches the theme and the number format from the app bar: no token request, no query run, new colours and numbers', async () => {
    const { tokenRequests } = watch(page);
    await page.goto(demo.appUrl);
    await firstLoad(page);
    const frame = shownFrame(page);
    const look = () =>
      frame.evaluate(() => ({
        background: getComputedStyle(document.documentElement).backgroundColor,
        revenue: document.querySelector('figure.chart-number:nth-child(2) .value')!.textContent,
      }));
    const light = await look();
    assert.equal(light.background, 'rgb(255, 255, 255)');
    const requests = tokenRequests();
    const stats = demo.host.stats();
    await page.evaluate(() => {
      for (const type of ['chartio-token', 'chartio-load', 'chartio-error']) document.querySelector('chartio-embed')!.addEventListener(type, () => ((window as unknown as { events: number }).events = 1));
    });

    await page.selectOption('#theme', 'dark');
    await frame.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
    const dark = await look();
    assert.equal(dark.background, 'rgb(17, 24, 39)');
    assert.equal(dark.revenue, light.revenue);
    assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(11, 18, 32)', 'the app is dark too');
    await page.selectOption('#locale', 'de-DE');
    await frame.waitForFunction(() => document.querySelector('.charts')?.getAttribute('data-locale') === 'de-DE');
    const german = await look();
    assert.notEqual(german.revenue, light.revenue);
    assert.match(german.revenue!, /^[\d.]+,\d\d\s\$$/);
    await page.setViewportSize({ width: 1200, height: 1450 });
    await screenshot(page, 'demo-dark');

    assert.equal(tokenRequests(), requests, 'no token request');
    const after = demo.host.stats();
    assert.equal(after.queryRuns, stats.queryRuns, 'no query run');
    assert.equal(after.hits + after.misses, stats.hits + stats.misses, 'nothing asked of the host');
    assert.equal(shownFrame(page), frame, 'the same frame');
    assert.equal(await page.evaluate(() => (window as unknown as { events?: number }).events), undefined, 'no event: nothing was loaded');
  });

  it('a click on a product\'s bar sets the app\'s product filter, and the dashboard shows that product', async () => {
    await page.goto(demo.appUrl);
    await firstLoad(page);
    const mix = await loadAfter(page, () => page.selectOption('#dashboard', '38728'));
    assert.equal(await numberChart(mix, 'Products shown'), 'All products');
    // Where the host drew the "Team" bar of "Revenue by product (USD)": its row of the data table.
    const figure = mix.locator('figure', { has: mix.locator('h2', { hasText: 'Revenue by product (USD)' }) });
    const team = await figure.locator('.chart-data tbody tr').evaluateAll((rows) => rows.findIndex((tr) => (tr as HTMLTableRowElement).cells[0]!.textContent === 'Team'));
    const bars = figure.locator(`.chart-svg > [data-points]:visible [ecmeta_series_index="0"][ecmeta_data_index="${team}"]`);
    const clicked = page.evaluate(() => new Promise((resolve) => document.querySelector('chartio-embed')!.addEventListener('chartio-click', (event) => resolve(event.detail), { once: true })));
    const filtered = await loadAfter(page, async () => {
      await bars.scrollIntoViewIfNeeded();
      await bars.click();
    });
    const detail = (await clicked) as { label: string; series: string; row: Record<string, string> };
    assert.equal(detail.label, 'Team');
    assert.equal(detail.series, 'revenue');
    assert.deepEqual(Object.keys(detail.row), ['product', 'revenue']);
    assert.deepEqual(claimsOf(filtered).env.PRODUCTS, ['Team']);
    assert.deepEqual(await page.$$eval('#products input:checked', (boxes) => boxes.map((box) => (box as HTMLInputElement).value)), ['Team']);
    assert.equal(await numberChart(filtered, 'Products shown'), 'Team');
  });

  it('Full screen shows the dashboard alone; a product in the overview, chosen by keyboard, drills through to Product mix', async () => {
    await page.goto(demo.appUrl);
    await firstLoad(page);
    await page.click('#fullscreen');
    await page.waitForFunction(() => document.fullscreenElement?.localName === 'chartio-embed');
    assert.equal(await page.evaluate(() => Math.round(document.querySelector('chartio-embed')!.getBoundingClientRect().height)), await page.evaluate(() => innerHeight));
    await page.evaluate(() => document.exitFullscreen());
    await page.waitForFunction(() => document.fullscreenElement === null);

    // "Latest orders" has a product column: a row says which product, from the keyboard too.
    const row = shownFrame(page).locator('figure', { has: shownFrame(page).locator('h2', { hasText: 'Latest orders' }) }).locator('tbody tr').first();
    const product = await row.locator('td').nth(3).innerText();
    const drilled = await loadAfter(page, async () => {
      await row.focus();
      await page.keyboard.press('Enter');
    });
    assert.equal(claimsOf(drilled).dashboard, 38728);
    assert.deepEqual(claimsOf(drilled).env.PRODUCTS, [product]);
    assert.equal(await numberChart(drilled, 'Products shown'), product);
  });

  it('shows the element\'s error state when the endpoint keeps failing, and Retry recovers', async () => {
    // The element retries a 503 three times, 1 s, 2 s and 4 s apart: drive its timers with a fake clock.
    await page.clock.install();
    faults.tokenFailures = 4;
    let failures = 0;
    page.on('response', (response) => {
      if (new URL(response.url()).pathname === '/embed-token' && response.status() === 503) failures++;
    });
    let requests = 0;
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/embed-token') requests++;
    });
    const failure = () => page.waitForResponse((response) => new URL(response.url()).pathname === '/embed-token' && response.status() === 503);
    let answered = failure();
    await page.goto(demo.appUrl);
    for (let attempt = 1; attempt < 4; attempt++) {
      // Time moves only once the failure is in (the request's own timeout runs on this clock
      // too), and then only until the retry goes out: the backoff is 1 s, 2 s, then 4 s.
      await answered;
      answered = failure();
      for (let fakeMs = 0; requests === attempt && fakeMs <= 2_000 << attempt; fakeMs += 100) await page.clock.runFor(100);
      assert.equal(requests, attempt + 1, `retry ${attempt} went out`);
    }
    await answered;
    assert.equal(failures, 4);
    const errorBox = page.locator('chartio-embed [part=error]');
    await errorBox.waitFor();
    // The viewer's words and a Retry in the element; the endpoint's message for the app.
    assert.match(await errorBox.innerText(), /This dashboard can’t be shown right now\./);
    assert.match(await page.locator('#status').innerText(), /Could not load the dashboard: The demo was told to fail this request/);
    assert.equal(faults.tokenFailures, 0);

    // Retry is the next stop after the app's last control: reached and pressed with the keyboard.
    await page.focus('#fullscreen');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.querySelector('chartio-embed')!.shadowRoot!.activeElement?.textContent), 'Retry');
    await page.keyboard.press('Enter');
    await firstLoad(page);
    await errorBox.waitFor({ state: 'detached' });
    assert.equal(await numberChart(shownFrame(page), 'Completed orders'), await completedOrders(1, FULL_YEAR));
  });
});
