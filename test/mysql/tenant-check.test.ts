/**
 * The tenant check on a real MariaDB: which `$NAME`s the server reads in a query as the MySQL
 * source sends it (each confirmed by the `?` count of a prepare of its own), a dashboard whose
 * `everywhere` parameter MySQL's lexing hides (a `#` comment, a backslash-escaped string, a
 * backtick name, a comment a carriage return does not end) refused at load naming the file, the
 * chart and the variable, a statement whose parameters differ refused before it runs, and a
 * dashboard served from a host.json `"type": "mysql"` source showing its tenant's rows only.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import mysql from 'mysql2/promise';
import { checkAllDashboardParameters, checkDashboardParameters, createMySqlDataSource, DashboardDefinitionError, parseDashboardDefinition, StatementParametersError, type DataSource } from '../../src/host/index.js';
import { HostStartError, startHostServer } from '../../src/host/start/start-host.js';
import { parseHostConfig } from '../../src/host/config/host-config.js';
import { startMariaDb, type MariaDbServer } from '../launchers/mariadb-server.js';
import { dashboardPath, manualClock, ORGANIZATION, SECRET, serveHost, signToken } from '../host/helpers/host-fixtures.js';
import { TENANT_FILE, tenantDashboard, tenantFile } from '../host/helpers/hidden-tenant-cases.js';

let server: MariaDbServer;
let admin: mysql.Connection;
let source: DataSource;

before(async () => {
  server = await startMariaDb();
  admin = await mysql.createConnection(server.url);
  await admin.query('CREATE TABLE orders (account_id INT NOT NULL, amount INT NOT NULL)');
  await admin.query('INSERT INTO orders VALUES (1, 10), (1, 11), (2, 20)');
  source = await createMySqlDataSource({ url: server.url, connections: 2 });
});
after(async () => {
  await source?.close();
  await admin?.end();
  await server?.stop();
});

const ACCT_ID = { ACCT_ID: { type: 'integer', value: null } } as const;

/** Queries whose `$ACCT_ID` MySQL does not read, though DuckDB or PostgreSQL would. */
const HIDDEN_ON_MYSQL: readonly (readonly [string, string])[] = [
  ['a # comment', 'SELECT count(*) AS n FROM orders # WHERE account_id = $ACCT_ID'],
  ['a string with a backslash-escaped quote', "SELECT count(*) AS n FROM orders WHERE 'it\\' AND account_id = $ACCT_ID' <> ''"],
  ['a double-quoted string', 'SELECT count(*) AS n FROM orders WHERE "$ACCT_ID" <> \'\''],
  ['a backtick name', 'SELECT count(*) AS `n$ACCT_ID` FROM orders'],
  ['a -- comment a carriage return does not end', 'SELECT count(*) AS n FROM orders -- every order\rWHERE account_id = $ACCT_ID'],
  ['a name holding $', 'SELECT count(*) AS n FROM orders o$ACCT_ID'],
];

/** Queries that filter by `$ACCT_ID` on MySQL as on the other databases: each counts 2 for account 1. */
const VISIBLE_ON_MYSQL: readonly (readonly [string, string])[] = [
  ['-- inside a string', "SELECT count(*) AS n, '--' AS s FROM orders WHERE account_id = $ACCT_ID"],
  ['a block comment', 'SELECT count(*) AS n FROM orders /* every order */ WHERE account_id = $ACCT_ID'],
  ['a string with a doubled quote', "SELECT count(*) AS n FROM orders WHERE 'it''s' <> '' AND account_id = $ACCT_ID"],
];

describe('parameters(): what MySQL itself reads', () => {
  test('the names it reads, as the source sends them; none where a comment, string or name hides them', async () => {
    assert.deepEqual(await source.parameters!('SELECT count(*) FROM orders WHERE account_id = $ACCT_ID AND $ACCT_ID > 0', ACCT_ID), ['ACCT_ID']);
    for (const [what, sql] of HIDDEN_ON_MYSQL) assert.deepEqual(await source.parameters!(sql, ACCT_ID), [], what);
  });

  test('a ? of its own comes back by number; what cannot be prepared or read safely rejects, and nothing runs', async () => {
    assert.deepEqual(await source.parameters!('SELECT count(*) FROM orders WHERE account_id = $ACCT_ID OR ? IS NULL', ACCT_ID), ['ACCT_ID', '1']);
    await assert.rejects(source.parameters!('SELECT count(*) FROM nowhere WHERE account_id = $ACCT_ID', ACCT_ID), /nowhere' doesn't exist/);
    await assert.rejects(source.parameters!('SELECT count(*) FROM orders /*!99999 WHERE account_id = $ACCT_ID */', ACCT_ID), /executable comment/);
    await assert.rejects(source.parameters!('DELETE FROM orders; SELECT 1', {}), /syntax/);
    const [rows] = await admin.query('SELECT count(*) AS n FROM orders');
    assert.equal(Number((rows as { n: number }[])[0]!.n), 3, 'the table is intact');
  });
});

