/**
 * Renders one chart's outcome as HTML. `number` and `table` charts are plain HTML; the drawn
 * types (line, area, bar, combo, pie, donut, scatter, funnel, heatmap) are SVG drawn here with
 * ECharts (src/host/charts), so the first paint shows them with no script, and a data table in a
 * `<details>` as their text alternative.
 *
 * Every chart is a `<figure>` named by its `<figcaption>` (the title). Its `data-status` says
 * what it shows: `ok`, `empty` (no data for these filters), `unavailable` (a Hidden Variable the
 * token lacks) or `failed` (its query, or a value of the wrong type). Formatted values carry
 * `data-value` and `data-format` (see format-value.ts), so the page can re-format them for a
 * locale without a new query.
 * @module
 */
import { chartKind } from '../definition/chart-types/index.js';
import { formatResult, type ShownResult } from './format-columns.js';
import { escapeHtml } from './html.js';
import { layoutClasses } from './layout.js';
import { markdownToHtml } from './markdown.js';
import { renderNumber } from './render-number.js';
import { renderPivot } from './render-pivot.js';
import { renderTable, totalsOf } from './render-table.js';
import type { ChartOutcome } from '../sources/run-dashboard.js';
import type { QueryResult } from '../types.js';
import { drawChart } from '../charts/draw-chart.js';
import { isDrawnChartType } from '../definition/chart-types/drawn-chart-types.js';

/** A rendered chart: its HTML and the format keys its values use. */
export interface RenderedChart {
  html: string;
  /** Every `data-format` key in `html` (the page's dictionary needs each). */
  formats: string[];
}

/** Shown on a chart whose query returned nothing to show. */
export const NO_DATA_MESSAGE = 'No data for these filters.';
/** The label of a chart's download button. */
export const DOWNLOAD_LABEL = 'Download CSV';

/** Options of {@link renderChart}. */
export interface RenderChartOptions {
  /** Show the chart's "Download CSV" button (when it shows data). */
  readonly download?: boolean;
}

export { TWO_COLUMNS_MESSAGE } from '../definition/chart-types/drawn-chart-type.js';

/** How many leading columns of a drawn type are labels (shown as is unless formatted); the rest must hold numbers. */
const LABEL_COLUMNS: Readonly<Record<string, number>> = { scatter: 0, heatmap: 2 };

/**
 * Renders chart number `index` of a dashboard. Every text from the dashboard file or the
 * database is escaped. A chart that shows data ends with its download button when
 * `options.download` says so; a number names its column (`data-column`), and an empty cell says it
 * is empty (`data-null`), so the page reports raw values when the viewer clicks one. Each chart
 * is one tab stop (its number, its drawing, its table's first row) for the keyboard.
 *
 * @example
 * renderChart({ chart, status: 'ok', result: { columns: ['n'], rows: [[1469]], truncated: false } }, 0).html;
 * // '<figure class="chart chart-number" id="chart-0" data-status="ok"><figcaption id="chart-0-title"><h2>Orders</h2></figcaption>
 * //  <p class="value" tabindex="0" data-column="n" data-value="1469" data-format="number">1,469</p></figure>'
 */
export function renderChart(outcome: ChartOutcome, index: number, options: RenderChartOptions = {}): RenderedChart {
  const { chart } = outcome;
  const titleId = `chart-${index}-title`;
  const open = (status: string) =>
    `<figure class="chart chart-${chart.type}${layoutClasses(chart)}" id="chart-${index}" data-status="${status}"><figcaption id="${titleId}"><h2>${escapeHtml(chart.title)}</h2></figcaption>`;
  const message = (status: string, text: string): RenderedChart => ({
    html: `${open(status)}<p class="chart-message" role="note">${escapeHtml(text)}</p></figure>`,
    formats: [],
  });
  if (outcome.status !== 'ok') return message(outcome.status, outcome.message);
  if (chart.type === 'text') return { html: `${open('ok')}<div class="text">${markdownToHtml(chart.markdown ?? '')}</div></figure>`, formats: [] };
  const { result } = outcome;
  const drawn = isDrawnChartType(chart.type);
  const columns = chartKind(chart.type).columnProblem(result.columns, chart);
  // A drawn type's rule says a whole sentence; the others' a reason.
  if (columns) return message('failed', drawn ? columns : `This chart cannot be shown: ${columns}.`);
  const shown = formatResult(result, chart.formats ?? {}, { series: drawn, labelColumns: LABEL_COLUMNS[chart.type] ?? 1 });
  if (!shown.ok) return message('failed', shown.message);
  if (isEmpty(chart.type, result)) {
    return { html: `${open('empty')}<p class="chart-empty" role="note">${NO_DATA_MESSAGE}</p></figure>`, formats: [] };
  }
  const formats = keysOf(shown);
  const close = `${options.download ? downloadButton(titleId) : ''}</figure>`;
  switch (chart.type) {
    case 'number': {
      const number = renderNumber(chart, result, shown);
      return { html: `${open('ok')}${number.html}${close}`, formats: [...new Set([...formats, ...number.formats])] };
    }
    case 'table': {
      const totals = chart.totals ? totalsOf(result, shown, chart.formats ?? {}) : undefined;
      const totalKeys = totals?.flatMap((cell) => (cell.key ? [cell.key] : [])) ?? [];
      return { html: `${open('ok')}${renderTable(shown, titleId, { sortable: true, ...(totals ? { totals } : {}) })}${truncatedNote(result)}${close}`, formats: [...new Set([...formats, ...totalKeys])] };
    }
    case 'pivot': {
      const pivot = renderPivot(chart, result, titleId);
      if (!pivot.ok) return message('failed', pivot.message);
      return { html: `${open('ok')}${pivot.html}${truncatedNote(result)}${close}`, formats: pivot.formats };
    }
    default: {
      const name = `${chart.title} (${chart.type} chart; its data is in the data table below)`;
      const drawing = drawChart({ chart, result, columns: shown.columns, rows: shown.rows, name, prefix: `c${index}` });
      return {
        html: `${open('ok')}${drawing.html}<details class="chart-data"><summary>Data table</summary>${renderTable(shown, titleId)}</details>${truncatedNote(result)}${close}`,
        formats: [...new Set([...formats, ...drawing.formats])],
      };
    }
  }
}

/**
 * The chart's download button, described by the chart's title, and the live region the page
 * script reports the download's progress or failure in.
 */
function downloadButton(titleId: string): string {
  return `<p class="chart-actions"><button type="button" class="download" aria-describedby="${titleId}">${DOWNLOAD_LABEL}</button><span role="status"></span></p>`;
}

/** No row; for a number chart, an empty value; for a drawn chart, no value in any series. */
function isEmpty(type: ChartOutcome['chart']['type'], result: QueryResult): boolean {
  if (result.rows.length === 0) return true;
  if (type === 'number') return (result.rows[0]![0] ?? null) === null;
  if (!isDrawnChartType(type)) return false;
  // A drawn chart: no value in any value column (heatmap: the third; scatter: any).
  const from = type === 'heatmap' ? 2 : type === 'scatter' ? 0 : 1;
  return result.rows.every((row) => row.slice(from).every((value) => value === null));
}

function keysOf(shown: Extract<ShownResult, { ok: true }>): string[] {
  const keys = new Set<string>();
  for (const row of shown.rows) for (const cell of row) if (cell.key !== undefined) keys.add(cell.key);
  return [...keys];
}

function truncatedNote(result: QueryResult): string {
  return result.truncated ? `<p class="note">Showing the first ${result.rows.length} rows.</p>` : '';
}
