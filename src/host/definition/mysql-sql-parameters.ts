/**
 * Finds the `$NAME` parameters of a SQL text as MySQL and MariaDB read it, for the MySQL data
 * source, which sends them as `?` placeholders. MySQL's lexer differs from DuckDB's and
 * PostgreSQL's (`sql-parameters.ts`): backtick identifiers; `#` comments; `-- ` is a comment only
 * when a space or a control character follows the dashes; block comments do not nest; backslash
 * escapes in strings (unless the server's `sql_mode` has `NO_BACKSLASH_ESCAPES`); `"` quotes a
 * string (an identifier under `ANSI_QUOTES`); line comments end at a line feed only; no dollar
 * quotes, and `$` is an identifier character. What cannot be read safely is refused rather than
 * guessed: executable comments (`/*! … *\/`, `/*M! … *\/`, which the server runs), unterminated
 * strings, names and comments, and a `$NAME` glued to a `$`.
 * @module
 */

/** How the server reads strings: from its `sql_mode`. */
export interface MySqlLexMode {
  /** Backslashes escape in strings (true unless `sql_mode` has `NO_BACKSLASH_ESCAPES`). */
  readonly backslashEscapes: boolean;
  /** `"…"` is an identifier, not a string (`sql_mode` has `ANSI_QUOTES`). */
  readonly ansiQuotes: boolean;
}

/** The server's defaults (MySQL 8 and MariaDB 10.11 out of the box). */
export const DEFAULT_MYSQL_LEX_MODE: MySqlLexMode = { backslashEscapes: true, ansiQuotes: false };

/**
 * A SQL text this reading refuses, since the server could read it otherwise (`code`:
 * `mysql_sql_unreadable`). The message says what to change.
 *
 * @example
 * try { readMySqlParameters('SELECT /*! $X *\/ 1'); } catch (error) { error.code; } // 'mysql_sql_unreadable'
 */
export class MySqlLexError extends Error {
  override readonly name = 'MySqlLexError';
  readonly code = 'mysql_sql_unreadable';
}

/** One `$NAME` where it stands in the text: `$` at `start`, the name ending before `end`. */
export interface MySqlParameter {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

/** What {@link readMySqlParameters} finds. */
export interface MySqlParameters {
  /** Every `$NAME`, in the text's order (a name may come back several times). */
  readonly uses: readonly MySqlParameter[];
  /** The distinct names, in order of first use. */
  readonly names: readonly string[];
  /** `?` placeholders written in the text itself, outside strings and comments. */
  readonly placeholders: number;
}

/** A character that may start a parameter name (ASCII letters, `_`, any non-ASCII one). */
const NAME_START = /[A-Za-z_\u0080-\uffff]/;
const NAME_PART = /[A-Za-z0-9_\u0080-\uffff]/;
/** A character of an unquoted identifier or number to MySQL: `$` included. */
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;

/**
 * Reads `sql` as MySQL (or MariaDB) with `mode` would, returning its `$NAME` parameters and any
 * `?` the text holds; throws a {@link MySqlLexError} for what it will not guess at.
 *
 * @example
 * readMySqlParameters("SELECT '\\'$X', `$Y` # $Z\nFROM t WHERE a = $ACCT_ID").names; // ['ACCT_ID']
 */
export function readMySqlParameters(sql: string, mode: MySqlLexMode = DEFAULT_MYSQL_LEX_MODE): MySqlParameters {
  const uses: MySqlParameter[] = [];
  let placeholders = 0;
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (ch === "'" || (ch === '"' && !mode.ansiQuotes)) i = skipQuoted(sql, i, mode.backslashEscapes, 'string');
    else if (ch === '`' || ch === '"') i = skipQuoted(sql, i, false, 'quoted name');
    else if (ch === '#') i = skipLine(sql, i + 1);
    else if (ch === '-' && sql[i + 1] === '-' && startsLineComment(sql[i + 2])) i = skipLine(sql, i + 2);
    else if (ch === '/' && sql[i + 1] === '*') i = skipBlockComment(sql, i);
    else if (ch === '?') {
      placeholders++;
      i++;
    } else if (ch !== '$' && WORD_PART.test(ch)) {
      // A name or a number, `$` included: `o$ACCT_ID` is one identifier to MySQL.
      while (i < sql.length && WORD_PART.test(sql[i]!)) i++;
    } else if (ch === '$' && NAME_START.test(sql[i + 1] ?? '')) {
      let end = i + 1;
      while (end < sql.length && NAME_PART.test(sql[end]!)) end++;
      if (sql[end] === '$') throw new MySqlLexError(`${sql.slice(i, end + 1)}… is one name to MySQL, not the parameter ${sql.slice(i, end)}: put a space or an operator after ${sql.slice(i, end)}`);
      uses.push({ name: sql.slice(i + 1, end), start: i, end });
      i = end;
    } else i++;
  }
  return { uses, names: [...new Set(uses.map((use) => use.name))], placeholders };
}

/**
 * `sql` with each `$NAME` replaced by what `replace` gives for it (`?`, or a typed NULL), the rest
 * kept byte for byte; `uses` from {@link readMySqlParameters} of the same text.
 *
 * @example
 * const { uses } = readMySqlParameters('SELECT $A, $A');
 * replaceMySqlParameters('SELECT $A, $A', uses, () => '?'); // 'SELECT ?, ?'
 */
export function replaceMySqlParameters(sql: string, uses: readonly MySqlParameter[], replace: (name: string) => string): string {
  let out = '';
  let copied = 0;
  for (const use of uses) {
    out += sql.slice(copied, use.start) + replace(use.name);
    copied = use.end;
  }
  return out + sql.slice(copied);
}

/** `--` starts a comment in MySQL only when a space, a control character or the end follows. */
function startsLineComment(next: string | undefined): boolean {
  return next === undefined || next.charCodeAt(0) <= 0x20 || next === '\x7f';
}

/** A line comment ends at a line feed (a carriage return does not end it in MySQL). */
function skipLine(sql: string, from: number): number {
  const at = sql.indexOf('\n', from);
  return at === -1 ? sql.length : at + 1;
}

/** Skips a quoted run: a doubled quote is a quote; a backslash escapes the next character when `backslash`. */
function skipQuoted(sql: string, start: number, backslash: boolean, what: string): number {
  const quote = sql[start]!;
  let i = start + 1;
  while (i < sql.length) {
    if (backslash && sql[i] === '\\') i += 2;
    else if (sql[i] === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  throw new MySqlLexError(`a ${what} opened with ${quote} at character ${start + 1} is never closed: close it`);
}

/** Skips a block comment (MySQL's do not nest); refuses the executable ones, which the server runs. */
function skipBlockComment(sql: string, start: number): number {
  if (sql[start + 2] === '!' || (sql[start + 2] === 'M' && sql[start + 3] === '!')) {
    throw new MySqlLexError(`an executable comment (/*! … */ or /*M! … */, at character ${start + 1}) is run by the server: write its SQL without the comment`);
  }
  const at = sql.indexOf('*/', start + 2);
  if (at === -1) throw new MySqlLexError(`a comment opened at character ${start + 1} is never closed: close it with */`);
  return at + 2;
}
