/**
 * The DuckDB data source against a real in-process DuckDB: typed binding, value conversion,
 * row bounds, the pool, interruption, closing; and the optional peers' "what to install" errors.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ECHARTS_MISSING, loadEcharts } from '../../src/host/charts/echarts-peer.js';
import { createDuckDbDataSource, type DataSource } from '../../src/host/index.js';
import { importOptionalPeer } from '../../src/host/sources/optional-peer.js';

let database: DataSource;
before(async () => {
  database = await createDuckDbDataSource({
    connections: 2,
    setup: ["CREATE TABLE t AS SELECT i AS n, DATE '2014-01-01' + i::INTEGER AS d, 'v' || i AS s FROM range(0, 50) r(i)"],
  });
});
after(() => database.close());

test('text, date and list values bind with their types; null binds SQL NULL', async () => {
  const result = await database.query('SELECT typeof($T) AS t, $T AS tv, typeof($D) AS d, $D AS dv, typeof($L) AS l, len($L) AS ll, $N IS NULL AS isnull', {
    T: { type: 'text', value: '1 OR 1=1' },
    D: { type: 'date', value: '2014-02-11' },
    L: { type: 'list', value: ['a', "b'); DROP TABLE t; --"] },
    N: { type: 'date', value: null },
  });
  assert.deepEqual(result.rows[0], ['VARCHAR', '1 OR 1=1', 'DATE', '2014-02-11', 'VARCHAR[]', 2, true]);
  const filtered = await database.query('SELECT count(*) FROM t WHERE d BETWEEN $A AND $B AND list_contains($L, s)', {
    A: { type: 'date', value: '2014-01-05' },
    B: { type: 'date', value: '2014-01-20' },
    L: { type: 'list', value: ['v4', 'v5', 'v30'] },
  });
  assert.deepEqual(filtered.rows, [[2]], 'v4 and v5 (2014-01-05, 2014-01-06); v30 is out of range');
});

test('integer and integer_list values bind as BIGINT and BIGINT[], exact over 2^53; null binds SQL NULL', async () => {
  const result = await database.query('SELECT typeof($I) AS i, CAST($I AS VARCHAR) AS iv, typeof($IL) AS il, CAST($IL AS VARCHAR) AS ilv, $IN IS NULL AS inull, $ILN IS NULL AS ilnull', {
    I: { type: 'integer', value: 9007199254740993n },
    IL: { type: 'integer_list', value: [-(2n ** 63n), 2n ** 63n - 1n] },
    IN: { type: 'integer', value: null },
    ILN: { type: 'integer_list', value: null },
  });
  assert.deepEqual(result.rows[0], ['BIGINT', '9007199254740993', 'BIGINT[]', '[-9223372036854775808, 9223372036854775807]', true, true]);
  // Against an integer column, with no cast in the SQL; a value beyond the column's range matches nothing.
  const count = (sql: string, params: Parameters<DataSource['query']>[1]) => database.query(sql, params).then((r) => r.rows[0]![0]);
  assert.equal(await count('SELECT count(*) FROM (SELECT n::INTEGER AS n FROM t) WHERE n = $N', { N: { type: 'integer', value: 7n } }), 1);
  assert.equal(await count('SELECT count(*) FROM (SELECT n::INTEGER AS n FROM t) WHERE n = $N', { N: { type: 'integer', value: 2n ** 40n } }), 0);
  const listed = 'SELECT count(*) FROM (SELECT n::INTEGER AS n FROM t) WHERE ($L IS NULL OR array_position($L, n) IS NOT NULL)';
  assert.equal(await count(listed, { L: { type: 'integer_list', value: [3n, 4n, 99n, 2n ** 40n] } }), 2);
  assert.equal(await count(listed, { L: { type: 'integer_list', value: null } }), 50, 'NULL: no filter');
  assert.equal(await count(listed, { L: { type: 'integer_list', value: [] } }), 0, 'an empty list: nothing');
});

test('values come out as numbers, text and ISO dates; large integers stay exact as text', async () => {
  const result = await database.query(
    "SELECT 42::BIGINT AS b, 9007199254740993::BIGINT AS big, 12.50::DECIMAL(10,2) AS dec, 1.5::DOUBLE AS dbl, DATE '2015-02-11' AS day, TIMESTAMP '2015-02-11 10:20:30' AS ts, [1, 2] AS list, NULL AS nothing, true AS yes",
    {},
  );
  assert.deepEqual(result.columns, ['b', 'big', 'dec', 'dbl', 'day', 'ts', 'list', 'nothing', 'yes']);
  assert.deepEqual(result.rows[0], [42, '9007199254740993', 12.5, 1.5, '2015-02-11', '2015-02-11T10:20:30.000Z', '[1,2]', null, true]);
});

test('maxRows bounds the rows read and says the result was cut', async () => {
  const cut = await database.query('SELECT n FROM t ORDER BY n', {}, { maxRows: 5 });
  assert.deepEqual(cut.rows.map((row) => row[0]), [0, 1, 2, 3, 4]);
  assert.equal(cut.truncated, true);
  const whole = await database.query('SELECT n FROM t WHERE n < 5', {}, { maxRows: 5 });
  assert.equal(whole.truncated, false);
});

test('a parameter with no value is a clear error; a bad query is DuckDB’s error', async () => {
  await assert.rejects(database.query('SELECT $MISSING', {}), /the query uses \$MISSING, and no value was bound to it/);
  await assert.rejects(database.query('SELECT nope FROM t', {}), /nope/);
});

test('more queries than connections wait their turn and all complete', async () => {
  const results = await Promise.all(Array.from({ length: 8 }, (_, i) => database.query(`SELECT ${i} AS i, count(*) FROM t`, {})));
  assert.deepEqual(results.map((r) => r.rows[0]), Array.from({ length: 8 }, (_, i) => [i, 50]));
});

test('a statement kept prepared is bound afresh each run: other values, NULL, after a failure, past the bound', async () => {
  // One connection, so every run of a SQL text meets the statement its earlier run left.
  const single = await createDuckDbDataSource({ connections: 1, setup: ['CREATE TABLE t AS SELECT i AS n FROM range(0, 50) r(i)'] });
  try {
    const sql = 'SELECT count(*) FROM t WHERE ($LO IS NULL OR n >= $LO) AND n < CAST($HI AS INTEGER)';
    const count = (lo: bigint | null, hi: string) => single.query(sql, { LO: { type: 'integer', value: lo }, HI: { type: 'text', value: hi } }).then((r) => r.rows[0]![0]);
    assert.equal(await count(10n, '20'), 10);
    assert.equal(await count(null, '20'), 20, 'NULL after a value: no lower bound, nothing left of the 10');
    assert.equal(await count(45n, '50'), 5);
    await assert.rejects(count(0n, 'twenty'), /twenty/, 'a run that fails at execution');
    assert.equal(await count(0n, '3'), 3, 'and the same SQL runs again');
    // More distinct texts than a connection keeps: the oldest are let go, and run again when asked.
    for (let i = 0; i < 140; i++) assert.deepEqual((await single.query(`SELECT ${i} + $X`, { X: { type: 'integer', value: 1n } })).rows, [[i + 1]]);
    assert.equal(await count(1n, '4'), 3);
    assert.deepEqual((await single.query('SELECT 0 + $X', { X: { type: 'integer', value: 5n } })).rows, [[5]]);
  } finally {
    await single.close();
  }
});

test('an aborted query is interrupted, and its connection serves the next one', async () => {
  // Aborted at once (before execution starts) and a little later (while it runs): both stop a
  // query that would otherwise run for minutes.
  for (const abortAfterMs of [0, 100]) {
    const controller = new AbortController();
    const started = performance.now();
    const slow = database.query('SELECT sum(hash(i)) FROM range(100000000000) t(i)', {}, { signal: controller.signal });
    setTimeout(() => controller.abort(), abortAfterMs);
    await assert.rejects(slow, /interrupt|abort/i);
    assert.ok(performance.now() - started < 5_000);
  }
  assert.deepEqual((await database.query('SELECT 1', {})).rows, [[1]]);
  await assert.rejects(database.query('SELECT 1', {}, { signal: AbortSignal.abort() }), /abort/i);
});

test('close() interrupts the queries under way and fails those waiting for a connection', async () => {
  const closing = await createDuckDbDataSource({ connections: 1 });
  // Minutes of work each if never interrupted: a close() that waited for them would time the test out.
  const running = closing.query('SELECT sum(hash(i)) FROM range(100000000000) t(i)', {});
  const waiting = closing.query('SELECT sum(hash(i)) FROM range(100000000000) t(i)', {});
  const outcomes = Promise.allSettled([running, waiting]);
  await closing.close();
  const [first, second] = await outcomes;
  assert.equal(first.status, 'rejected');
  assert.match(String((first as PromiseRejectedResult).reason), /interrupt|closing/i);
  assert.equal(second.status, 'rejected');
  assert.match(String((second as PromiseRejectedResult).reason), /the DuckDB data source is closed/);
});

test('ping() answers while the database does', async () => {
  await database.ping!();
});

test('a failing setup statement is named by its index, with DuckDB\'s first line only', async () => {
  await assert.rejects(createDuckDbDataSource({ setup: ['CREATE TABLE a AS SELECT 1 AS n', 'CREATE TABL b (n INTEGER)'] }), (error: Error) => {
    assert.equal(error.name, 'DuckDbSetupError');
    assert.equal(error.message, 'setup[1] failed: Parser Error: syntax error at or near "TABL"');
    assert.match(String((error.cause as Error).message), /\n/, 'the cause keeps DuckDB\'s whole message');
    return true;
  });
});

test('a closed source refuses queries clearly', async () => {
  const closing = await createDuckDbDataSource();
  await closing.close();
  await closing.close();
  await assert.rejects(closing.query('SELECT 1', {}), /the DuckDB data source is closed/);
});

test('a missing optional peer names the package to install', async () => {
  const name = 'chartio-embed-no-such-peer';
  await assert.rejects(importOptionalPeer(name, () => import(name), 'The thing'), {
    name: 'MissingPeerError',
    message: `The thing needs the ${name} package, which is not installed: npm install ${name}`,
  });
  const broken = new Error('native binding failed');
  await assert.rejects(importOptionalPeer(name, () => Promise.reject(broken), 'The thing'), broken);
  assert.throws(() => loadEcharts('file:///nonexistent/folder/module.js'), { name: 'MissingPeerError', message: ECHARTS_MISSING });
  assert.match(ECHARTS_MISSING, /npm install echarts/);
});
