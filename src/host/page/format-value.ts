/**
 * Turns cells into text by their column's format, with `Intl`, and says which format each text
 * came from, so the page can later re-format it for a viewer's locale without a new query.
 *
 * The contract with the page (see docs/dashboards.md, "Formats in the page"): every formatted
 * element carries `data-value` (the raw value) and `data-format` (a key); the charts' container
 * carries `data-formats`, a JSON object from each key used to its {@link IntlFormat}, and
 * `data-locale`, the locale the text was rendered in. Re-formatting is then
 * `new Intl.NumberFormat(locale, options).format(value)` (or `DateTimeFormat` of `new Date(value)`
 * for `kind: "date"`), with no knowledge of format types in the page.
 * @module
 */
import type { CellValue, ColumnFormat } from '../types.js';

// The locale of the server's own rendering, before the page applies a viewer's: shared with the
// page runtime, which re-formats from it.
// So is what `Intl` needs to format one key's values: the constructor (`kind`) and its options.
import { DEFAULT_LOCALE, type IntlFormat } from '../../protocol/page-markup.js';
export { DEFAULT_LOCALE, type IntlFormat };

/** A cell as text; `key` and `raw` are absent for text shown as is (and for empty cells). */
export type FormattedValue =
  | { readonly ok: true; readonly text: string; readonly key?: string; readonly raw?: string }
  /** The value does not fit the format: `expected` says what belongs there ("a number"). */
  | { readonly ok: false; readonly expected: string };

/** Shown for an empty (NULL) cell. */
export const EMPTY_CELL = '—';

/** A decimal number as text (what DuckDB and PostgreSQL give for values too large for a double). */
const NUMERIC_TEXT = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const WHOLE_TEXT = /^-?\d+$/;
const MONTH = /^\d{4}-(?:0[1-9]|1[0-2])$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** A timestamp with its offset: without one, `Date` would read it in each machine's own time zone. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * Formats one cell by its column's format (`undefined`: numbers as `number`, the rest as is), in
 * `locale`. Never throws for a value of the wrong type: it says what was expected instead.
 *
 * @example
 * formatValue(2185, { type: 'id' }); // { ok: true, text: '2185', key: 'id', raw: '2185' }
 * formatValue(6.4, { type: 'currency', currency: 'USD' }); // { ok: true, text: '$6.40', key: 'currency:USD', raw: '6.4' }
 * formatValue('n/a', { type: 'number' }); // { ok: false, expected: 'a number' }
 */
export function formatValue(value: CellValue, format: ColumnFormat | undefined, locale: string = DEFAULT_LOCALE): FormattedValue {
  if (value === null) return { ok: true, text: EMPTY_CELL };
  const resolved = format ?? (typeof value === 'number' ? DEFAULT_NUMBER : undefined);
  if (!resolved) return { ok: true, text: String(value) };
  const fit = fitValue(value, resolved);
  if (!fit) return { ok: false, expected: EXPECTED[resolved.type] };
  const { key, intl } = fit;
  return { ok: true, text: format1(intl, fit.raw, locale, key), key, raw: fit.raw };
}

/**
 * The {@link IntlFormat} behind a key that {@link formatValue} gave, for the page's dictionary.
 *
 * @example
 * intlFormatOf('currency:USD'); // { kind: 'number', options: { style: 'currency', currency: 'USD' } }
 */
export function intlFormatOf(key: string): IntlFormat {
  const known = KEYS.get(key);
  if (!known) throw new Error(`no format has the key ${JSON.stringify(key)}`);
  return known;
}

/**
 * Says whether a cell holds a number (or a decimal number as text): what a chart's series and
 * numeric formats need.
 *
 * @example
 * isNumeric('12.50'); // true
 * isNumeric('n/a'); // false
 */
export function isNumeric(value: CellValue): boolean {
  return (typeof value === 'number' && !Number.isNaN(value)) || (typeof value === 'string' && NUMERIC_TEXT.test(value));
}

const DEFAULT_NUMBER: ColumnFormat = { type: 'number' };

const EXPECTED: Readonly<Record<ColumnFormat['type'], string>> = {
  number: 'a number',
  id: 'a whole number',
  currency: 'a number',
  percent: 'a number',
  date: 'a date (YYYY-MM-DD, YYYY-MM or an ISO timestamp)',
};

/** Every key handed out, with its Intl format (few: one per format declared, plus three dates). */
const KEYS = new Map<string, IntlFormat>();

interface Fit {
  key: string;
  intl: IntlFormat;
  raw: string;
}

