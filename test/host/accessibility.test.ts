/**
 * The dashboard page's accessibility, in real Chromium under the host's own CSP: axe-core finds
 * no violation on the demo dashboards nor on a dashboard with every chart type and state (data
 * tables opened, so they are checked too), in the light theme, the dark one, and `auto` under a
 * dark system preference; every chart is named by its title; each chart is one tab stop, its
 * download button the next, and line and bar charts have a data table a keyboard opens.
 * axe-core is evaluated through the DevTools protocol, which the page's CSP does not govern: the
 * page itself stays exactly as the host serves it.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/browsers.mjs';
import { loadDashboardFiles, type DataSource } from '../../src/host/index.js';
import { EVERY_CHART, EVERY_CHART_TITLES, everyChartDashboard } from './helpers/every-chart-dashboard.js';
import { DRAWN_CHARTS, drawnChartsDashboard } from './helpers/drawn-charts-dashboard.js';
import { dashboardPath, DEMO_DASHBOARDS, openDemoDatabase, OVERVIEW, PRODUCT_MIX, SALES_AT_A_GLANCE, serveHost, signToken, type ServedHost } from './helpers/host-fixtures.js';

let database: DataSource;
let served: ServedHost;
let browser: Browser;
let axeSource: string;

before(async () => {
  database = await openDemoDatabase();
  served = await serveHost({ database, dashboards: [...(await loadDashboardFiles(DEMO_DASHBOARDS)), everyChartDashboard(), drawnChartsDashboard()] });
  axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  // npm test checks for Chromium before any test runs: a missing one fails here, never skips.
  browser = await chromium.launch({ executablePath: findChromium() ?? 'chromium (set CHROME_PATH)', args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await served?.close();
  await database?.close();
});

/** The pages under test: each demo dashboard and the every-chart one, with the env they need. */
const PAGES = [
  { name: 'Account overview (demo)', dashboard: OVERVIEW, env: { ACCT_ID: '7', DATE_RANGE: ['2014-02-11', '2015-02-11'] } },
  { name: 'Product mix (demo)', dashboard: PRODUCT_MIX, env: { ACCT_ID: '7', DATE_RANGE: ['2014-02-11', '2015-02-11'], PRODUCTS: ['Team', 'Starter'] } },
  { name: 'Sales at a glance (demo)', dashboard: SALES_AT_A_GLANCE, env: { ACCT_ID: '7', DATE_RANGE: ['2015-01-01', '2015-12-31'] } },
  { name: 'every chart type and state', dashboard: EVERY_CHART, env: { ACCT_ID: '7' } },
  { name: 'every drawn chart type', dashboard: DRAWN_CHARTS, env: { ACCT_ID: '7' } },
];

/**
 * Opens a dashboard page (with `fragment`, the look the element would ask for in the frame's URL,
 * and the system's colour scheme), waits until the page script has run, and collects page errors.
 */
async function openDashboard(
  dashboard: number,
  env: Record<string, unknown>,
  fragment = '',
  colorScheme: 'light' | 'dark' = 'light',
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 900, height: 800 }, colorScheme });
  const errors: string[] = [];
  page.on('console', (message) => {
    // Failed loads are reported from the responses below, with their URL.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('response', (response) => {
    // The host serves no favicon, and a browser asks for one on its own.
    if (response.status() >= 400 && new URL(response.url()).pathname !== '/favicon.ico') errors.push(`${response.status()} ${response.url()}`);
  });
  const token = await signToken({ now: Date.now }, { dashboard, env });
  await page.goto(served.origin + dashboardPath(dashboard, token) + fragment);
  await page.waitForFunction(() => document.querySelector('main h1') !== null && !document.getElementById('chartio-loading'));
  return { page, errors };
}

interface AxeViolation {
  id: string;
  help: string;
  nodes: { target: string[]; failureSummary: string }[];
}

/** Runs axe-core on the whole page with its default rules (WCAG A/AA and best practices). */
async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const { violations } = await axe.run(document, { resultTypes: ['violations'] });
    return violations.map(({ id, help, nodes }) => ({ id, help, nodes: nodes.map(({ target, failureSummary }) => ({ target, failureSummary })) }));
  });
}

/** The themes under test: how the frame's URL asks for each, the system's scheme, and the page's background then. */
const THEMES = [
  { theme: 'light', fragment: '', scheme: 'dark', background: 'rgb(255, 255, 255)' },
  { theme: 'dark', fragment: '#theme=dark', scheme: 'light', background: 'rgb(17, 24, 39)' },
  { theme: 'auto (system dark)', fragment: '#theme=auto', scheme: 'dark', background: 'rgb(17, 24, 39)' },
] as const;

