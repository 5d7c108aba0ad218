/**
 * A query result as CSV (RFC 4180), safe to open in a spreadsheet: a text cell that a spreadsheet
 * would read as a formula (it starts with `=`, `+`, `-`, `@`, a tab or a carriage return, the
 * OWASP list) is prefixed with `'`, so it shows as the text it is and never runs. Numbers stay
 * numbers: `-5`, as a number or as a decimal's exact text (`-1234.50`), is data, not a formula.
 * @module
 */
import type { CellValue, QueryResult } from '../types.js';
import { isNumeric } from './format-value.js';

/** What starts a formula in Excel, LibreOffice and Google Sheets (OWASP, "CSV Injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** What makes a field need quotes in CSV: a separator, a quote or a line break; or edge spaces some readers trim. */
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/**
 * One cell as a CSV field: empty for NULL, a number as JavaScript prints it, text quoted when it
 * must be and defused when a spreadsheet would run it.
 *
 * @example
 * csvField('=HYPERLINK("http://x")'); // '"\'=HYPERLINK(""http://x"")"'
 * csvField(-5); // '-5'
 * csvField('-5'); // '-5'
 * csvField('-1+2'); // "'-1+2"
 * csvField(null); // ''
 */
export function csvField(value: CellValue): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  // A plain decimal number as text (a DECIMAL too large for a double) is data, not a formula.
  const text = FORMULA_START.test(value) && !isNumeric(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * A whole result as CSV text: a header line of column names, then one line per row, each ending
 * with CRLF (RFC 4180). Column names are text and defused like any text cell.
 *
 * @example
 * toCsv({ columns: ['product', 'revenue'], rows: [['Team', 1234.5]], truncated: false });
 * // 'product,revenue\r\nTeam,1234.5\r\n'
 */
export function toCsv(result: QueryResult): string {
  const lines = [result.columns.map(csvField).join(',')];
  for (const row of result.rows) lines.push(row.map(csvField).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
