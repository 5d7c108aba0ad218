/**
 * The line and bar charts as Chart.js draws them in real Chromium, under the host's CSP: the value
 * axis starts at zero unless the chart says `beginAtZero: false` (then it fits the data), the
 * value axis and the tooltips show values in their series' format, date labels in their format,
 * and the keyboard moves along the points with the tooltip and a live region following.
 * Run: node --import tsx --test test/host/page-charts.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/browsers.mjs';
import { loadDashboardFiles, type DataSource } from '../../src/host/index.js';
import { EVERY_CHART, EVERY_CHART_TITLES, everyChartDashboard } from './helpers/every-chart-dashboard.js';
import { dashboardPath, DEMO_DASHBOARDS, openDemoDatabase, OVERVIEW, serveHost, signToken, type ServedHost } from './helpers/host-fixtures.js';

let database: DataSource;
let served: ServedHost;
let browser: Browser;

before(async () => {
  database = await openDemoDatabase();
  served = await serveHost({ database, dashboards: [...(await loadDashboardFiles(DEMO_DASHBOARDS)), everyChartDashboard()] });
  browser = await chromium.launch({ executablePath: findChromium() ?? 'chromium (set CHROME_PATH)', args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await served?.close();
  await database?.close();
});

/** What Chart.js made of a chart, by its title: its value axis and labels. */
interface Drawn {
  type: string;
  min: number;
  ticks: string[];
  labels: string[];
  colors: string[];
}

async function open(dashboard: number): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 900, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  // (The host serves no favicon, which the browser asks for on its own: that 404 is not the page's.)
  page.on('console', (message) => message.type() === 'error' && !message.text().startsWith('Failed to load resource') && errors.push(message.text()));
  await page.goto(served.origin + dashboardPath(dashboard, await signToken({ now: Date.now }, { dashboard, env: { ACCT_ID: '7' } })));
  await page.waitForFunction(() => [...document.querySelectorAll('canvas')].every((canvas) => (window as unknown as { Chart: { getChart(c: Element): unknown } }).Chart?.getChart(canvas)));
  return { page, errors };
}

function drawn(page: Page, title: string): Promise<Drawn> {
  return page.evaluate((title) => {
    const figure = [...document.querySelectorAll('figure')].find((element) => element.querySelector('h2')!.textContent === title)!;
    type Scale = { min: number; ticks: { label: string }[] };
    const chart = (window as unknown as { Chart: { getChart(c: Element): { config: { type: string }; scales: { y: Scale }; data: { labels: string[]; datasets: { backgroundColor: string }[] } } } }).Chart.getChart(figure.querySelector('canvas')!);
    return {
      type: chart.config.type,
      min: chart.scales.y.min,
      ticks: chart.scales.y.ticks.map((tick) => String(tick.label)),
      labels: chart.data.labels,
      colors: chart.data.datasets.map((dataset) => dataset.backgroundColor),
    };
  }, title);
}

test('the value axis starts at zero by default, and fits the data with beginAtZero: false', async () => {
  const { page, errors } = await open(EVERY_CHART);
  // "Orders by product" says beginAtZero: false; its shares are all far from zero.
  const fitted = await drawn(page, EVERY_CHART_TITLES.bar);
  assert.equal(fitted.type, 'bar');
  assert.ok(fitted.min > 0, `the axis fits the data: it starts at ${fitted.min}`);
  assert.notEqual(fitted.ticks[0], '0.0%');
  const overview = await open(OVERVIEW);
  // The demo's "Orders by product" keeps the default.
  const fromZero = await drawn(overview.page, 'Orders by product');
  assert.equal(fromZero.min, 0);
  assert.equal(fromZero.ticks[0], '0');
  assert.deepEqual([...errors, ...overview.errors], []);
  await page.close();
  await overview.page.close();
});

test('ticks and labels show values in their formats: percent, currency, dates', async () => {
  const { page } = await open(EVERY_CHART);
  const shares = await drawn(page, EVERY_CHART_TITLES.bar);
  for (const tick of shares.ticks) assert.match(tick, /^\d+\.\d%$/, 'percent with one decimal, as the column says');
  const revenue = await drawn(page, EVERY_CHART_TITLES.line);
  for (const tick of revenue.ticks) assert.match(tick, /^\$[\d,]+$/, 'whole dollars, as the column says');
  assert.equal(revenue.labels[0], 'Jan 2014', 'the month labels in their date format');
  // The theme's colours: the accent first.
  assert.deepEqual(revenue.colors, ['#2563eb']);
  await page.close();
});

test('the keyboard moves along the points: the tooltip and a live region say which, in the series\' format', async () => {
  const { page } = await open(EVERY_CHART);
  const canvas = page.getByRole('img', { name: `${EVERY_CHART_TITLES.line} (`, exact: false });
  await canvas.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  const tooltip = () =>
    canvas.evaluate((element) => {
      type Tooltip = { body?: { lines: string[] }[]; title?: string[]; getActiveElements(): unknown[] };
      const chart = (window as unknown as { Chart: { getChart(c: Element): { tooltip: Tooltip } } }).Chart.getChart(element);
      return { title: chart.tooltip.title?.[0], lines: chart.tooltip.body?.flatMap((part) => part.lines), active: chart.tooltip.getActiveElements().length };
    });
  const second = await tooltip();
  assert.equal(second.title, 'Feb 2014');
  assert.equal(second.lines?.length, 1);
  assert.match(second.lines![0]!, /^revenue: \$[\d,]+$/);
  const status = page.locator('#chartio-point');
  assert.equal(await status.getAttribute('role'), 'status');
  assert.equal(await status.innerText(), `Feb 2014, ${second.lines![0]}`);
  await page.keyboard.press('End');
  assert.match((await tooltip()).title!, /^\w{3} 2015$/, 'the last month');
  assert.equal((await tooltip()).active, 1);
  // Leaving the chart hides its tooltip.
  await page.keyboard.press('Tab');
  assert.equal((await tooltip()).active, 0);
  await page.close();
});
