/**
 * A result as an HTML table: a `table` chart's body (sortable headers, an optional totals row)
 * and a line or bar chart's data table. Sorting happens in the page (src/page/table-sort.ts): a
 * header's button sorts by its column, and `aria-sort` says which way.
 * @module
 */
import { formatResult, type ShownCell, type ShownColumn, type ShownResult } from './format-columns.js';
import { escapeHtml } from './html.js';
import type { ColumnFormat, QueryResult } from '../types.js';

/** A formatted result. */
export type Shown = Extract<ShownResult, { ok: true }>;

/** Options of {@link renderTable}. */
export interface TableOptions {
  /** Headers are buttons that sort the rows (a `table` chart). */
  readonly sortable?: boolean;
  /** A last row summing each numeric column (`totalsOf` computes it). */
  readonly totals?: readonly ShownCell[];
}

/** The label of a totals row. */
export const TOTAL_LABEL = 'Total';

/**
 * A table of every shown column, named by the chart's title; numeric columns right-aligned. The
 * first row is the table's tab stop (the arrow keys move it, in the page).
 *
 * @example
 * renderTable(shown, 'chart-3-title', { sortable: true });
 * // '<div class="table-box"><table aria-labelledby="chart-3-title"><thead><tr><th scope="col"><button type="button" class="sort">product</button></th>…'
 */
export function renderTable(shown: Shown, labelledBy: string, options: TableOptions = {}): string {
  const align = (column: ShownColumn) => (column.numeric ? ' class="num"' : '');
  const head = shown.columns
    .map((column) =>
      options.sortable
        ? `<th scope="col"${align(column)}><button type="button" class="sort">${escapeHtml(column.name)}</button></th>`
        : `<th scope="col"${align(column)}>${escapeHtml(column.name)}</th>`,
    )
    .join('');
  const body = shown.rows
    .map((row, index) => `<tr${index === 0 ? ' tabindex="0"' : ''}>${row.map((cell, column) => `<td${align(shown.columns[column]!)}${dataAttributes(cell)}>${escapeHtml(cell.text)}</td>`).join('')}</tr>`)
    .join('');
  const foot = options.totals
    ? `<tfoot><tr class="totals">${options.totals.map((cell, column) => (column === 0 && cell.key === undefined ? `<th scope="row">${escapeHtml(cell.text)}</th>` : `<td${align(shown.columns[column]!)}${dataAttributes(cell)}>${escapeHtml(cell.text)}</td>`)).join('')}</tr></tfoot>`
    : '';
  return `<div class="table-box"><table aria-labelledby="${labelledBy}"><thead><tr>${head}</tr></thead><tbody>${body}</tbody>${foot}</table></div>`;
}

/**
 * The totals row of a result: each numeric column's sum (ids excepted) in the column's format,
 * "Total" in the first column when it is not summed, nothing elsewhere.
 *
 * @example
 * totalsOf({ columns: ['product', 'orders'], rows: [['Team', 3], ['Starter', 4]], truncated: false }, shown, {});
 * // [{ text: 'Total' }, { text: '7', raw: '7', key: 'number' }]
 */
export function totalsOf(result: QueryResult, shown: Shown, formats: Readonly<Record<string, ColumnFormat>>): ShownCell[] {
  const sums = shown.columns.map((column, index) => {
    if (!column.numeric || formats[column.name]?.type === 'id') return null;
    return result.rows.reduce((sum, row) => sum + (row[index] === null || row[index] === undefined ? 0 : Number(row[index])), 0);
  });
  const formatted = formatResult({ columns: result.columns, rows: [sums], truncated: false }, formats, { series: false });
  const cells = formatted.ok ? [...formatted.rows[0]!] : sums.map(() => ({ text: '' }));
  return cells.map((cell, index) => (sums[index] === null ? { text: index === 0 ? TOTAL_LABEL : '' } : cell));
}

/**
 * ` data-value="…" data-format="…"` for a formatted cell, ` data-null` for an empty one; nothing
 * for text shown as is.
 *
 * @example
 * dataAttributes({ text: '$6.40', raw: '6.4', key: 'currency:USD' }); // ' data-value="6.4" data-format="currency:USD"'
 */
export function dataAttributes(cell: ShownCell): string {
  if (cell.empty) return ' data-null';
  return cell.key === undefined ? '' : ` data-value="${escapeHtml(cell.raw!)}" data-format="${escapeHtml(cell.key)}"`;
}
