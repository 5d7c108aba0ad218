/**
 * The PostgreSQL data source against a real PostgreSQL 15 (a throwaway cluster on a free loopback
 * port): typed binding, read-only transactions, value conversion, bounded reads and pool, a
 * timeout and an abort that cancel on the server, close() cancelling what runs, and errors that
 * stay off the page.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { createPostgresDataSource, parseDashboardDefinition, type DataSource } from '../../src/host/index.js';
import { QUERY_FAILED_MESSAGE, QUERY_TIMEOUT_MESSAGE } from '../../src/host/sources/run-dashboard.js';
import { startPostgres, type PostgresServer } from '../launchers/postgres-server.js';
import { chartHtml, dashboardPath, manualClock, serveHost, signToken } from '../host/helpers/host-fixtures.js';

let server: PostgresServer;
let admin: pg.Client;
let source: DataSource;

before(async () => {
  server = await startPostgres();
  admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query("CREATE TABLE t AS SELECT i AS n, DATE '2014-01-01' + i AS d, 'v' || i AS s FROM generate_series(0, 49) i");
  await admin.query('CREATE SEQUENCE counter');
  source = await createPostgresDataSource({ connectionString: server.url, connections: 2 });
});
after(async () => {
  await source?.close();
  await admin?.end();
  await server?.stop();
});

/**
 * Queries of the data sources still running on the server, seen from another connection. A
 * source reads every result through a cursor, so what runs is its `FETCH`.
 */
async function runningQueries(): Promise<number> {
  const { rows } = await admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'chartio-embed host' AND state = 'active' AND query LIKE 'FETCH %'");
  return rows[0].n;
}

/** Resolves once the server shows `count` queries of the sources running. */
async function untilRunning(count = 1): Promise<void> {
  // pg_stat_activity is the server's own view: ask it until the queries show (each ask is a round trip, no sleep).
  while ((await runningQueries()) < count);
}

describe('binding', () => {
  test('text, date and list bind as typed parameters; null binds a typed NULL', async () => {
    const result = await source.query('SELECT pg_typeof($T)::text AS t, $T AS tv, pg_typeof($D)::text AS d, $D AS dv, pg_typeof($L)::text AS l, cardinality($L) AS ll, $N IS NULL AS isnull, pg_typeof($N)::text AS nt', {
      T: { type: 'text', value: '1 OR 1=1' },
      D: { type: 'date', value: '2014-02-11' },
      L: { type: 'list', value: ['a', "b'); DROP TABLE t; --"] },
      N: { type: 'date', value: null },
    });
    assert.deepEqual(result.rows[0], ['text', '1 OR 1=1', 'date', '2014-02-11', 'text[]', 2, true, 'date']);
    const filtered = await source.query('SELECT count(*) FROM t WHERE d BETWEEN $A AND $B AND s IN (SELECT unnest($L))', {
      A: { type: 'date', value: '2014-01-05' },
      B: { type: 'date', value: '2014-01-20' },
      L: { type: 'list', value: ['v4', 'v5', 'v30'] },
    });
    assert.deepEqual(filtered.rows, [[2]]);
    assert.equal((await admin.query('SELECT count(*)::int AS n FROM t')).rows[0].n, 50, 'the table is intact');
  });

  test('integer and integer_list bind as bigint and bigint[], exact over 2^53; null binds a typed NULL', async () => {
    const result = await source.query('SELECT pg_typeof($I)::text AS i, $I::text AS iv, pg_typeof($IL)::text AS il, $IL::text AS ilv, $IN IS NULL AS inull, pg_typeof($IN)::text AS nt, pg_typeof($ILN)::text AS lnt', {
      I: { type: 'integer', value: 9007199254740993n },
      IL: { type: 'integer_list', value: [-(2n ** 63n), 2n ** 63n - 1n] },
      IN: { type: 'integer', value: null },
      ILN: { type: 'integer_list', value: null },
    });
    assert.deepEqual(result.rows[0], ['bigint', '9007199254740993', 'bigint[]', '{-9223372036854775808,9223372036854775807}', true, 'bigint', 'bigint[]']);
    // t.n is an integer column: compared with the bigint as is, no cast in the SQL.
    const count = (sql: string, params: Parameters<DataSource['query']>[1]) => source.query(sql, params).then((r) => r.rows[0]![0]);
    assert.equal(await count('SELECT count(*) FROM t WHERE n = $N', { N: { type: 'integer', value: 7n } }), 1);
    assert.equal(await count('SELECT count(*) FROM t WHERE n = $N', { N: { type: 'integer', value: 2n ** 40n } }), 0);
    const listed = 'SELECT count(*) FROM t WHERE ($L IS NULL OR array_position($L, n) IS NOT NULL)';
    assert.equal(await count(listed, { L: { type: 'integer_list', value: [3n, 4n, 99n, 2n ** 40n] } }), 2);
    assert.equal(await count(listed, { L: { type: 'integer_list', value: null } }), 50, 'NULL: no filter');
    assert.equal(await count(listed, { L: { type: 'integer_list', value: [] } }), 0, 'an empty list: nothing');
  });

  test('a name inside a string, a quoted identifier or a comment is not a parameter', async () => {
    const result = await source.query(`SELECT '$A' AS a, E'it\\'s $A' AS b, $A AS c -- $B`, { A: { type: 'text', value: 'x' } });
    assert.deepEqual(result.rows[0], ['$A', "it's $A", 'x']);
    await assert.rejects(source.query('SELECT $MISSING', {}), /the query uses \$MISSING, and no value was bound to it/);
  });

  test('values come out as numbers, text and ISO dates, as from DuckDB', async () => {
    const result = await source.query(
      "SELECT 42::bigint AS b, 9007199254740993::bigint AS big, 12.50::numeric(10,2) AS dec, 1.5::float8 AS dbl, DATE '2015-02-11' AS day, TIMESTAMP '2015-02-11 10:20:30' AS ts, ARRAY[1, 2] AS list, NULL AS nothing, true AS yes",
      {},
    );
    assert.deepEqual(result.columns, ['b', 'big', 'dec', 'dbl', 'day', 'ts', 'list', 'nothing', 'yes']);
    assert.deepEqual(result.rows[0], [42, '9007199254740993', 12.5, 1.5, '2015-02-11', '2015-02-11T10:20:30.000Z', '[1,2]', null, true]);
  });

  test('maxRows reads through a cursor and says the result was cut', async () => {
    const cut = await source.query('SELECT g FROM generate_series(1, 1000000) g', {}, { maxRows: 5 });
    assert.deepEqual(cut.rows.map((row) => row[0]), [1, 2, 3, 4, 5]);
    assert.equal(cut.truncated, true);
    const whole = await source.query('SELECT n FROM t WHERE n < 5 ORDER BY n;', {}, { maxRows: 5 });
    assert.equal(whole.truncated, false);
  });
});

