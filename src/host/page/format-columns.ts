/**
 * Formats a whole query result by its chart's column formats, and checks it before anything is
 * drawn: a format naming no column, or a column holding text where a number (or a date) belongs,
 * becomes a sentence naming the column, shown on the chart instead of an empty drawing.
 * @module
 */
import { NUMERIC_FORMATS } from '../definition/format-definition.js';
import { formatValue, numericFormatKey } from './format-value.js';
import type { CellValue, ColumnFormat, QueryResult } from '../types.js';

/** One column as shown: right-aligned when `numeric`. */
export interface ShownColumn {
  readonly name: string;
  readonly numeric: boolean;
  /** A series' format key (line and bar charts), for its ticks and tooltips. */
  readonly key?: string;
}

/** One cell as shown: its text, and for a formatted value its raw value and format key. */
export interface ShownCell {
  readonly text: string;
  readonly raw?: string;
  readonly key?: string;
  /** The value is SQL NULL (shown as a dash): the page reports `null` for it, not the dash. */
  readonly empty?: true;
}

/** A result ready to render, or the reason it cannot be (a sentence for the viewer). */
export type ShownResult =
  | { readonly ok: true; readonly columns: readonly ShownColumn[]; readonly rows: readonly (readonly ShownCell[])[] }
  | { readonly ok: false; readonly message: string };

/** How a chart type reads its columns. */
export interface ColumnRoles {
  /**
   * Line and bar charts: the first column gives the labels (shown as is unless it has a format),
   * every further column is a series and must hold numbers.
   */
  readonly series: boolean;
  /** With `series`: how many leading columns are labels (default 1); every later one holds numbers. */
  readonly labelColumns?: number;
}

/**
 * Formats every cell of `result` by `formats` (by column name). Without a format, numbers show as
 * `number` and other values as they are. Fails, naming the column, when a format names no column
 * of the result, or a value does not fit its column's format or role.
 *
 * @example
 * formatResult({ columns: ['order', 'amount'], rows: [[2185, 6.4]], truncated: false }, { order: { type: 'id' }, amount: { type: 'currency', currency: 'USD' } }, { series: false });
 * // { ok: true, columns: [{ name: 'order', numeric: true, key: 'id' }, …], rows: [[{ text: '2185', raw: '2185', key: 'id' }, { text: '$6.40', … }]] }
 */
export function formatResult(result: QueryResult, formats: Readonly<Record<string, ColumnFormat>>, roles: ColumnRoles): ShownResult {
  for (const name of Object.keys(formats)) {
    if (!result.columns.includes(name)) {
      return { ok: false, message: `This chart cannot be shown: it has a format for the column "${name}", which its query does not return (its columns: ${result.columns.map((column) => `"${column}"`).join(', ')}).` };
    }
  }
  const columns: ShownColumn[] = [];
  const cells: ShownCell[][] = result.rows.map(() => []);
  for (const [index, name] of result.columns.entries()) {
    const labelColumns = roles.labelColumns ?? 1;
    const isSeries = roles.series && index >= labelColumns;
    const declared = Object.hasOwn(formats, name) ? formats[name] : undefined;
    if (isSeries && declared?.type === 'date') {
      return { ok: false, message: `This chart cannot be shown: the column "${name}" is a series, so it holds numbers, but its format is a date.` };
    }
    const plainLabels = roles.series && index < labelColumns && !declared;
    for (const [row, values] of result.rows.entries()) {
      const value = values[index] ?? null;
      const shown = plainLabels ? { ok: true as const, text: value === null ? '—' : String(value) } : formatValue(value, declared ?? (isSeries ? { type: 'number' } : undefined));
      if (!shown.ok) return { ok: false, message: wrongType(name, value, shown.expected, row) };
      cells[row]!.push({ text: shown.text, ...(shown.key === undefined ? {} : { raw: shown.raw!, key: shown.key }), ...(value === null ? { empty: true as const } : {}) });
    }
    const numeric = declared ? NUMERIC_FORMATS.has(declared.type) : isSeries || (!plainLabels && allNumbers(result.rows, index));
    columns.push({ name, numeric, ...(isSeries ? { key: numericFormatKey(declared) } : {}) });
  }
  return { ok: true, columns, rows: cells };
}

/** True when the column has a value and every value is a number. */
function allNumbers(rows: readonly (readonly CellValue[])[], index: number): boolean {
  let seen = false;
  for (const row of rows) {
    const value = row[index] ?? null;
    if (value === null) continue;
    if (typeof value !== 'number') return false;
    seen = true;
  }
  return seen;
}

/** The sentence for a value that does not fit its column: names the column, the value and the row. */
function wrongType(column: string, value: CellValue, expected: string, row: number): string {
  const held = typeof value === 'string' ? `text (${quote(value)})` : typeof value === 'number' ? `the number ${value}` : String(value);
  return `This chart cannot be shown: the column "${column}" holds ${held} in row ${row + 1}, where ${expected} belongs.`;
}

function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}
