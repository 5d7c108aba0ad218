/**
 * The MySQL data source against a real MariaDB (a throwaway `mariadbd` on a free loopback port):
 * typed binding of every kind, lists and date ranges, MySQL's own lexing, read-only transactions,
 * value conversion, bounded reads and pool, the statement timeout, an abort and close() that kill
 * on the server, and downloads streamed a chunk at a time.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import mysql from 'mysql2/promise';
import { createMySqlDataSource } from '../../src/host/sources/mysql-source.js';
import type { DataSource, QueryParams } from '../../src/host/index.js';
import { startMariaDb, type MariaDbServer } from '../launchers/mariadb-server.js';

let server: MariaDbServer;
let admin: mysql.Connection;
let source: DataSource;

before(async () => {
  server = await startMariaDb();
  admin = await mysql.createConnection(server.url);
  await admin.query('CREATE TABLE t (n INT NOT NULL, d DATE NOT NULL, s VARCHAR(20) NOT NULL)');
  await admin.query("INSERT INTO t SELECT seq, DATE '2014-01-01' + INTERVAL seq DAY, CONCAT('v', seq) FROM seq_0_to_49");
  source = await createMySqlDataSource({ url: server.url, connections: 2 });
});
after(async () => {
  await source?.close();
  await admin?.end();
  await server?.stop();
});

/** Statements of the data sources the server is running now, seen from another connection. */
async function runningQueries(): Promise<number> {
  const [rows] = await admin.query("SELECT count(*) AS n FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND COMMAND <> 'Sleep' AND INFO LIKE '%SLEEP(%'");
  return Number((rows as { n: number }[])[0]!.n);
}

/** Resolves once the server shows `count` statements of the sources running. */
async function untilRunning(count = 1): Promise<void> {
  // The server's own process list: asked until the statements show (each ask is a round trip, no sleep).
  while ((await runningQueries()) < count);
}

const first = async (sql: string, params: QueryParams = {}) => (await source.query(sql, params)).rows[0];