describe('streaming rows, for downloads', () => {
  test('streamRows reads the cursor 1000 rows at a time, every row once, and gives its connection back', async () => {
    const stream = await source.streamRows!("SELECT g, repeat('x', 100) AS t FROM generate_series(1, 2500) g WHERE g > $FROM", { FROM: { type: 'integer', value: 0n } });
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
    const early = await source.streamRows!('SELECT g FROM generate_series(1, 1000000) g', {});
    assert.equal((await early.next())?.length, 1000);
    await early.close();
    // The first FETCH (which names the columns) waits on the sleeping row: aborted while the server runs it.
    const controller = new AbortController();
    const slow = source.streamRows!('SELECT g FROM generate_series(1, 3) g, pg_sleep(CASE WHEN g = 3 THEN 600 ELSE 0 END) s', {}, { signal: controller.signal });
    await untilRunning();
    controller.abort(new Error('the client went away'));
    await assert.rejects(slow, /the query was cancelled \(the client went away\)/);
    assert.equal(await runningQueries(), 0);
    assert.deepEqual((await source.query('SELECT 7 AS n', {})).rows, [[7]]);
  });
});

describe('read only', () => {
  test('writes are refused, and one statement only', async () => {
    await assert.rejects(source.query('SELECT 1; DELETE FROM t', {}), /cannot insert multiple commands/);
    await assert.rejects(source.query("SELECT nextval('counter')", {}), /cannot execute nextval\(\) in a read-only transaction/);
    await assert.rejects(source.query('CREATE TABLE u (a int)', {}), /syntax error/);
    await assert.rejects(source.query('WITH gone AS (DELETE FROM t RETURNING *) SELECT count(*) FROM gone', {}), /data-modifying|read-only transaction/);
    assert.equal((await admin.query('SELECT count(*)::int AS n FROM t')).rows[0].n, 50);
  });

  test('nothing a query sets outlives it: each runs in a transaction that is rolled back', async () => {
    // Both connections of the pool, so the next queries surely reuse the ones that ran set_config.
    await Promise.all([0, 1].map(() => source.query("SELECT set_config('application_name', 'changed', false), pg_sleep(0.05)", {})));
    const after = await Promise.all([0, 1].map(() => source.query("SELECT current_setting('application_name'), current_setting('transaction_read_only'), pg_sleep(0.05)", {})));
    for (const result of after) assert.deepEqual(result.rows[0]!.slice(0, 2), ['chartio-embed host', 'on']);
    await assert.rejects(source.query("SELECT set_config('transaction_read_only', 'off', false)", {}), /read-write mode/);
  });
});

