/**
 * `chartio-embed check --config host.json` on a real PostgreSQL 15 (started on a free loopback
 * port): the shared cases of test/host/helpers/check-cases.ts, found through the PostgreSQL
 * source's `describe` (a `LIMIT 0` wrapper in a read-only transaction) and its parameter check.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import pg from 'pg';
import { createPostgresDataSource } from '../../src/host/index.js';
import { startPostgres, type PostgresServer } from '../launchers/postgres-server.js';
import { CHECK_TABLE_SQL, checkCasesOn } from '../host/helpers/check-cases.js';

let server: PostgresServer | undefined;
after(() => server?.stop());

checkCasesOn('PostgreSQL', async () => {
  server = await startPostgres();
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(CHECK_TABLE_SQL);
  await admin.query('CREATE SEQUENCE counter');
  await admin.query('INSERT INTO orders VALUES (1, 10.5, \'paid\', DATE \'2026-01-01\')');
  await admin.end();
  return { type: 'postgres', url: server.url };
});

test('describe gives names and kinds without running the query (a sequence it calls is not advanced)', async () => {
  const source = await createPostgresDataSource({ connectionString: server!.url, connections: 1 });
  try {
    const columns = await source.describe!('SELECT status, sum(amount) AS total, min(ordered_on) AS first, count(*) > 0 AS any FROM orders WHERE account_id = $ACCT_ID GROUP BY status -- trailing comment', { ACCT_ID: { type: 'integer', value: null } });
    assert.deepEqual(columns, [
      { name: 'status', kind: 'text' },
      { name: 'total', kind: 'number' },
      { name: 'first', kind: 'date' },
      { name: 'any', kind: 'boolean' },
    ]);
    // Described, never run: the sequence a run would advance is where it was.
    assert.deepEqual(await source.describe!("SELECT nextval('counter') AS n FROM orders", {}), [{ name: 'n', kind: 'number' }]);
    const admin = new pg.Client({ connectionString: server!.url });
    await admin.connect();
    const { rows } = await admin.query("SELECT nextval('counter') AS n");
    await admin.end();
    assert.equal(Number(rows[0].n), 1);
  } finally {
    await source.close();
  }
});
