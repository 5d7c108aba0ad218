/**
 * Assembles a dashboard page from three parts, so a new token's page can be streamed in two
 * steps and a cached page served whole:
 *
 *     new token:  head + LOADING ─(flush; queries run)─ HIDE_LOADING + body + tail
 *     cached:     head + body + tail            (no Loading element at all)
 *
 * The head depends only on the dashboard and the host's settings, so it is rendered once at
 * start-up; the body holds the token's data.
 * @module
 */
import { escapeHtml, jsonForScript } from './html.js';
import { CHARTS_ID, CONFIG_ID, HEAD_SCRIPT, HIDE_LOADING_STYLE, LOADING_ID, PAGE_SCRIPT, PAGE_STYLE } from './page-assets.js';
import { DEFAULT_LOCALE, intlFormatOf, type IntlFormat } from './format-value.js';
import { downloadOf } from '../definition/dashboard-definition.js';
import { renderChart } from './render-chart.js';
import { isDrawnChartType } from '../definition/chart-types/drawn-chart-types.js';
import type { DashboardRun } from '../sources/run-dashboard.js';
import type { DashboardDefinition } from '../types.js';

/** What the head needs besides the dashboard. */
export interface HeadOptions {
  /** Origins the page posts its height to. */
  parentOrigins: readonly string[];
  /** The dashboard's max age in seconds (undefined: `"exp"`), for the page script's check for newer data. */
  maxAge?: number;
}

/** Shown at once to a new token while its queries run. */
export const LOADING_HTML = `<p id="${LOADING_ID}" class="loading" role="status">Loading…</p>`;
/** Streamed when the queries are done: hides Loading (the page script also removes it). */
export const HIDE_LOADING_HTML = `<style>${HIDE_LOADING_STYLE}</style>`;
/** Closes the page. */
export const PAGE_TAIL = '</body></html>';

/**
 * The page up to and including `<body>`: title, style, the look the frame's URL asks for (a
 * classic script that runs at once) and the page script (an inline module, deferred). The
 * charts are drawn on the host (SVG in the body): no chart library is loaded.
 *
 * @example
 * renderPageHead(dashboard, { parentOrigins: ['https://app.example.com'] });
 */
export function renderPageHead(dashboard: DashboardDefinition, options: HeadOptions): string {
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${escapeHtml(dashboard.title)}</title>` +
    `<style>${PAGE_STYLE}</style>` +
    // Before any content: the first paint already has the look the frame's URL asks for.
    `<script>${HEAD_SCRIPT}</script>` +
    `<script type="application/json" id="${CONFIG_ID}">${jsonForScript({ parentOrigins: options.parentOrigins, ...(options.maxAge === undefined ? {} : { maxAge: options.maxAge }) })}</script>` +
    `<script type="module">${PAGE_SCRIPT}</script>` +
    '</head><body>'
  );
}

/** One run's dashboard in the two parts the page and the data route share. */
export interface DashboardParts {
  /** The `<main>` element: the title and every chart. */
  readonly main: string;
  /**
   * JSON text, safe inside a script block: `[]` (the charts are SVG in `main` now; the field
   * stays for the data route's answer, which embedding pages of older versions read).
   */
  readonly charts: string;
}

/**
 * Renders one run's dashboard as its two parts: `main` (the title and every chart, drawn) and
 * `charts` (`[]`). The page body and the data route are both made from these, so a page and its
 * data never disagree.
 *
 * Drawing is synchronous work of a few milliseconds per drawn chart (ECharts, each width), so it
 * lets the event loop turn before each drawn chart: a cached page asked for meanwhile (the
 * common request) waits for one chart's drawing, not a whole dashboard's (bench `max-age`, `storm`).
 *
 * @example
 * const parts = await renderDashboardParts(dashboard, await runDashboard(dashboard, env, database, options));
 * parts.main; // '<main><h1>Account overview</h1><div class="charts" data-locale="en-US" data-formats="{…}">…</div></main>'
 */
export async function renderDashboardParts(dashboard: DashboardDefinition, run: DashboardRun): Promise<DashboardParts> {
  const formats: Record<string, IntlFormat> = {};
  const charts: string[] = [];
  for (const [index, outcome] of run.charts.entries()) {
    if (outcome.status === 'ok' && isDrawnChartType(outcome.chart.type)) await nextTurn();
    const rendered = renderChart(outcome, index, { download: downloadOf(dashboard, outcome.chart) !== undefined });
    for (const key of rendered.formats) formats[key] = intlFormatOf(key);
    charts.push(rendered.html);
  }
  // The formats' dictionary and locale travel with the charts, so the page can re-format them.
  const formatting = ` data-locale="${DEFAULT_LOCALE}" data-formats="${escapeHtml(JSON.stringify(formats))}"`;
  return { main: `<main><h1>${escapeHtml(dashboard.title)}</h1><div class="charts"${formatting}>${charts.join('')}</div></main>`, charts: jsonForScript([]) };
}

/** Resolves after the event loop has handled what was waiting (I/O included): `setImmediate`. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * The page body from a dashboard's parts: `main`, then the charts' data block (only when there
 * is a line or bar chart).
 *
 * @example
 * const body = pageBodyOf(await renderDashboardParts(dashboard, run)) + PAGE_TAIL;
 */
export function pageBodyOf(parts: DashboardParts): string {
  return parts.charts === '[]' ? parts.main : `${parts.main}${CHARTS_BLOCK_OPEN}${parts.charts}</script>`;
}

/** What opens the charts' data block in a page body (the data route finds the JSON after it). */
export const CHARTS_BLOCK_OPEN = `<script type="application/json" id="${CHARTS_ID}">`;

/**
 * Tells whether a dashboard needs ECharts (it has a chart drawn as SVG: line, bar, pie, …).
 *
 * @example
 * needsEcharts(dashboard); // true when a chart is 'line', 'bar', 'pie', …
 */
export function needsEcharts(dashboard: DashboardDefinition): boolean {
  return dashboard.charts.some((chart) => isDrawnChartType(chart.type));
}
