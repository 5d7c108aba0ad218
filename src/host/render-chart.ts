/**
 * Renders one chart's outcome as HTML. `number` and `table` charts are plain HTML; `line` and
 * `bar` charts are a `<canvas>` plus a data spec the page script hands to Chart.js.
 * @module
 */
import { escapeHtml } from './html.js';
import type { ChartOutcome } from './run-dashboard.js';
import type { CellValue, QueryResult } from './types.js';

/** What the page script needs to draw a line or bar chart. */
export interface CanvasChartSpec {
  canvas: string;
  type: 'line' | 'bar';
  labels: string[];
  series: { label: string; data: (number | null)[] }[];
}

/** A rendered chart: its HTML, and the canvas spec for line and bar charts. */
export interface RenderedChart {
  html: string;
  spec?: CanvasChartSpec;
}

const NUMBER_FORMAT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/**
 * Renders chart number `index` of a dashboard. Every text from the dashboard file or the
 * database is escaped.
 *
 * @example
 * renderChart({ chart, status: 'ok', result: { columns: ['n'], rows: [[1469]], truncated: false } }, 0).html;
 * // '<figure class="chart chart-number" id="chart-0" data-status="ok"><h2>Orders</h2><p class="value">1,469</p></figure>'
 */
export function renderChart(outcome: ChartOutcome, index: number): RenderedChart {
  const { chart } = outcome;
  const open = (status: string) => `<figure class="chart chart-${chart.type}" id="chart-${index}" data-status="${status}"><h2>${escapeHtml(chart.title)}</h2>`;
  if (outcome.status !== 'ok') {
    return { html: `${open(outcome.status)}<p class="chart-message" role="note">${escapeHtml(outcome.message)}</p></figure>` };
  }
  const { result } = outcome;
  switch (chart.type) {
    case 'number':
      return { html: `${open('ok')}${renderNumber(result)}</figure>` };
    case 'table':
      return { html: `${open('ok')}${renderTable(result)}</figure>` };
    case 'line':
    case 'bar': {
      if (result.columns.length < 2) {
        const message = 'This chart needs two columns or more: the labels first, then one column per series.';
        return { html: `${open('failed')}<p class="chart-message" role="note">${escapeHtml(message)}</p></figure>` };
      }
      const canvas = `chart-${index}-canvas`;
      const spec: CanvasChartSpec = {
        canvas,
        type: chart.type,
        labels: result.rows.map((row) => formatLabel(row[0] ?? null)),
        series: result.columns.slice(1).map((label, column) => ({
          label,
          data: result.rows.map((row) => toNumber(row[column + 1] ?? null)),
        })),
      };
      const empty = result.rows.length === 0 ? '<p class="note">No data.</p>' : '';
      return {
        html: `${open('ok')}<div class="canvas-box"><canvas id="${canvas}" role="img" aria-label="${escapeHtml(chart.title)}"></canvas></div>${empty}${truncatedNote(result)}</figure>`,
        spec,
      };
    }
  }
}

function renderNumber(result: QueryResult): string {
  const value = result.rows[0]?.[0] ?? null;
  return value === null ? '<p class="value">—</p><p class="note">No data.</p>' : `<p class="value">${escapeHtml(formatCell(value))}</p>`;
}

function renderTable(result: QueryResult): string {
  const head = result.columns.map((column) => `<th scope="col">${escapeHtml(column)}</th>`).join('');
  const body = result.rows
    .map((row) => `<tr>${row.map((cell) => (typeof cell === 'number' ? `<td class="num">` : '<td>') + escapeHtml(formatCell(cell)) + '</td>').join('')}</tr>`)
    .join('');
  const empty = result.rows.length === 0 ? '<p class="note">No data.</p>' : '';
  return `<div class="table-box"><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>${empty}${truncatedNote(result)}`;
}

function truncatedNote(result: QueryResult): string {
  return result.truncated ? `<p class="note">Showing the first ${result.rows.length} rows.</p>` : '';
}

/**
 * Formats a cell for display: numbers with thousands separators and at most two decimals.
 *
 * @example
 * formatCell(357367.4); // '357,367.4'
 * formatCell(null); // '—'
 */
export function formatCell(value: CellValue): string {
  if (value === null) return '—';
  if (typeof value === 'number') return NUMBER_FORMAT.format(value);
  return String(value);
}

function formatLabel(value: CellValue): string {
  return value === null ? '—' : String(value);
}

function toNumber(value: CellValue): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : null;
  }
  return null;
}