/** The key, Intl format and raw text for `value`, or `undefined` when it does not fit. */
function fitValue(value: string | number | boolean, format: ColumnFormat): Fit | undefined {
  if (format.type === 'date') {
    if (typeof value !== 'string') return undefined;
    const shape = MONTH.test(value) ? 'month' : DAY.test(value) ? 'day' : TIMESTAMP.test(value) ? 'time' : undefined;
    if (!shape || Number.isNaN(Date.parse(value)) || (shape === 'day' && new Date(value).toISOString().slice(0, 10) !== value)) return undefined;
    return { raw: value, ...keyed(`date:${shape}`, () => ({ kind: 'date', options: DATE_OPTIONS[shape] })) };
  }
  if (!isNumeric(value as CellValue)) return undefined;
  const raw = String(value);
  if (format.type === 'id' && (typeof value === 'number' ? !Number.isInteger(value) : !WHOLE_TEXT.test(raw))) return undefined;
  return { raw, ...numericKey(format) };
}

/**
 * The key of a numeric format (`number`, `id`, `currency`, `percent`), which does not depend on
 * the value: a line or bar chart's series carries it for its ticks and tooltips.
 *
 * @example
 * numericFormatKey({ type: 'currency', currency: 'EUR', decimals: 0 }); // 'currency:EUR:0'
 */
export function numericFormatKey(format: ColumnFormat | undefined): string {
  return numericKey(format ?? DEFAULT_NUMBER).key;
}

function numericKey(format: ColumnFormat): { key: string; intl: IntlFormat } {
  if (format.type === 'id') return keyed('id', () => ({ kind: 'number', options: { useGrouping: false, maximumFractionDigits: 0 } }));
  if (format.type === 'date') throw new Error('a date format has no numeric key');
  const { decimals } = format;
  const digits = decimals === undefined ? undefined : { minimumFractionDigits: decimals, maximumFractionDigits: decimals };
  switch (format.type) {
    case 'number':
      return keyed(decimals === undefined ? 'number' : `number:${decimals}`, () => ({ kind: 'number', options: digits ?? { maximumFractionDigits: 2 } }));
    case 'percent':
      return keyed(decimals === undefined ? 'percent' : `percent:${decimals}`, () => ({ kind: 'number', options: { style: 'percent', ...(digits ?? { maximumFractionDigits: 1 }) } }));
    case 'currency': {
      const key = decimals === undefined ? `currency:${format.currency}` : `currency:${format.currency}:${decimals}`;
      return keyed(key, () => ({ kind: 'number', options: { style: 'currency', currency: format.currency, ...digits } }));
    }
  }
}

const DATE_OPTIONS: Readonly<Record<'day' | 'month' | 'time', Intl.DateTimeFormatOptions>> = {
  day: { dateStyle: 'medium', timeZone: 'UTC' },
  month: { year: 'numeric', month: 'short', timeZone: 'UTC' },
  time: { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' },
};

function keyed(key: string, make: () => IntlFormat): { key: string; intl: IntlFormat } {
  let intl = KEYS.get(key);
  if (!intl) KEYS.set(key, (intl = make()));
  return { key, intl };
}

/**
 * Formats a raw value by a key, in `locale`: what the page does to re-format for a viewer.
 *
 * @example
 * formatKeyed('currency:USD', '1234.5', 'de-DE'); // '1.234,50 $'
 */
export function formatKeyed(key: string, raw: string, locale: string): string {
  return format1(intlFormatOf(key), raw, locale, key);
}

/** Intl formatters by locale and key: building one costs far more than using it. */
const FORMATTERS = new Map<string, { format(value: never): string }>();
const MAX_FORMATTERS = 512;

/** Formats `raw` as the page would: numbers from their text (exact), dates through `Date`. */
function format1(intl: IntlFormat, raw: string, locale: string, key: string): string {
  const id = `${locale}\u0000${key}`;
  let formatter = FORMATTERS.get(id);
  if (!formatter) {
    if (FORMATTERS.size >= MAX_FORMATTERS) FORMATTERS.clear();
    formatter = intl.kind === 'date' ? new Intl.DateTimeFormat(locale, intl.options) : new Intl.NumberFormat(locale, intl.options);
    FORMATTERS.set(id, formatter);
  }
  // Intl.NumberFormat formats a decimal string exactly (no rounding through a double).
  return intl.kind === 'date' ? formatter.format(new Date(raw) as never) : formatter.format(raw as never);
}
