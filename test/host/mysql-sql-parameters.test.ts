/**
 * The host's reading of SQL as MySQL and MariaDB lex it (`mysql-sql-parameters.ts`), with no
 * server: the `sql_mode` variants the MariaDB tests do not run (NO_BACKSLASH_ESCAPES,
 * ANSI_QUOTES), the comment rules, and what is refused. test/mysql checks the same reading
 * against a real server.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MySqlLexError, readMySqlParameters, replaceMySqlParameters } from '../../src/host/definition/mysql-sql-parameters.js';

const names = (sql: string, mode?: Parameters<typeof readMySqlParameters>[1]) => readMySqlParameters(sql, mode).names;
const NO_BACKSLASH = { backslashEscapes: false, ansiQuotes: false };
const ANSI = { backslashEscapes: true, ansiQuotes: true };

test('comments: # and "-- " to a line feed only; "--" with no space is two minus signs; block comments do not nest', () => {
  assert.deepEqual(names('SELECT 1 # $A\n, $B'), ['B']);
  assert.deepEqual(names('SELECT 1 -- $A\r, $B\n, $C'), ['C'], 'a carriage return does not end it');
  assert.deepEqual(names('SELECT 1 --\t$A\n, $B'), ['B']);
  assert.deepEqual(names('SELECT 1--$A'), ['A']);
  assert.deepEqual(names('SELECT 1 /* /* $A */ $B */'), ['B'], 'the first */ ends it');
});

test('strings and names follow sql_mode: backslash escapes, and " as a string or a name', () => {
  const sql = "SELECT 'a\\' $A', $B";
  assert.deepEqual(names(sql), ['B'], "by default \\' is an escaped quote");
  assert.deepEqual(names("SELECT 'a\\', $A", NO_BACKSLASH), ['A'], 'with NO_BACKSLASH_ESCAPES the backslash is text');
  assert.throws(() => names("SELECT 'a\\', $A"), MySqlLexError, 'which by default leaves the string open: refused');
  assert.deepEqual(names('SELECT "x\\" $A", $B'), ['B'], '" is a string, with escapes');
  assert.deepEqual(names('SELECT "x\\" $A", $B"', ANSI), ['A'], 'under ANSI_QUOTES " is a name, without escapes');
  assert.deepEqual(names('SELECT `$A`, `a``$B`, $C, o$D, \'it\'\'s $E\''), ['C']);
});

test('each use is a placeholder of its own, in order; the rest is kept byte for byte', () => {
  const sql = "SELECT $A, '$A' # $B\n, $B, $A";
  const read = readMySqlParameters(sql);
  assert.deepEqual(read.names, ['A', 'B']);
  assert.equal(replaceMySqlParameters(sql, read.uses, (name) => `<${name}>`), "SELECT <A>, '$A' # $B\n, <B>, <A>");
  assert.equal(readMySqlParameters("SELECT ?, '?', `?` # ?\n").placeholders, 1);
});

test('what MySQL could read otherwise is refused, with what to change', () => {
  const refused = (sql: string, message: RegExp) => assert.throws(() => readMySqlParameters(sql), (error: unknown) => error instanceof MySqlLexError && error.code === 'mysql_sql_unreadable' && message.test(error.message));
  refused('SELECT 1 /*!50000 , $A */', /executable comment \(\/\*! … \*\/ or \/\*M! … \*\/, at character 10\) is run by the server/);
  refused('SELECT 1 /*M!100000 , $A */', /executable comment/);
  refused("SELECT 'open $A", /a string opened with ' at character 8 is never closed/);
  refused('SELECT `open', /a quoted name opened with ` at character 8 is never closed/);
  refused('SELECT 1 /* open', /a comment opened at character 10 is never closed/);
  refused('SELECT $A$B', /\$A\$… is one name to MySQL, not the parameter \$A: put a space or an operator after \$A/);
});