describe('binding', () => {
  test('text, integer and date bind as typed parameters, never spliced; null binds NULL', async () => {
    const row = await first('SELECT $T AS t, $I + 1 AS i, $D + INTERVAL 1 DAY AS d, $N IS NULL AS isnull, $IN IS NULL AS inull', {
      T: { type: 'text', value: "1' OR 1=1; DROP TABLE t; --" },
      I: { type: 'integer', value: 41n },
      D: { type: 'date', value: '2016-02-28' },
      N: { type: 'text', value: null },
      IN: { type: 'integer', value: null },
    });
    assert.deepEqual(row, ["1' OR 1=1; DROP TABLE t; --", 42, '2016-02-29', 1, 1]);
    // Exact over 2^53: the digits travel as text and the server casts them to a 64-bit integer.
    assert.deepEqual(await first('SELECT CAST($I AS CHAR) AS i, CAST($J AS CHAR) AS j', { I: { type: 'integer', value: 2n ** 63n - 1n }, J: { type: 'integer', value: -(2n ** 63n) } }), ['9223372036854775807', '-9223372036854775808']);
    assert.deepEqual(await first('SELECT count(*) FROM t WHERE n = $N', { N: { type: 'integer', value: 7n } }), [1]);
    assert.deepEqual(await first('SELECT count(*) FROM t'), [50], 'the table is intact');
  });

  test('a date range filters with its two dates; lists and integer lists are JSON arrays for JSON_TABLE or JSON_CONTAINS', async () => {
    const range = { A: { type: 'date', value: '2014-01-05' }, B: { type: 'date', value: '2014-01-20' } } as const;
    assert.deepEqual(await first('SELECT count(*) FROM t WHERE d BETWEEN $A AND $B', range), [16]);
    const listed = "SELECT count(*) FROM t WHERE d BETWEEN $A AND $B AND ($L IS NULL OR s IN (SELECT v FROM JSON_TABLE($L, '$[*]' COLUMNS (v VARCHAR(20) PATH '$')) AS l))";
    assert.deepEqual(await first(listed, { ...range, L: { type: 'list', value: ['v4', 'v5', 'v30', "v6') OR ('1'='1"] } }), [2]);
    assert.deepEqual(await first(listed, { ...range, L: { type: 'list', value: null } }), [16], 'NULL: no filter');
    assert.deepEqual(await first(listed, { ...range, L: { type: 'list', value: [] } }), [0], 'an empty list: nothing');
    const ids = 'SELECT count(*) FROM t WHERE $L IS NULL OR JSON_CONTAINS($L, CAST(n AS CHAR))';
    assert.deepEqual(await first(ids, { L: { type: 'integer_list', value: [3n, 4n, 99n, 2n ** 62n] } }), [2]);
    assert.deepEqual(await first(ids, { L: { type: 'integer_list', value: null } }), [50]);
  });

  test('MySQL reads strings, names and comments its own way: a $NAME there is no parameter', async () => {
    const row = await first("SELECT '$A' AS a, 'it\\'s $A' AS b, \"$A\" AS c, $A AS `$A`, 1--$A\n AS e # $B\n, 2 -- $B\n AS f /* $B */", { A: { type: 'integer', value: 1n } });
    // `1--$A` is 1 - (-1): without a space after them, two dashes are two minus signs.
    assert.deepEqual(row, ['$A', "it's $A", '$A', 1, 2, 2]);
    await assert.rejects(source.query('SELECT $MISSING', {}), /the query uses \$MISSING, and no value was bound to it/);
  });

  test('what MySQL could read otherwise is refused, not guessed', async () => {
    await assert.rejects(source.query('SELECT 1 /*! , $A */', { A: { type: 'integer', value: 1n } }), { code: 'mysql_sql_unreadable', message: /executable comment/ });
    await assert.rejects(source.query("SELECT 'open", {}), /a string opened with ' at character 8 is never closed/);
    await assert.rejects(source.query('SELECT $A$B', { A: { type: 'integer', value: 1n } }), /\$A\$… is one name to MySQL/);
    await assert.rejects(source.query('SELECT ?', {}), /a \? placeholder of its own/);
  });

  test('values come out as numbers, text and ISO dates, as from DuckDB and PostgreSQL', async () => {
    const result = await source.query(
      "SELECT CAST(42 AS SIGNED) AS b, 9007199254740993 AS big, CAST(12.50 AS DECIMAL(10,2)) AS `dec`, 1.5e0 AS dbl, DATE '2015-02-11' AS day, TIMESTAMP '2015-02-11 10:20:30' AS ts, JSON_ARRAY(1, 2) AS list, NULL AS nothing",
      {},
    );
    assert.deepEqual(result.columns, ['b', 'big', 'dec', 'dbl', 'day', 'ts', 'list', 'nothing']);
    assert.deepEqual(result.rows[0], [42, '9007199254740993', 12.5, 1.5, '2015-02-11', '2015-02-11T10:20:30.000Z', '[1,2]', null]);
  });

  test('maxRows keeps that many rows and says the result was cut', async () => {
    const cut = await source.query('SELECT seq FROM seq_1_to_100000', {}, { maxRows: 5 });
    assert.deepEqual(cut.rows.map((row) => row[0]), [1, 2, 3, 4, 5]);
    assert.equal(cut.truncated, true);
    const whole = await source.query('SELECT n FROM t WHERE n < 5 ORDER BY n;', {}, { maxRows: 5 });
    assert.equal(whole.truncated, false);
  });
});

describe('streaming rows, for downloads', () => {
  test('streamRows gives 1000 rows at a time, every row once, and gives its connection back', async () => {
    const stream = await source.streamRows!('SELECT seq AS g, REPEAT(\'x\', 100) AS t FROM seq_1_to_2500 WHERE seq > $FROM', { FROM: { type: 'integer', value: 0n } });
    assert.deepEqual(stream.columns, ['g', 't']);
    const chunks: number[][] = [];
    for (let chunk = await stream.next(); chunk; chunk = await stream.next()) chunks.push(chunk.map((row) => row[0] as number));
    assert.deepEqual(chunks.map((chunk) => chunk.length), [1000, 1000, 500]);
    assert.deepEqual(chunks.flat(), Array.from({ length: 2500 }, (_, i) => i + 1));
    await stream.close();
    // The pool has 2 connections: both serve again, so the stream gave its one back.
    await Promise.all([source.query('SELECT 1', {}), source.query('SELECT 2', {})]);
  });

  test('a stream closed early, or aborted while the server computes, stops the query and frees the connection', async () => {
    const early = await source.streamRows!('SELECT a.seq FROM seq_1_to_100000 a, seq_1_to_100 b', {});
    assert.equal((await early.next())?.length, 1000);
    await early.close();
    const controller = new AbortController();
    const slow = source.streamRows!('SELECT SLEEP(600) AS s', {}, { signal: controller.signal });
    await untilRunning();
    controller.abort(new Error('the client went away'));
    await assert.rejects(slow, /the query was cancelled \(the client went away\)/);
    assert.equal(await runningQueries(), 0);
    assert.deepEqual(await Promise.all([first('SELECT 7'), first('SELECT 8')]), [[7], [8]]);
  });
});

describe('read only', () => {
  test('writes are refused by the server, and one statement only', async () => {
    await assert.rejects(source.query('INSERT INTO t VALUES (99, DATE \'2014-01-01\', \'w\')', {}), /READ ONLY transaction/);
    await assert.rejects(source.query('CREATE TABLE u (a INT)', {}), /READ ONLY transaction/);
    await assert.rejects(source.query('SELECT 1; DELETE FROM t', {}), /syntax/);
    assert.deepEqual(await first('SELECT count(*) FROM t'), [50]);
  });

  test('a query that changes sql_mode does not change how the next is read: each query runs under the mode it was read with', async () => {
    // Both connections of the pool, so the next query surely runs on one that ran the SET.
    await Promise.all([0, 1].map(() => source.query("SET SESSION sql_mode = 'NO_BACKSLASH_ESCAPES,ANSI_QUOTES'", {})));
    for (const row of await Promise.all([0, 1].map(() => first("SELECT 'it\\'s $A', @@SESSION.sql_mode LIKE '%ANSI_QUOTES%', SLEEP(0.02)", { A: { type: 'integer', value: 1n } })))) {
      assert.deepEqual(row!.slice(0, 2), ["it's $A", 0]);
    }
  });

  test('nothing a query leaves open outlives it: the next finds no transaction of its own', async () => {
    await Promise.all([0, 1].map(() => source.query('SELECT SLEEP(0.05)', {})));
    for (const row of await Promise.all([0, 1].map(() => first('SELECT @@in_transaction, SLEEP(0.05)')))) assert.equal(row![0], 1, 'each query runs in its own transaction');
    const [rows] = await admin.query("SELECT count(*) AS n FROM information_schema.INNODB_TRX");
    assert.equal(Number((rows as { n: number }[])[0]!.n), 0, 'and it is rolled back at the end');
  });
});

describe('stopping on the server', () => {
  test('timeoutMs: the server stops the statement itself (max_statement_time)', async () => {
    await assert.rejects(source.query('SELECT count(*) FROM seq_1_to_100000 a, seq_1_to_100000 b', {}, { timeoutMs: 100 }), /max_statement_time exceeded/);
    assert.equal(await runningQueries(), 0);
  });

  test('an abort kills the query on the server, and its connection serves the next one', async () => {
    const controller = new AbortController();
    const slow = source.query('SELECT SLEEP(600)', {}, { signal: controller.signal });
    await untilRunning();
    controller.abort();
    await assert.rejects(slow, /cancelled/);
    assert.equal(await runningQueries(), 0);
    assert.deepEqual(await Promise.all([first('SELECT 7'), first('SELECT 8')]), [[7], [8]]);
  });

  test('the pool is bounded: more queries than connections wait their turn', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => first('SELECT CONNECTION_ID(), SLEEP(0.02)')));
    assert.ok(new Set(results.map((row) => row![0])).size <= 2);
  });

  test('close() kills the queries under way on the server', async () => {
    const closing = await createMySqlDataSource({ url: server.url, connections: 2 });
    const slow = Promise.allSettled([closing.query('SELECT SLEEP(600)', {}), closing.query('SELECT SLEEP(600)', {})]);
    await untilRunning(2);
    await closing.close();
    for (const outcome of await slow) {
      assert.equal(outcome.status, 'rejected');
      assert.match(String((outcome as PromiseRejectedResult).reason), /cancelled \(the data source is closing\)/);
    }
    assert.equal(await runningQueries(), 0);
    await assert.rejects(closing.query('SELECT 1', {}), /the MySQL data source is closed/);
  });
});
