/**
 * A `pivot` chart's body: a cross table with the `pivot.rows` column's values down the side, the
 * `pivot.columns` column's across the top (each in the order first seen), and in each cell the
 * sum of `pivot.value` for that pair; with totals, a total per row, per column and overall.
 * @module
 */
import { formatValue } from './format-value.js';
import { escapeHtml } from './html.js';
import { dataAttributes, TOTAL_LABEL } from './render-table.js';
import type { ShownCell } from './format-columns.js';
import type { CellValue, ChartDefinition, ColumnFormat, QueryResult } from '../types.js';

/**
 * The pivot's table, or why it cannot be drawn (a value that is not a number), and the format
 * keys it uses.
 *
 * @example
 * renderPivot(chart, { columns: ['product', 'status', 'n'], rows: [['Team', 'paid', 3]], truncated: false }, 'chart-4-title');
 * // { ok: true, html: '<div class="table-box"><table …><thead><tr><th scope="col">product</th><th scope="col" class="num">paid</th>…', formats: ['number'] }
 */
export function renderPivot(chart: ChartDefinition, result: QueryResult, labelledBy: string): { ok: true; html: string; formats: string[] } | { ok: false; message: string } {
  const { rows: rowColumn, columns: columnColumn, value: valueColumn } = chart.pivot!;
  const at = (name: string) => result.columns.indexOf(name);
  const [r, c, v] = [at(rowColumn), at(columnColumn), at(valueColumn)];
  const rowKeys: string[] = [];
  const columnKeys: string[] = [];
  const cells = new Map<string, number>();
  for (const [index, row] of result.rows.entries()) {
    const value = row[v] ?? null;
    if (value !== null && (typeof value === 'boolean' || !Number.isFinite(Number(value)))) {
      return { ok: false, message: `This chart cannot be shown: the column "${valueColumn}" holds ${JSON.stringify(String(value).slice(0, 40))} in row ${index + 1}, where a number belongs.` };
    }
    const rowKey = label(row[r] ?? null);
    const columnKey = label(row[c] ?? null);
    if (!rowKeys.includes(rowKey)) rowKeys.push(rowKey);
    if (!columnKeys.includes(columnKey)) columnKeys.push(columnKey);
    if (value !== null) cells.set(pairKey(rowKey, columnKey), (cells.get(pairKey(rowKey, columnKey)) ?? 0) + Number(value));
  }
  const format: ColumnFormat = chart.formats?.[valueColumn] ?? { type: 'number' };
  const keys = new Set<string>();
  const cell = (value: number | undefined): string => {
    const shown = value === undefined ? ({ text: '—', empty: true } as ShownCell) : asCell(formatValue(value, format));
    if (shown.key) keys.add(shown.key);
    return `<td class="num"${dataAttributes(shown)}>${escapeHtml(shown.text)}</td>`;
  };
  const sum = (values: (number | undefined)[]) => values.reduce<number>((total, value) => total + (value ?? 0), 0);
  const totals = chart.totals !== false;
  const head = `<tr><th scope="col">${escapeHtml(rowColumn)}</th>${columnKeys.map((key) => `<th scope="col" class="num">${escapeHtml(key)}</th>`).join('')}${totals ? `<th scope="col" class="num">${TOTAL_LABEL}</th>` : ''}</tr>`;
  const body = rowKeys
    .map((rowKey, index) => {
      const values = columnKeys.map((columnKey) => cells.get(pairKey(rowKey, columnKey)));
      return `<tr${index === 0 ? ' tabindex="0"' : ''}><th scope="row">${escapeHtml(rowKey)}</th>${values.map(cell).join('')}${totals ? cell(sum(values)) : ''}</tr>`;
    })
    .join('');
  const foot = totals
    ? `<tfoot><tr class="totals"><th scope="row">${TOTAL_LABEL}</th>${columnKeys.map((columnKey) => cell(sum(rowKeys.map((rowKey) => cells.get(pairKey(rowKey, columnKey)))))).join('')}${cell(sum([...cells.values()]))}</tr></tfoot>`
    : '';
  return { ok: true, html: `<div class="table-box"><table class="pivot" aria-labelledby="${labelledBy}"><thead>${head}</thead><tbody>${body}</tbody>${foot}</table></div>`, formats: [...keys] };
}

function label(value: CellValue): string {
  return value === null ? '—' : String(value);
}

function pairKey(row: string, column: string): string {
  return JSON.stringify([row, column]);
}

function asCell(shown: ReturnType<typeof formatValue>): ShownCell {
  return shown.ok ? { text: shown.text, ...(shown.key === undefined ? {} : { raw: shown.raw!, key: shown.key }) } : { text: '—', empty: true };
}
