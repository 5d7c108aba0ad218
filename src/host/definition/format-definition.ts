/**
 * Column formats as a dashboard file declares them (`"formats"` on a chart, by column name), and
 * their validation, with errors naming the field. How a format turns a value into text lives in
 * format-value.ts; this file only says what a valid format is ({@link ColumnFormat} itself is a
 * dashboard's type, in types.ts).
 * @module
 */
import type { ColumnFormat } from '../types.js';

/** The format types, in the order messages list them. */
export const FORMAT_TYPES = ['number', 'id', 'currency', 'percent', 'date'] as const;
export type FormatType = (typeof FORMAT_TYPES)[number];

/** Formats whose values are numbers: their columns are right-aligned and must hold numbers. */
export const NUMERIC_FORMATS: ReadonlySet<FormatType> = new Set(['number', 'id', 'currency', 'percent']);

const MAX_DECIMALS = 10;
const MAX_COLUMN_NAME_LENGTH = 200;
const FIELDS: Readonly<Record<FormatType, readonly string[]>> = {
  number: ['type', 'decimals'],
  id: ['type'],
  currency: ['type', 'currency', 'decimals'],
  percent: ['type', 'decimals'],
  date: ['type'],
};

/** Reports a problem with the field at `field` (a path like `charts[2].formats.amount`). */
export type FormatFail = (field: string, problem: string) => never;

/**
 * Reads a chart's `formats`: an object from column name to a format, written as its type alone
 * (`"id"`) or as an object (`{ "type": "currency", "currency": "USD" }`). Calls `fail` with the
 * exact field at fault.
 *
 * @example
 * readColumnFormats({ order: 'id', amount: { type: 'currency', currency: 'USD' } }, 'charts[5].formats', fail);
 * // { order: { type: 'id' }, amount: { type: 'currency', currency: 'USD' } }
 */
export function readColumnFormats(value: unknown, field: string, fail: FormatFail): Readonly<Record<string, ColumnFormat>> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail(field, `must be an object from column name to format, like { "amount": { "type": "currency", "currency": "USD" } }, got ${show(value)}`);
  }
  const formats: Record<string, ColumnFormat> = {};
  for (const [column, format] of Object.entries(value as Record<string, unknown>)) {
    const at = `${field}.${column}`;
    if (column === '' || column.length > MAX_COLUMN_NAME_LENGTH) fail(at, `names no column: a column name is 1 to ${MAX_COLUMN_NAME_LENGTH} characters`);
    formats[column] = readColumnFormat(format, at, fail);
  }
  return formats;
}

function readColumnFormat(value: unknown, field: string, fail: FormatFail): ColumnFormat {
  if (typeof value === 'string') {
    if (value === 'currency') fail(field, 'needs a currency code: write { "type": "currency", "currency": "USD" }');
    return readColumnFormat({ type: value }, field, fail);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail(field, `must be a format type (${FORMAT_TYPES.join(', ')}) or an object with a "type", got ${show(value)}`);
  }
  const item = value as Record<string, unknown>;
  const type = item.type as FormatType;
  if (!FORMAT_TYPES.includes(type)) fail(`${field}.type`, `must be one of ${FORMAT_TYPES.join(', ')}, got ${show(item.type)}`);
  for (const key of Object.keys(item)) {
    if (!FIELDS[type].includes(key)) fail(`${field}.${key}`, `is not a known field of a ${type} format (known: ${FIELDS[type].join(', ')})`);
  }
  const decimals = item.decimals;
  if (decimals !== undefined && (!Number.isSafeInteger(decimals) || (decimals as number) < 0 || (decimals as number) > MAX_DECIMALS)) {
    fail(`${field}.decimals`, `must be an integer from 0 to ${MAX_DECIMALS}, got ${show(decimals)}`);
  }
  const withDecimals = decimals === undefined ? {} : { decimals: decimals as number };
  switch (type) {
    case 'currency': {
      if (typeof item.currency !== 'string' || !isCurrencyCode(item.currency)) {
        fail(`${field}.currency`, `must be an ISO 4217 currency code in capitals, like "USD" or "EUR", got ${show(item.currency)}`);
      }
      return { type, currency: item.currency as string, ...withDecimals };
    }
    case 'number':
    case 'percent':
      return { type, ...withDecimals };
    case 'id':
    case 'date':
      return { type };
  }
}

/** Currency codes this runtime's `Intl` knows (Node ships full ICU), read once. */
let currencies: ReadonlySet<string> | undefined;

function isCurrencyCode(code: string): boolean {
  currencies ??= new Set(Intl.supportedValuesOf('currency'));
  return /^[A-Z]{3}$/.test(code) && currencies.has(code);
}

/**
 * A short, printable rendering of a bad value for messages.
 *
 * @example
 * show(undefined); // 'nothing'
 * show('usd'); // '"usd"'
 */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
