/**
 * A `number` chart's body: the value (first column, first row), its change against the
 * `comparison` column (▲/▼ and the percentage, with words for screen readers), and the
 * `sparkline` column over the rows (newest first, so drawn right to left).
 * @module
 */
import { formatValue } from './format-value.js';
import { escapeHtml } from './html.js';
import { dataAttributes, type Shown } from './render-table.js';
import { sparklineSvg } from './sparkline.js';
import type { ChartDefinition, QueryResult } from '../types.js';

/**
 * The number's HTML, and the format keys its change adds.
 *
 * @example
 * renderNumber(chart, result, shown).html;
 * // '<p class="value" tabindex="0" data-column="revenue" data-value="1200" data-format="number">1,200</p><p class="change up">…'
 */
export function renderNumber(chart: ChartDefinition, result: QueryResult, shown: Shown): { html: string; formats: string[] } {
  const cell = shown.rows[0]![0]!;
  const value = `<p class="value" tabindex="0" data-column="${escapeHtml(shown.columns[0]!.name)}"${dataAttributes(cell)}>${escapeHtml(cell.text)}</p>`;
  const change = chart.comparison === undefined ? undefined : changeOf(result, chart.comparison);
  const line = chart.sparkline === undefined ? '' : sparklineSvg(columnValues(result, chart.sparkline).reverse());
  return { html: `${value}${change?.html ?? ''}${line}`, formats: change?.key ? [change.key] : [] };
}

/** The change from the comparison column's value to the number's, as a percentage of the former. */
function changeOf(result: QueryResult, comparison: string): { html: string; key?: string } | undefined {
  const current = numberAt(result, 0, result.columns[0]!);
  const previous = numberAt(result, 0, comparison);
  if (current === null || previous === null || previous === 0) return undefined;
  const ratio = (current - previous) / Math.abs(previous);
  const shown = formatValue(Math.abs(ratio), { type: 'percent', decimals: 1 });
  if (!shown.ok) return undefined;
  const direction = ratio > 0 ? 'up' : ratio < 0 ? 'down' : 'same';
  const arrow = { up: '▲', down: '▼', same: '' }[direction];
  const words = { up: 'up', down: 'down', same: 'unchanged,' }[direction];
  return {
    html: `<p class="change ${direction}"><span aria-hidden="true">${arrow}</span><span class="visually-hidden">${words} </span><span data-value="${escapeHtml(shown.raw!)}" data-format="${escapeHtml(shown.key!)}">${escapeHtml(shown.text)}</span></p>`,
    key: shown.key,
  };
}

function numberAt(result: QueryResult, row: number, column: string): number | null {
  const value = result.rows[row]?.[result.columns.indexOf(column)] ?? null;
  if (value === null || typeof value === 'boolean') return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}

function columnValues(result: QueryResult, column: string): (number | null)[] {
  return result.rows.map((_, row) => numberAt(result, row, column));
}