describe('cancelling on the server', () => {
  test('timeoutMs: the server stops the statement itself', async () => {
    await assert.rejects(source.query('SELECT pg_sleep(600)', {}, { timeoutMs: 100 }), /statement timeout/);
    assert.equal(await runningQueries(), 0);
  });

  test('an abort cancels the query on the server, and its connection serves the next one', async () => {
    const controller = new AbortController();
    const slow = source.query('SELECT pg_sleep(600)', {}, { signal: controller.signal });
    await untilRunning();
    controller.abort();
    await assert.rejects(slow, /cancelled/);
    assert.equal(await runningQueries(), 0);
    assert.deepEqual(await Promise.all([source.query('SELECT 7', {}), source.query('SELECT 8', {})]).then((r) => r.map((x) => x.rows[0]![0])), [7, 8]);
  });

  test('the pool is bounded: more queries than connections wait their turn', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => source.query('SELECT pg_backend_pid() AS pid, pg_sleep(0.02)', {})));
    assert.ok(new Set(results.map((r) => r.rows[0]![0])).size <= 2);
  });

  test('close() cancels the queries under way on the server', async () => {
    const closing = await createPostgresDataSource({ connectionString: server.url, connections: 2 });
    const slow = Promise.allSettled([closing.query('SELECT pg_sleep(600)', {}), closing.query('SELECT pg_sleep(600)', {})]);
    await untilRunning(2);
    await closing.close();
    for (const outcome of await slow) {
      assert.equal(outcome.status, 'rejected');
      assert.match(String((outcome as PromiseRejectedResult).reason), /cancelled \(the data source is closing\)/);
    }
    assert.equal(await runningQueries(), 0);
    await assert.rejects(closing.query('SELECT 1', {}), /the PostgreSQL data source is closed/);
  });
});

describe('through the host', () => {
  const dashboard = parseDashboardDefinition(
    {
      id: 60_001,
      title: 'Probe',
      variables: [{ name: 'N', kind: 'text', required: true }],
      charts: [
        { title: 'Count', type: 'number', sql: 'SELECT count(*) FROM t WHERE n < CAST($N AS integer)' },
        { title: 'Broken', type: 'number', sql: 'SELECT no_such_column FROM t' },
        { title: 'Endless', type: 'number', sql: 'SELECT 1 FROM pg_sleep(600)' },
      ],
    },
    'probe.json',
  );

  test('a failing query names its chart in the log; the page shows neither SQL nor credentials', async () => {
    const password = 'pw-that-must-never-show';
    const withPassword = server.url.replace('app@', `app:${password}@`);
    const database = await createPostgresDataSource({ connectionString: withPassword, connections: 2 });
    const clock = manualClock();
    const served = await serveHost({ database, dashboards: [dashboard], now: clock.now, queryTimeoutMs: 300 });
    try {
      const token = await signToken(clock, { dashboard: 60_001, env: { N: '10' } });
      const { text } = await served.get(dashboardPath(60_001, token));
      assert.match(chartHtml(text, 'Count'), />10</);
      assert.ok(chartHtml(text, 'Broken').includes(QUERY_FAILED_MESSAGE));
      assert.ok(chartHtml(text, 'Endless').includes(QUERY_TIMEOUT_MESSAGE));
      for (const leak of ['no_such_column', 'SELECT', 'pg_sleep', password, String(server.port), '127.0.0.1']) assert.ok(!text.includes(leak), leak);
      const failed = served.logs.find((entry) => entry.event === 'query_failed');
      assert.equal(failed?.chart, 'charts[1] "Broken"');
      assert.match(failed?.detail ?? '', /no_such_column/);
      assert.equal(served.logs.find((entry) => entry.event === 'query_timeout')?.chart, 'charts[2] "Endless"');
      assert.ok(!JSON.stringify(served.logs).includes(password));
      // The host answered at its timeout; the server stops the statement on its own (a query left
      // running would sleep past this test's time limit).
      while ((await runningQueries()) > 0);
    } finally {
      await served.close();
      await database.close();
    }
  });

  test('an unreachable server fails each chart with the same message, nothing more', async () => {
    const password = 'another-secret-password';
    const database = await createPostgresDataSource({ connectionString: `postgresql://app:${password}@127.0.0.1:1/app`, connections: 1 });
    const clock = manualClock();
    const served = await serveHost({ database, dashboards: [dashboard], now: clock.now });
    try {
      const token = await signToken(clock, { dashboard: 60_001, env: { N: '10' } });
      const { status, text } = await served.get(dashboardPath(60_001, token));
      assert.equal(status, 200);
      for (const title of ['Count', 'Broken', 'Endless']) assert.ok(chartHtml(text, title).includes(QUERY_FAILED_MESSAGE), title);
      assert.ok(!text.includes(password) && !JSON.stringify(served.logs).includes(password));
    } finally {
      await served.close();
      await database.close();
    }
  });
});
