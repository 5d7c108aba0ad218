/**
 * Finds the `$NAME` parameters a SQL text uses, so the host knows at load which Hidden Variables
 * each chart needs, and binds exactly those (DuckDB refuses a parameter the statement lacks).
 * @module
 */

const NAME_START = /[A-Za-z_]/;
const NAME_PART = /[A-Za-z0-9_]/;

/**
 * Returns the distinct `$name` parameters of `sql`, in order of first use. Skips string literals
 * (`'…'`, `E'…'`), quoted identifiers (`"…"`), dollar-quoted strings (`$tag$…$tag$`) and
 * comments (`-- …`, `/* … *\/`), where a `$` is text, not a parameter. Positional parameters
 * (`$1`, `?`) are not names and are not returned.
 *
 * @example
 * findSqlParameters("SELECT '$X', $ACCT_ID -- $Y\nFROM t WHERE d >= $DATE_RANGE_START");
 * // ['ACCT_ID', 'DATE_RANGE_START']
 */
export function findSqlParameters(sql: string): string[] {
  const found = new Set<string>();
  scanSqlParameters(sql, (name) => found.add(name));
  return [...found];
}

/**
 * Rewrites every `$name` parameter of `sql` (found as {@link findSqlParameters} finds them) with
 * the text `replace` gives for it; the rest of the SQL is kept byte for byte. Drivers with
 * positional parameters (PostgreSQL's `$1`) bind named ones this way.
 *
 * @example
 * replaceSqlParameters("SELECT $A, '$A'", (name) => `$1::text`); // "SELECT $1::text, '$A'"
 */
export function replaceSqlParameters(sql: string, replace: (name: string) => string): string {
  let out = '';
  let copied = 0;
  scanSqlParameters(sql, (name, start, end) => {
    out += sql.slice(copied, start) + replace(name);
    copied = end;
  });
  return out + sql.slice(copied);
}

/** Calls `found` for each `$name` parameter with its place in `sql` (start of `$`, end of name). */
function scanSqlParameters(sql: string, found: (name: string, start: number, end: number) => void): void {
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (ch === "'") i = isEscapeStringPrefix(sql, i) ? skipEscapeString(sql, i) : skipQuoted(sql, i, ch);
    else if (ch === '"') i = skipQuoted(sql, i, ch);
    else if (ch === '-' && sql[i + 1] === '-') i = skipUntil(sql, i + 2, '\n');
    else if (ch === '/' && sql[i + 1] === '*') i = skipUntil(sql, i + 2, '*/');
    else if (ch === '$') {
      const tag = dollarQuoteTag(sql, i);
      if (tag !== undefined) i = skipUntil(sql, i + tag.length, tag);
      else {
        let end = i + 1;
        if (NAME_START.test(sql[end] ?? '')) {
          while (end < sql.length && NAME_PART.test(sql[end]!)) end++;
          found(sql.slice(i + 1, end), i, end);
        }
        i = Math.max(end, i + 1);
      }
    } else i++;
  }
}

/** `E'…'` (PostgreSQL's escape string): an `E` right before the quote, not ending a longer word. */
function isEscapeStringPrefix(sql: string, quote: number): boolean {
  return (sql[quote - 1] === 'E' || sql[quote - 1] === 'e') && !NAME_PART.test(sql[quote - 2] ?? '');
}

/** Skips an escape string, where a backslash escapes the next character (`E'it\'s'`). */
function skipEscapeString(sql: string, start: number): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === '\\') i += 2;
    else if (sql[i] === "'") {
      if (sql[i + 1] === "'") i += 2;
      else return i + 1;
    } else i++;
  }
  return i;
}

/** Skips a quoted run; a doubled quote inside is an escaped quote. Returns the index after it. */
function skipQuoted(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return i;
}

function skipUntil(sql: string, from: number, terminator: string): number {
  const at = sql.indexOf(terminator, from);
  return at === -1 ? sql.length : at + terminator.length;
}

/** `$$` or `$tag$` opens a dollar-quoted string; `$NAME` (no closing `$`) is a parameter. */
function dollarQuoteTag(sql: string, start: number): string | undefined {
  let end = start + 1;
  while (end < sql.length && NAME_PART.test(sql[end]!)) end++;
  if (sql[end] !== '$') return undefined;
  const tag = sql.slice(start, end + 1);
  return /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$$/.test(tag) ? tag : undefined;
}
