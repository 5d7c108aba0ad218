/**
 * Finds the `$NAME` parameters a SQL text uses, as DuckDB and PostgreSQL read it, so the host knows
 * at load which Hidden Variables each chart needs, and binds exactly those.
 *
 * This reading is the host's own: where a database is at hand, the host asks the database instead
 * (`check-parameters.ts`), since any disagreement between the two on where a comment or a string
 * ends can hide a tenant filter. It follows the databases on every case found so far: block
 * comments nest, `--` ends at a line feed or a carriage return, `$` inside a name (`o$ACCT_ID`) is
 * part of the name, `E'…'` strings take backslash escapes, dollar quotes may be tagged.
 * @module
 */

/** A character that may start a name: ASCII letters, `_`, and (as both databases allow) any non-ASCII one. */
const NAME_START = /[A-Za-z_\u0080-\uffff]/;
/** A character that may continue a parameter name or a dollar-quote tag. */
const NAME_PART = /[A-Za-z0-9_\u0080-\uffff]/;
/** A character that may continue an identifier or a number: a `$` there is part of it, not a parameter. */
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;

/**
 * Returns the distinct `$name` parameters of `sql`, in order of first use. Skips string literals
 * (`'…'`, `E'…'`), quoted identifiers (`"…"`), dollar-quoted strings (`$tag$…$tag$`), comments
 * (`-- …`, nested `/* /* *\/ *\/`) and names that hold a `$` (`o$ACCT_ID`), where a `$` is text,
 * not a parameter. Positional parameters (`$1`) are not names and are not returned (see
 * {@link findPositionalParameters}).
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
 * Returns the distinct positional parameters (`$1`, `$2`, …) of `sql`, outside strings and
 * comments. A dashboard may not use them: the host binds by name, and numbers the values it
 * sends to PostgreSQL itself.
 *
 * @example
 * findPositionalParameters("SELECT $1, '$2' -- $3"); // ['$1']
 */
export function findPositionalParameters(sql: string): string[] {
  const found = new Set<string>();
  scanSqlParameters(sql, () => undefined, (positional) => found.add(positional));
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

/**
 * Calls `found` for each `$name` parameter with its place in `sql` (start of `$`, end of name),
 * and `positional` for each `$1`-style one.
 */
function scanSqlParameters(sql: string, found: (name: string, start: number, end: number) => void, positional?: (text: string) => void): void {
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (ch === "'") i = isEscapeStringPrefix(sql, i) ? skipEscapeString(sql, i) : skipQuoted(sql, i, ch);
    else if (ch === '"') i = skipQuoted(sql, i, ch);
    else if (ch === '-' && sql[i + 1] === '-') i = skipLineComment(sql, i + 2);
    else if (ch === '/' && sql[i + 1] === '*') i = skipBlockComment(sql, i + 2);
    else if (ch !== '$' && WORD_PART.test(ch)) {
      // A name or a number, `$` included: `o$ACCT_ID` is one identifier to both databases.
      while (i < sql.length && WORD_PART.test(sql[i]!)) i++;
    } else if (ch === '$') {
      const tag = dollarQuoteTag(sql, i);
      if (tag !== undefined) i = skipUntil(sql, i + tag.length, tag);
      else {
        let end = i + 1;
        if (NAME_START.test(sql[end] ?? '')) {
          while (end < sql.length && NAME_PART.test(sql[end]!)) end++;
          found(sql.slice(i + 1, end), i, end);
        } else if (/[0-9]/.test(sql[end] ?? '')) {
          while (end < sql.length && /[0-9]/.test(sql[end]!)) end++;
          positional?.(sql.slice(i, end));
        }
        i = Math.max(end, i + 1);
      }
    } else i++;
  }
}

/** `E'…'` (an escape string): an `E` right before the quote, not ending a longer word. */
function isEscapeStringPrefix(sql: string, quote: number): boolean {
  return (sql[quote - 1] === 'E' || sql[quote - 1] === 'e') && !WORD_PART.test(sql[quote - 2] ?? '');
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

/** A `--` comment ends at a line feed or a carriage return, as both databases end it. */
function skipLineComment(sql: string, from: number): number {
  let i = from;
  while (i < sql.length && sql[i] !== '\n' && sql[i] !== '\r') i++;
  return i;
}

/** Block comments nest in DuckDB and PostgreSQL: `/* /* *\/ still a comment *\/`. */
function skipBlockComment(sql: string, from: number): number {
  let depth = 1;
  let i = from;
  while (i < sql.length) {
    if (sql[i] === '/' && sql[i + 1] === '*') {
      depth++;
      i += 2;
    } else if (sql[i] === '*' && sql[i + 1] === '/') {
      i += 2;
      if (--depth === 0) return i;
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
  return tag === '$$' || NAME_START.test(tag[1]!) ? tag : undefined;
}
