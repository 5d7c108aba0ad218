/**
 * The charts the host draws as SVG (ECharts on the host, src/host/charts), in real Chromium under
 * the host's CSP: every drawn type is on the first paint with JavaScript off, with its numbers;
 * its text stays legible (10 CSS px or more, no two labels overlapping) at frame widths 360,
 * 768 and 1,280 px; ticks and labels in their formats, the value axis from zero unless
 * `beginAtZero: false`; hover shows a tooltip with formatted values; the keyboard moves along
 * the points with a live region following.
 * Run: node --import tsx --test test/host/page-charts.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/browsers.mjs';
import type { DataSource } from '../../src/host/index.js';
import { DRAWN_CHARTS, DRAWN_TITLES, drawnChartsDashboard } from './helpers/drawn-charts-dashboard.js';
import { EVERY_CHART, EVERY_CHART_TITLES, everyChartDashboard } from './helpers/every-chart-dashboard.js';
import { dashboardPath, openDemoDatabase, serveHost, signToken, type ServedHost } from './helpers/host-fixtures.js';

let database: DataSource;
let served: ServedHost;
let browser: Browser;

before(async () => {
  database = await openDemoDatabase();
  served = await serveHost({ database, dashboards: [drawnChartsDashboard(), everyChartDashboard()] });
  browser = await chromium.launch({ executablePath: findChromium() ?? 'chromium (set CHROME_PATH)', args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await served?.close();
  await database?.close();
});

async function open(dashboard: number, options: { width?: number; javaScript?: boolean } = {}): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 900, height: 800 }, javaScriptEnabled: options.javaScript ?? true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  // (The host serves no favicon, which the browser asks for on its own: that 404 is not the page's.)
  page.on('console', (message) => message.type() === 'error' && !message.text().startsWith('Failed to load resource') && errors.push(message.text()));
  await page.goto(served.origin + dashboardPath(dashboard, await signToken({ now: Date.now }, { dashboard, env: { ACCT_ID: '7' } })));
  if (options.javaScript !== false) await page.waitForFunction(() => !document.getElementById('chartio-loading'));
  return { page, errors };
}

/** The drawing on show in a chart, by title: its texts as shown, its points, and its data table. */
interface Shown {
  texts: string[];
  points: number;
  table: string[][];
  width: number;
}

function shown(page: Page, title: string): Promise<Shown> {
  return page.evaluate((title) => {
    const figure = [...document.querySelectorAll('figure')].find((element) => element.querySelector('h2')!.textContent === title)!;
    const drawing = [...figure.querySelectorAll<HTMLElement>('.chart-svg > div')].find((element) => element.getClientRects().length > 0)!;
    return {
      texts: [...drawing.querySelectorAll('text')].map((text) => text.textContent!),
      points: drawing.dataset.points!.split(';').filter(Boolean).length,
      table: [...figure.querySelectorAll('.chart-data tbody tr')].map((tr) => [...(tr as HTMLTableRowElement).cells].map((cell) => cell.textContent!)),
      width: drawing.getBoundingClientRect().width,
    };
  }, title);
}