describe('the load check on MySQL', () => {
  for (const [what, sql] of HIDDEN_ON_MYSQL) {
    test(`refuses $ACCT_ID hidden in ${what}, naming the file, the chart and the variable`, async () => {
      await assert.rejects(checkDashboardParameters(tenantDashboard(sql), source), (error: unknown) => {
        assert.ok(error instanceof DashboardDefinitionError, String(error));
        assert.equal(error.field, 'charts[0].sql');
        assert.match(error.message, new RegExp(`^${TENANT_FILE.replace('.', '\\.')}: charts\\[0\\]\\.sql \\(chart "Orders"\\) the database does not read \\$ACCT_ID in this query`));
        return true;
      });
    });
  }

  test('two dashes with no space after them are two minus signs to MySQL, a comment to the host: refused as a disagreement', async () => {
    await assert.rejects(checkDashboardParameters(tenantDashboard('SELECT count(*) AS n FROM orders WHERE account_id = 0--$ACCT_ID'), source), /the database reads \$ACCT_ID in this query, where the host reads no parameter/);
  });

  test('every query that only looks suspicious passes, checked all at once', async () => {
    await checkAllDashboardParameters(VISIBLE_ON_MYSQL.map(([, sql], index) => ({ ...tenantDashboard(sql), id: 600 + index })), () => source);
  });
});

test('at run time, a statement whose parameters differ from those checked is refused, not run', async () => {
  const sql = 'SELECT count(*) AS n FROM orders WHERE account_id = $ACCT_ID';
  const params = { ACCT_ID: { type: 'integer', value: 1n } } as const;
  await assert.rejects(source.query(sql, params, { parameters: ['ACCT_ID', 'REGION'] }), (error: unknown) => error instanceof StatementParametersError && error.code === 'statement_parameters_differ');
  assert.deepEqual((await source.query(sql, params, { parameters: ['ACCT_ID'] })).rows, [[2]], 'checked as it is, it runs');
});

describe('served', () => {
  test('host.json "type": "mysql": the host asks MariaDB at start, and refuses a dashboard hiding its tenant, naming the file and the chart', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'chartio-tenant-mysql-'));
    try {
      const file = join(folder, '501.json');
      await writeFile(file, JSON.stringify(tenantFile('SELECT count(*) AS n FROM orders WHERE 1 = 1 # AND account_id = $ACCT_ID')));
      const config = parseHostConfig(
        { organization: ORGANIZATION, dashboards: folder, dataSources: { warehouse: { type: 'mysql', urlEnv: 'MYSQL_URL', connections: 2 } }, port: 0, frameAncestors: ['https://app.example.com'] },
        'host.json',
        { MYSQL_URL: server.url },
      );
      assert.deepEqual(config.dataSources.warehouse, { type: 'mysql', url: server.url, connections: 2 });
      await assert.rejects(startHostServer(config, { secret: SECRET }), (error: unknown) => {
        assert.ok(error instanceof HostStartError);
        assert.match(error.message, new RegExp(`^${file}: charts\\[0\\]\\.sql \\(chart "Orders"\\) the database does not read \\$ACCT_ID in this query`));
        return true;
      });
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  test('the page, the data route and the streamed CSV of a dashboard that passes show its tenant’s rows only', async () => {
    const clock = manualClock();
    const dashboards = VISIBLE_ON_MYSQL.map(([, sql], index) => parseDashboardDefinition({ ...tenantFile(sql), id: 800 + index }, `dashboards/${800 + index}.json`));
    await checkAllDashboardParameters(dashboards, () => source);
    const served = await serveHost({ database: source, dashboards, now: clock.now });
    try {
      for (const dashboard of dashboards) {
        const token = await signToken(clock, { dashboard: dashboard.id, env: { ACCT_ID: '1' } });
        assert.match((await served.get(dashboardPath(dashboard.id, token))).text, /data-column="n" data-value="2"/, dashboard.charts[0]!.sql);
        const data = await served.get(`/d/${dashboard.id}/data`, { authorization: `Bearer ${token}` });
        assert.match(JSON.parse(data.text).main, /data-column="n" data-value="2"/);
        const csv = await served.get(`/d/${dashboard.id}/charts/0.csv`, { authorization: `Bearer ${token}` });
        assert.match(csv.text, /^n(,s)?\r\n2(,'--)?\r\n$/);
      }
    } finally {
      await served.close();
    }
  });
});
