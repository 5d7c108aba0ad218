/**
 * A query result as CSV (RFC 4180), safe to open in a spreadsheet: a text cell that a spreadsheet
 * would read as a formula (it starts with `=`, `+`, `-`, `@`, a tab or a carriage return, the
 * OWASP list) is prefixed with `'`, so it shows as the text it is and never runs. Numbers stay
 * numbers: `-5`, as a number or as a decimal's exact text (`-1234.50`), is data, not a formula.
 * A cell holding a `;` or a tab is quoted too: Excel in locales whose list separator is `;` (most
 * of Europe) splits an unquoted `x;=1+1` into two cells and runs the second, which no prefix on
 * the whole cell defuses; quoted, it stays one cell of text.
 * @module
 */
import type { CellValue, QueryResult } from '../types.js';
import { isNumeric } from './format-value.js';

/** What starts a formula in Excel, LibreOffice and Google Sheets (OWASP, "CSV Injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;
/**
 * What makes a field need quotes: a separator (`,`, and the `;` and tab other locales split on), a
 * quote or a line break; or edge spaces some readers trim.
 */
const NEEDS_QUOTES = /[",;\t\r\n]|^\s|\s$/;

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
  let text = csvLine(result.columns);
  for (const row of result.rows) text += csvLine(row);
  return text;
}

/**
 * One CSV line (a header or a row) with its CRLF: what a download writes row by row.
 *
 * @example
 * csvLine(['x;=1+1', 2]); // '"x;=1+1",2\r\n'
 */
export function csvLine(cells: readonly CellValue[]): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) line += (i === 0 ? '' : ',') + csvField(cells[i]!);
  return `${line}\r\n`;
}

/** Which bound stopped a download: its rows (`download.maxRows`) or its bytes (`download.maxBytes`). */
export type CsvBound = { readonly rows: number } | { readonly bytes: number };

/**
 * The last line of a download that a bound stopped, so the file itself says it is not the whole
 * result, whatever saved or opened it. It starts with `#`, which no spreadsheet runs, and holds no
 * separator, so it stays one cell.
 *
 * @example
 * truncationLine(3, { rows: 3 });
 * // '# Truncated: this file holds the first 3 rows. A download holds at most 3 rows (download.maxRows).\r\n'
 */
export function truncationLine(rows: number, bound: CsvBound): string {
  const limit = 'rows' in bound ? `${bound.rows} rows (download.maxRows)` : `${bound.bytes} bytes (download.maxBytes)`;
  return csvLine([`# Truncated: this file holds the first ${rows} rows. A download holds at most ${limit}.`]);
}