test('with JavaScript off, the first paint shows every drawn chart type, with its numbers', async () => {
  const { page } = await open(DRAWN_CHARTS, { width: 1280, javaScript: false });
  const charts = await page.locator('figure.chart').evaluateAll((figures) => figures.map((figure) => [figure.className, figure.getAttribute('data-status')]));
  assert.deepEqual(
    charts,
    ['line', 'area', 'bar', 'combo', 'pie', 'donut', 'scatter', 'funnel', 'heatmap'].map((type) => [`chart chart-${type}${type === 'pie' || type === 'donut' ? ' w-6' : ''}`, 'ok']),
  );
  // Line: a label for each month, the missing third one too (a gap), a point for each row.
  const line = await shown(page, DRAWN_TITLES.line);
  assert.equal(line.table.length, 5);
  assert.equal(line.points, 5);
  const months = line.texts.filter((text) => /^[A-Z][a-z]{2} \d{4}$/.test(text));
  assert.ok(!line.table.some(([month]) => month === months[2]), `${months[2]} is not in the data`);
  assert.equal(months.length, 6, months.join());
  // The value axis: whole dollars up to the largest month's revenue at least.
  const ticks = line.texts.filter((text) => text.startsWith('$')).map((text) => Number(text.replace(/[$,]/g, '')));
  const largest = Math.max(...line.table.map(([, revenue]) => Number(revenue!.replace(/[$,]/g, ''))));
  assert.equal(ticks[0], 0);
  assert.ok(ticks.at(-1)! >= largest, `${ticks.at(-1)} ≥ ${largest}`);
  // Pie, donut, funnel: one labelled slice or stage per row, in the table's order.
  for (const title of [DRAWN_TITLES.pie, DRAWN_TITLES.donut, DRAWN_TITLES.funnel]) {
    const chart = await shown(page, title);
    assert.equal(chart.points, chart.table.length, title);
    assert.deepEqual(chart.texts, chart.table.map(([label]) => label), title);
  }
  // Bars: two series (stacked) per product, the products on the category axis.
  const bar = await shown(page, DRAWN_TITLES.bar);
  assert.equal(bar.points, bar.table.length * 2);
  for (const [product] of bar.table) assert.ok(bar.texts.includes(product!), product);
  // Heatmap: a cell per row, products and statuses as its axes.
  const heat = await shown(page, DRAWN_TITLES.heatmap);
  assert.equal(heat.points, heat.table.length);
  for (const [product, status] of heat.table) assert.ok(heat.texts.includes(product!) && heat.texts.includes(status!), `${product} ${status}`);
  // Scatter: a point per month; combo: bars and a line, on two axes.
  assert.equal((await shown(page, DRAWN_TITLES.scatter)).points, 6);
  const combo = await shown(page, DRAWN_TITLES.combo);
  assert.equal(combo.points, 12);
  assert.ok(combo.texts.some((text) => text.startsWith('$')) && combo.texts.some((text) => /^\d[\d,]*$/.test(text)), 'a dollar axis and a count axis');
  await page.context().close();
});

// 1,920: wider than the layout is made for; the half-row charts' widest drawing (480 px) still shows.
for (const width of [360, 768, 1280, 1600, 1920]) {
  test(`at a ${width} px frame, chart text is 10 CSS px or more and no two labels overlap`, async () => {
    const { page, errors } = await open(DRAWN_CHARTS, { width });
    const problems = await page.evaluate(() => {
      const found: string[] = [];
      for (const svg of document.querySelectorAll<SVGSVGElement>('.chart-svg svg')) {
        if (svg.getClientRects().length === 0) continue;
        const title = svg.closest('figure')!.querySelector('h2')!.textContent;
        const scale = svg.getScreenCTM()!.a;
        const boxes = [...svg.querySelectorAll('text')].filter((text) => text.getClientRects().length > 0 && text.textContent!.trim() !== '').map((text) => {
          const size = parseFloat(text.getAttribute('font-size') ?? getComputedStyle(text).fontSize) * scale;
          if (size < 10) found.push(`${title}: "${text.textContent}" at ${size.toFixed(1)} px`);
          return { text: text.textContent!, box: text.getBoundingClientRect() };
        });
        for (const [index, a] of boxes.entries()) {
          for (const b of boxes.slice(index + 1)) {
            const overlap = Math.min(a.box.right, b.box.right) - Math.max(a.box.left, b.box.left) > 1 && Math.min(a.box.bottom, b.box.bottom) - Math.max(a.box.top, b.box.top) > 1;
            if (overlap) found.push(`${title}: "${a.text}" overlaps "${b.text}"`);
          }
        }
      }
      return found;
    });
    assert.deepEqual(problems, []);
    // Each chart shows exactly one drawing, no wider than its box.
    for (const title of Object.values(DRAWN_TITLES)) {
      const count = await page.locator('figure', { has: page.getByRole('heading', { name: title, exact: true }) }).locator('.chart-svg > div').evaluateAll((drawings) => drawings.filter((drawing) => drawing.getClientRects().length > 0).length);
      assert.equal(count, 1, title);
    }
    assert.deepEqual(errors, []);
    await page.context().close();
  });
}

