/**
 * The cost of drawing charts on the host (src/host/charts), side by side in one run:
 * - one 24-point, 2-series line chart: ECharts' own SVG at one width (the floor), and the host's
 *   whole drawing (three widths, points and the page's SVG clean-up), median ms;
 * - a new token's page of the demo's overview dashboard (its queries run, then rendered): as the
 *   host renders it now, and as it did before the drawn charts (Chart.js drew in the browser),
 *   from the source of commit `BEFORE` (extracted by `git archive` into a temporary folder);
 * - the page's own scripts (head and page runtime), minified and brotli-compressed.
 * Run: npm run bench -- charts
 * @module
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import { createDemoDatabase } from '../demo/dataset/demo-dataset.js';
import { loadEcharts } from '../src/host/charts/echarts-peer.js';
import { renderChart } from '../src/host/page/render-chart.js';
import { renderDashboardParts } from '../src/host/page/render-page.js';
import { HEAD_SCRIPT, PAGE_SCRIPT } from '../src/host/page/page-assets.js';
import { loadDashboardFiles } from '../src/host/index.js';
import { runDashboard } from '../src/host/sources/run-dashboard.js';
import type { ChartDefinition, DashboardDefinition } from '../src/host/types.js';
import { median, printTable } from './format.js';

/** The last commit before the drawn charts. */
const BEFORE = 'b1f87c4';
const ROOT = new URL('../', import.meta.url).pathname;

function time(times: number, work: () => unknown): number {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    work();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

async function lineChart(): Promise<void> {
  const chart: ChartDefinition = { title: 'Revenue', type: 'line', sql: 'SELECT 1', maxRows: 1000, variables: [], beginAtZero: true };
  const rows = Array.from({ length: 24 }, (_, index) => [`20${24 + Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`, 1000 + index * 37, 800 + ((index * 53) % 400)]);
  const result = { columns: ['month', 'completed', 'refunded'], rows, truncated: false };
  const echarts = loadEcharts();
  const instance = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 480, height: 260 });
  const option = {
    animation: false,
    xAxis: { type: 'category', data: rows.map((row) => row[0]) },
    yAxis: { type: 'value' },
    series: [1, 2].map((column) => ({ type: 'line', data: rows.map((row) => row[column]) })),
  };
  const floor = () => {
    instance.setOption(option, true);
    instance.renderToSVGString();
  };
  const ours = () => renderChart({ chart, status: 'ok', result }, 0);
  time(30, floor);
  time(30, ours);
  const rowsOut = [
    { name: 'ECharts SVG, one width (floor)', value: time(100, floor), unit: 'ms' },
    { name: 'host drawing: 3 widths, points, page SVG', value: time(100, ours), unit: 'ms' },
  ];
  instance.dispose();
  printTable('One 24-point, 2-series line chart, median of 100', rowsOut, { baseline: 'ECharts SVG, one width (floor)', higherIsBetter: false });
  console.log(`(goal: the host drawing ≤ 5 ms; it is ${rowsOut[1]!.value.toFixed(2)} ms)`);
}

async function newTokenPage(tokens: number): Promise<void> {
  const folder = await mkdtemp(join(tmpdir(), 'chartio-before-'));
  const database = await createDemoDatabase({ connections: 2 });
  try {
    execFileSync('sh', ['-c', `git -C "${ROOT}" archive ${BEFORE} src demo | tar -x -C "${folder}"`]);
    await symlink(join(ROOT, 'node_modules'), join(folder, 'node_modules'));
    const before = (await import(join(folder, 'src/host/page/render-page.ts'))) as { renderDashboardParts: (d: DashboardDefinition, run: unknown) => unknown };
    const [overview] = (await loadDashboardFiles(join(ROOT, 'demo/dashboards'))).filter((dashboard) => dashboard.id === 38727);
    const options = { timeoutMs: 10_000, log: () => {} };
    const page = async (render: (d: DashboardDefinition, run: never) => unknown, account: number) => {
      const start = performance.now();
      await render(overview!, (await runDashboard(overview!, { ACCT_ID: String(account) }, database, options)) as never);
      return performance.now() - start;
    };
    // Warm-up, then the two renderers on the same accounts, alternating.
    for (const account of [1, 2]) {
      await page(renderDashboardParts, account);
      await page(before.renderDashboardParts as never, account);
    }
    const now: number[] = [];
    const then: number[] = [];
    for (let account = 3; account < 3 + tokens; account++) {
      then.push(await page(before.renderDashboardParts as never, account));
      now.push(await page(renderDashboardParts, account));
    }
    printTable(`A new token's page of the demo overview (6 queries + render), median of ${tokens} accounts`, [
      { name: `before (${BEFORE}: Chart.js in the browser)`, value: median(then), unit: 'ms' },
      { name: 'now (charts drawn as SVG on the host)', value: median(now), unit: 'ms' },
    ], { baseline: `before (${BEFORE}: Chart.js in the browser)`, higherIsBetter: false, targets: { 'now (charts drawn as SVG on the host)': { ratio: 1.5, label: '≤ 1.5× before' } } });
  } finally {
    await database.close();
    await rm(folder, { recursive: true, force: true });
  }
}

function pageScript(): void {
  const br = (text: string) => brotliCompressSync(Buffer.from(text)).byteLength;
  printTable('The page\'s own scripts, minified + brotli', [
    { name: 'head script', value: br(HEAD_SCRIPT), unit: 'B' },
    { name: 'page runtime (hover, clicks, keys, in place…)', value: br(PAGE_SCRIPT), unit: 'B' },
    { name: 'both', value: br(HEAD_SCRIPT) + br(PAGE_SCRIPT), unit: 'B' },
  ], { baseline: 'both', higherIsBetter: false });
  console.log(`(goal: ≤ 8 KB; no chart library is loaded besides)`);
}

/**
 * Runs the drawn-chart benchmarks and prints their tables.
 *
 * @example
 * await benchDrawnCharts(); // "## One 24-point, 2-series line chart…", "## A new token's page…", "## The page's own scripts…"
 */
export async function benchDrawnCharts(tokens = 20): Promise<void> {
  await lineChart();
  await newTokenPage(tokens);
  pageScript();
}
