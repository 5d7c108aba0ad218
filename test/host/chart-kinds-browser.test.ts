/**
 * The HTML chart types and the layout in real Chromium, on the host's real page under its CSP:
 * charts in one row sit side by side at 1,280 and 768 px and stack at 360 px (CSS only, so also
 * with JavaScript off); axe-core finds no violation in the light and dark themes; a click or
 * Enter on a table header sorts the rows and says so with aria-sort.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/browsers.mjs';
import type { DataSource } from '../../src/host/index.js';
import { CHART_KINDS_DASHBOARD, chartKindsDashboard } from './helpers/chart-kinds-dashboard.js';
import { dashboardPath, openDemoDatabase, serveHost, signToken, type ServedHost } from './helpers/host-fixtures.js';

let database: DataSource;
let served: ServedHost;
let browser: Browser;
let url: string;

before(async () => {
  database = await openDemoDatabase();
  served = await serveHost({ database, dashboards: [chartKindsDashboard()] });
  browser = await chromium.launch({ executablePath: findChromium() ?? 'chromium (set CHROME_PATH)', args: CHROMIUM_ARGS });
  url = served.origin + dashboardPath(CHART_KINDS_DASHBOARD, await signToken({ now: Date.now }, { dashboard: CHART_KINDS_DASHBOARD, env: { ACCT_ID: '7' } }));
});

after(async () => {
  await browser?.close();
  await served?.close();
  await database?.close();
});

async function open(width: number, options: { javaScript?: boolean; fragment?: string; colorScheme?: 'light' | 'dark' } = {}): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, javaScriptEnabled: options.javaScript ?? true, colorScheme: options.colorScheme ?? 'light' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && !message.text().startsWith('Failed to load resource') && errors.push(message.text()));
  await page.goto(url + (options.fragment ?? ''));
  await page.waitForSelector('main h1');
  return { page, errors };
}

/** Each chart's box, in file order. */
function boxes(page: Page): Promise<{ left: number; top: number; right: number }[]> {
  return page.evaluate(() => [...document.querySelectorAll('figure.chart')].map((figure) => {
    const box = figure.getBoundingClientRect();
    return { left: box.left, top: box.top, right: box.right };
  }));
}

describe('layout: rows in file order, side by side when wide, stacked when narrow', () => {
  for (const javaScript of [true, false]) {
    test(`at 1,280, 768 and 360 px (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
      for (const width of [1280, 768, 360]) {
        const { page } = await open(width, { javaScript });
        const [kpi, sparkline, table, pivot, text] = await boxes(page);
        const sideBySide = (a: typeof kpi, b: typeof kpi) => a!.top === b!.top && a!.right <= b!.left;
        // Numbers take 3 twelfths by default, the table and the pivot 6 (their files say so).
        if (width === 1280) {
          assert.ok(sideBySide(kpi, sparkline) && sideBySide(sparkline, table), `3 + 3 + 6 twelfths in the first row at ${width}`);
          assert.ok(pivot!.top > table!.top && pivot!.left === kpi!.left, 'the pivot starts the next row');
        } else if (width === 768) {
          // Below 960 px a number takes half a row, to stay legible.
          assert.ok(sideBySide(kpi, sparkline), `the two numbers side by side at ${width}`);
          assert.ok(sideBySide(table, pivot) && table!.top > kpi!.top, `the table and the pivot side by side, in the next row, at ${width}`);
        } else {
          const tops = [kpi, sparkline, table, pivot, text].map((box) => box!.top);
          assert.deepEqual(tops, [...tops].sort((x, y) => x - y), `stacked in file order at ${width}`);
          assert.equal(new Set(tops).size, 5);
          assert.ok([sparkline, table, pivot, text].every((box) => box!.left === kpi!.left));
        }
        assert.ok(text!.top > Math.max(table!.top, pivot!.top), 'the text, full width, comes last');
        // Nothing wider than the frame.
        assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), `no horizontal scroll at ${width}`);
        await page.context().close();
      }
    });
  }

  test('a height sets the table\'s scroll box', async () => {
    const { page } = await open(1280);
    assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('.chart-table .table-box')!).maxHeight), '240px');
    await page.context().close();
  });
});

describe('axe-core finds no violation', () => {
  let axeSource: string;
  before(async () => {
    axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  });
  for (const { theme, fragment, background } of [
    { theme: 'light', fragment: '', background: 'rgb(255, 255, 255)' },
    { theme: 'dark', fragment: '#theme=dark', background: 'rgb(17, 24, 39)' },
  ]) {
    test(`number, table (sorted), pivot and text, ${theme} theme`, async () => {
      const { page, errors } = await open(1280, { fragment });
      assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor), background);
      await page.locator('.chart-table th button.sort').first().click();
      await page.evaluate(axeSource);
      const violations = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
        return (await axe.run(document, { resultTypes: ['violations'] })).violations.map(({ id, nodes }) => ({ id, targets: nodes.map((node) => node.target) }));
      });
      assert.deepEqual(violations, [], JSON.stringify(violations));
      assert.deepEqual(errors, []);
      await page.context().close();
    });
  }
});

test('a click or Enter on a table header sorts its rows, and aria-sort says how; the totals row stays last', async () => {
  const { page, errors } = await open(1280);
  const table = page.locator('.chart-table table');
  const column = (index: number) => table.locator('tbody tr').evaluateAll((rows, at) => rows.map((row) => (row as HTMLTableRowElement).cells[at]!.dataset.value ?? (row as HTMLTableRowElement).cells[at]!.textContent), index);
  const orders = table.locator('thead th').nth(1);
  const before = (await column(1)).map(Number);
  await orders.locator('button').click();
  assert.equal(await orders.getAttribute('aria-sort'), 'ascending');
  assert.deepEqual((await column(1)).map(Number), [...before].sort((a, b) => a - b));
  await orders.locator('button').focus();
  await page.keyboard.press('Enter');
  assert.equal(await orders.getAttribute('aria-sort'), 'descending');
  assert.deepEqual((await column(1)).map(Number), [...before].sort((a, b) => b - a));
  // Another column takes the sort; text sorts in the locale's order.
  const product = table.locator('thead th').nth(0);
  await product.locator('button').click();
  assert.equal(await product.getAttribute('aria-sort'), 'ascending');
  assert.equal(await orders.getAttribute('aria-sort'), null);
  const names = await column(0);
  assert.deepEqual(names, [...names].sort((a, b) => a!.localeCompare(b!)));
  assert.equal(await table.locator('tfoot tr th').innerText(), 'Total');
  assert.deepEqual(errors, []);
  await page.context().close();
});