test('ticks and labels show values in their formats; the value axis starts at zero unless beginAtZero: false', async () => {
  const { page, errors } = await open(EVERY_CHART);
  const shares = await shown(page, EVERY_CHART_TITLES.bar);
  const percents = shares.texts.filter((text) => text.endsWith('%'));
  assert.ok(percents.length >= 2);
  for (const tick of percents) assert.match(tick, /^\d+\.\d%$/, 'percent with one decimal, as the column says');
  assert.notEqual(percents[0], '0.0%', 'beginAtZero: false fits the axis to the data');
  const revenue = await shown(page, EVERY_CHART_TITLES.line);
  assert.ok(revenue.texts.includes('Jan 2014'), 'the month labels in their date format');
  assert.ok(revenue.texts.includes('$0'), 'from zero, in whole dollars');
  // The theme's colours: the accent draws the first series.
  const stroke = await page.locator('figure.chart-line .chart-svg path[stroke="var(--series)"]').first().evaluate((path) => getComputedStyle(path).stroke);
  assert.equal(stroke, 'rgb(37, 99, 235)');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('hover shows a tooltip with the point\'s values as the data table shows them; leaving hides it', async () => {
  const { page } = await open(DRAWN_CHARTS);
  const figure = page.locator('figure.chart-line');
  const box = figure.locator('.chart-svg');
  const point = await box.evaluate((element) => {
    const drawing = [...element.children].find((child) => child.getClientRects().length > 0) as HTMLElement;
    const [, , , x, y] = drawing.dataset.points!.split(';')[1]!.split(' ').map(Number);
    const matrix = drawing.querySelector('svg')!.getScreenCTM()!;
    return new DOMPoint(x, y).matrixTransform(matrix);
  });
  await page.mouse.move(point.x + 3, point.y + 3);
  const tip = box.locator('.chart-tip');
  const row = await figure.locator('.chart-data tbody tr').nth(1).evaluate((tr) => [...(tr as HTMLTableRowElement).cells].map((cell) => cell.textContent));
  assert.equal(await tip.innerText(), `${row[0]}\nrevenue: ${row[1]}`);
  assert.match(row[1]!, /^\$[\d,]+$/);
  await page.mouse.move(2, 2);
  assert.equal(await tip.count(), 0);
  await page.context().close();
});

test('the keyboard moves along the points: the tooltip and a live region say which, in the series\' format', async () => {
  const { page } = await open(DRAWN_CHARTS);
  const box = page.getByRole('img', { name: `${DRAWN_TITLES.combo} (`, exact: false });
  await box.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  const rows = await page.locator('figure.chart-combo .chart-data tbody tr').evaluateAll((trs) => trs.map((tr) => [...(tr as HTMLTableRowElement).cells].map((cell) => cell.textContent!)));
  const status = page.locator('#chartio-point');
  assert.equal(await status.getAttribute('role'), 'status');
  assert.equal(await status.innerText(), `${rows[1]![0]}, revenue: ${rows[1]![1]}`);
  await page.keyboard.press('ArrowDown');
  assert.equal(await status.innerText(), `${rows[1]![0]}, orders: ${rows[1]![2]}`);
  await page.keyboard.press('End');
  assert.equal(await status.innerText(), `${rows.at(-1)![0]}, orders: ${rows.at(-1)![2]}`);
  assert.equal(await box.locator('.chart-tip').count(), 1);
  // Leaving the chart hides its tooltip.
  await page.keyboard.press('Tab');
  assert.equal(await box.locator('.chart-tip').count(), 0);
  await page.context().close();
});
