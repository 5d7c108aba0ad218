/**
 * `chartio-embed check --config host.json` on a real MariaDB (started on a free loopback port):
 * the shared cases of test/host/helpers/check-cases.ts, found through the MySQL source's
 * `describe` (the statement prepared, its column definitions read, never run) and its parameter
 * check.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import mysql from 'mysql2/promise';
import { createMySqlDataSource } from '../../src/host/index.js';
import { startMariaDb, type MariaDbServer } from '../launchers/mariadb-server.js';
import { CHECK_TABLE_SQL, checkCasesOn } from '../host/helpers/check-cases.js';

let server: MariaDbServer | undefined;
after(() => server?.stop());

checkCasesOn('MariaDB', async () => {
  server = await startMariaDb();
  const admin = await mysql.createConnection(server.url);
  await admin.query(CHECK_TABLE_SQL);
  await admin.query("INSERT INTO orders VALUES (1, 10.5, 'paid', DATE '2026-01-01')");
  await admin.end();
  return { type: 'mysql', url: server.url };
});

test('describe gives names and kinds without running the query', async () => {
  const source = await createMySqlDataSource({ url: server!.url, connections: 1 });
  try {
    const columns = await source.describe!('SELECT status, sum(amount) AS total, min(ordered_on) AS first FROM orders WHERE account_id = $ACCT_ID GROUP BY status', { ACCT_ID: { type: 'integer', value: null } });
    assert.deepEqual(columns, [
      { name: 'status', kind: 'text' },
      { name: 'total', kind: 'number' },
      { name: 'first', kind: 'date' },
    ]);
    // Described, never run: a query that would fail on its rows (a division's error under strict mode aside) is only planned.
    const before = (await source.query('SELECT count(*) AS n FROM orders', {})).rows[0]![0];
    await assert.rejects(source.describe!('SELECT amout FROM orders WHERE account_id = $ACCT_ID', { ACCT_ID: { type: 'integer', value: null } }), /amout/);
    assert.equal((await source.query('SELECT count(*) AS n FROM orders', {})).rows[0]![0], before);
  } finally {
    await source.close();
  }
});