describe('axe-core finds no violation', () => {
  for (const { name, dashboard, env } of PAGES) for (const { theme, fragment, scheme, background } of THEMES) {
    test(`${name}, ${theme} theme`, async () => {
      const { page, errors } = await openDashboard(dashboard, env, fragment, scheme);
      assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor), background);
      assert.ok((await page.locator('details.chart-data').count()) > 0, 'the page has line or bar charts');
      // Open every data table, so axe checks them as well as the charts.
      for (const summary of await page.locator('details.chart-data > summary').all()) await summary.click();
      assert.equal(await page.locator('details.chart-data:not([open])').count(), 0);
      const violations = await axeViolations(page);
      assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
      assert.deepEqual(errors, [], 'no CSP violation or script error');
      await page.close();
    });
  }
});

test('every chart is named by its title, and its states say what they are', async () => {
  const { page } = await openDashboard(EVERY_CHART, { ACCT_ID: '7' });
  for (const title of Object.values(EVERY_CHART_TITLES)) {
    assert.equal(await page.getByRole('figure', { name: title, exact: true }).count(), 1, `the figure "${title}"`);
  }
  for (const title of [EVERY_CHART_TITLES.line, EVERY_CHART_TITLES.bar]) {
    assert.equal(await page.getByRole('img', { name: `${title} (`, exact: false }).count(), 1, `the drawing of "${title}"`);
  }
  assert.equal(await page.getByRole('table', { name: EVERY_CHART_TITLES.table, exact: true }).count(), 1);
  const status = (title: string) => page.getByRole('figure', { name: title, exact: true }).getAttribute('data-status');
  assert.equal(await status(EVERY_CHART_TITLES.empty), 'empty');
  assert.equal(await page.getByRole('figure', { name: EVERY_CHART_TITLES.empty }).getByRole('note').innerText(), 'No data for these filters.');
  assert.equal(await status(EVERY_CHART_TITLES.wrongType), 'failed');
  assert.match(await page.getByRole('figure', { name: EVERY_CHART_TITLES.wrongType }).getByRole('note').innerText(), /the column "product" holds text \("\w+"\) in row 1, where a number belongs/);
  assert.equal(await status(EVERY_CHART_TITLES.unavailable), 'unavailable');
  assert.equal(await status(EVERY_CHART_TITLES.failed), 'failed');
  await page.close();
});

/** What has the focus: its chart's title and what it is (`value`, `drawing`, `summary`, `download`, `image svg`, `row`). */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement!;
    const what = element.matches('.value')
      ? 'value'
      : element.matches('button.download')
        ? 'download'
        : element.matches('.download-image')
          ? `image ${(element as HTMLElement).dataset.format}`
          : element.matches('.chart-svg')
            ? 'drawing'
            : element.matches('th > button.sort')
              ? `sort by ${element.textContent}`
              : element.localName === 'tr'
                ? 'row'
                : element.localName;
    return `${element.closest('figure')?.querySelector('h2')?.textContent} ${what}`;
  });
}

test('each chart is one tab stop (a table: its sort buttons, then its rows), then its download button; nothing else takes the focus', async () => {
  const { page } = await openDashboard(EVERY_CHART, { ACCT_ID: '7' });
  const columns = await page.getByRole('table', { name: EVERY_CHART_TITLES.table, exact: true }).locator('thead th').allInnerTexts();
  const stops: string[] = [];
  for (let press = 0; press < 20; press++) {
    await page.keyboard.press('Tab');
    const stop = await focused(page);
    if (stop.startsWith('undefined')) break;
    stops.push(stop);
  }
  const { number, line, bar, table } = EVERY_CHART_TITLES;
  assert.deepEqual(stops, [
    // A number chart offers no CSV download unless its file asks for one.
    `${number} value`,
    `${line} drawing`,
    `${line} summary`,
    `${line} download`,
    `${line} image svg`,
    `${line} image png`,
    `${bar} drawing`,
    `${bar} summary`,
    `${bar} download`,
    `${bar} image svg`,
    `${bar} image png`,
    ...columns.map((column) => `${table} sort by ${column}`),
    `${table} row`,
    `${table} download`,
  ]);
  await page.close();
});

test('a line chart\'s data table opens from the keyboard, and its numeric columns are right-aligned', async () => {
  const { page } = await openDashboard(EVERY_CHART, { ACCT_ID: '7' });
  const chart = page.getByRole('figure', { name: EVERY_CHART_TITLES.line, exact: true });
  const table = chart.getByRole('table', { name: EVERY_CHART_TITLES.line, exact: true });
  assert.equal(await table.isVisible(), false, 'closed at first');
  await chart.locator('summary').focus();
  await page.keyboard.press('Enter');
  assert.equal(await table.isVisible(), true, 'open after Enter');
  const align = (selector: string) => table.locator(selector).evaluateAll((cells) => cells.map((cell) => getComputedStyle(cell).textAlign));
  assert.deepEqual(await align('thead th'), ['left', 'right']);
  assert.deepEqual([...new Set(await align('tbody td:nth-child(2)'))], ['right']);
  await page.close();
});
