/**
 * A query result as an axis chart's categories and series: the first column's values are the
 * labels, each further column a series. When the labels are dates (every value a month like
 * `2024-03` or a day like `2024-03-01`, ascending), every period between the first and the last
 * becomes a label, so a month without rows shows as a gap instead of being skipped.
 * @module
 */
import { DEFAULT_LOCALE, formatKeyed } from '../page/format-value.js';
import type { ShownCell } from '../page/format-columns.js';
import type { CellValue } from '../types.js';

/** One label of the category axis: its text, and when formatted its raw value and format key. */
export interface AxisLabel {
  readonly text: string;
  readonly raw?: string;
  readonly key?: string;
}

/** Categories and series of an axis chart. */
export interface AxisData {
  readonly labels: readonly AxisLabel[];
  /** For each label, the row of the result it comes from (`null`: a missing period). */
  readonly rows: readonly (number | null)[];
  /** Each series' values, one per label (`null`: no value). */
  readonly values: readonly (readonly (number | null)[])[];
}

const MONTH = /^\d{4}-\d{2}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** More periods than this between the first and last label: not filled (a chart of 5,000 empty days says nothing). */
const MAX_PERIODS = 2000;

/**
 * Reads `rows` (the result) and `cells` (the same, formatted) as categories and series.
 *
 * @example
 * axisData([['2024-01', 5], ['2024-03', 7]], cells).labels.map((label) => label.raw);
 * // ['2024-01', '2024-02', '2024-03'] (values [5, null, 7])
 */
export function axisData(rows: readonly (readonly CellValue[])[], cells: readonly (readonly ShownCell[])[]): AxisData {
  const columns = rows[0]?.length ?? 0;
  const series = (row: number) => Array.from({ length: columns - 1 }, (_, index) => toNumber(rows[row]![index + 1] ?? null));
  const periods = fillPeriods(rows.map((row) => row[0] ?? null));
  if (!periods) {
    const values = Array.from({ length: columns - 1 }, (_, index) => rows.map((row) => toNumber(row[index + 1] ?? null)));
    return { labels: cells.map((row) => labelOf(row[0]!)), rows: rows.map((_, index) => index), values };
  }
  const at = new Map(rows.map((row, index) => [String(row[0]), index]));
  const key = cells.find((row) => row[0]!.key !== undefined)?.[0]!.key;
  const labels: AxisLabel[] = [];
  const rowOf: (number | null)[] = [];
  const values: (number | null)[][] = Array.from({ length: columns - 1 }, () => []);
  for (const period of periods) {
    const row = at.get(period);
    rowOf.push(row ?? null);
    labels.push(row === undefined ? { text: key ? formatKeyed(key, period, DEFAULT_LOCALE) : period, ...(key ? { raw: period, key } : {}) } : labelOf(cells[row]![0]!));
    const points = row === undefined ? [] : series(row);
    values.forEach((list, index) => list.push(points[index] ?? null));
  }
  return { labels, rows: rowOf, values };
}

function labelOf(cell: ShownCell): AxisLabel {
  return { text: cell.text, ...(cell.key === undefined ? {} : { raw: cell.raw!, key: cell.key }) };
}

/** Every month or day from the first label to the last, or `undefined` when the labels are not ascending dates. */
function fillPeriods(labels: readonly CellValue[]): string[] | undefined {
  if (labels.length < 2 || !labels.every((label) => typeof label === 'string')) return undefined;
  const texts = labels as string[];
  const shape = texts.every((text) => MONTH.test(text)) ? 'month' : texts.every((text) => DAY.test(text)) ? 'day' : undefined;
  if (!shape || texts.some((text, index) => index > 0 && text <= texts[index - 1]!)) return undefined;
  const step = (date: Date) => (shape === 'month' ? date.setUTCMonth(date.getUTCMonth() + 1) : date.setUTCDate(date.getUTCDate() + 1));
  const write = (date: Date) => date.toISOString().slice(0, shape === 'month' ? 7 : 10);
  const date = new Date(shape === 'month' ? `${texts[0]}-01` : texts[0]!);
  const last = texts.at(-1)!;
  const periods: string[] = [];
  if (Number.isNaN(date.getTime())) return undefined;
  while (write(date) <= last) {
    periods.push(write(date));
    if (periods.length > MAX_PERIODS) return undefined;
    step(date);
  }
  // Every label must be one of the periods (a day like 2024-02-30 is not).
  const known = new Set(periods);
  return texts.every((text) => known.has(text)) ? periods : undefined;
}

/** A series value as a number (formatResult has checked it is one, or a decimal as text). */
export function toNumber(value: CellValue): number | null {
  return value === null ? null : Number(value);
}
