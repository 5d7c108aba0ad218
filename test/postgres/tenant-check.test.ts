/**
 * The tenant check asked of a real PostgreSQL 15 (issue 16 item 8): which parameters PostgreSQL
 * reads in a query as the source sends it, a dashboard whose `everywhere` parameter it does not
 * read refused at load (naming the file, the chart and the variable), a positional parameter the
 * host's reading would miss found, a statement whose parameters differ from those checked refused
 * before it runs, and a dashboard that passes showing its tenant's rows only.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import {
  checkAllDashboardParameters,
  checkDashboardParameters,
  createPostgresDataSource,
  DashboardDefinitionError,
  parseDashboardDefinition,
  StatementParametersError,
  type DataSource,
} from '../../src/host/index.js';
import { HostStartError, startHostServer } from '../../src/host/start/start-host.js';
import { parseHostConfig } from '../../src/host/config/host-config.js';
import { startPostgres, type PostgresServer } from '../launchers/postgres-server.js';
import { dashboardPath, manualClock, ORGANIZATION, SECRET, serveHost, signToken } from '../host/helpers/host-fixtures.js';
import { HIDDEN_TENANT_SQL, ORDERS_SQL, TENANT_FILE, tenantDashboard, tenantFile, VISIBLE_TENANT_SQL } from '../host/helpers/hidden-tenant-cases.js';

let server: PostgresServer;
let admin: pg.Client;
let source: DataSource;

before(async () => {
  server = await startPostgres();
  admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(ORDERS_SQL);
  await admin.query('CREATE SEQUENCE counter');
  source = await createPostgresDataSource({ connectionString: server.url, connections: 2 });
});
after(async () => {
  await source?.close();
  await admin?.end();
  await server?.stop();
});

const ACCT_ID = { ACCT_ID: { type: 'integer', value: null } } as const;

describe('parameters(): what PostgreSQL itself reads', () => {
  test('the names it reads, as the source sends them; none where a comment or string hides them', async () => {
    const params = { ...ACCT_ID, MIN: { type: 'integer', value: null } } as const;
    assert.deepEqual(await source.parameters!('SELECT count(*) FROM orders WHERE account_id = $ACCT_ID AND amount > $MIN AND $ACCT_ID > 0;', params), ['ACCT_ID', 'MIN']);
    assert.deepEqual(await source.parameters!('SELECT count(*) FROM orders /* /* */ WHERE account_id = $ACCT_ID */', params), []);
  });

  test('a positional parameter the host would not bind comes back by number', async () => {
    const sql = 'SELECT count(*) FROM orders WHERE account_id = $ACCT_ID AND $1::int IS NULL';
    assert.deepEqual(await source.parameters!(sql, ACCT_ID), ['ACCT_ID', '1']);
  });

  test('a query PostgreSQL cannot prepare, or two statements, reject; nothing runs', async () => {
    await assert.rejects(source.parameters!('SELECT count(*) FROM nowhere WHERE account_id = $ACCT_ID', ACCT_ID), /relation "nowhere" does not exist/);
    await assert.rejects(source.parameters!("SELECT nextval('counter'); DROP TABLE orders", {}), /multiple commands|syntax error/);
    assert.equal((await admin.query('SELECT count(*)::int AS n FROM orders')).rows[0].n, 3, 'the table is intact');
    assert.equal((await admin.query("SELECT nextval('counter')::int AS n")).rows[0].n, 1, 'nothing ran');
  });
});

describe('the load check on PostgreSQL', () => {
  for (const [what, sql] of HIDDEN_TENANT_SQL) {
    test(`refuses $ACCT_ID hidden in ${what}, naming the file, the chart and the variable`, async () => {
      await assert.rejects(checkDashboardParameters(tenantDashboard(sql), source), (error: unknown) => {
        assert.ok(error instanceof DashboardDefinitionError, String(error));
        assert.equal(error.source, TENANT_FILE);
        assert.equal(error.field, 'charts[0].sql');
        assert.match(error.message, /^dashboards\/501\.json: charts\[0\]\.sql \(chart "Orders"\) the database does not read \$ACCT_ID in this query/);
        assert.match(error.message, /which variables\[0\] marks "everywhere"/);
        return true;
      });
    });
  }

  test('a positional parameter next to a visible filter is refused: PostgreSQL reads what the host does not', async () => {
    const sql = 'SELECT count(*) AS n FROM orders WHERE account_id = $ACCT_ID OR $1::int IS NULL';
    await assert.rejects(checkDashboardParameters(tenantDashboard(sql), source), /charts\[0\]\.sql \(chart "Orders"\) the database reads \$ACCT_ID, \$1 in this query, where the host reads \$ACCT_ID/);
  });

  test('every query that only looks suspicious passes, checked all at once', async () => {
    const dashboards = VISIBLE_TENANT_SQL.map(([, sql], index) => ({ ...tenantDashboard(sql), id: 600 + index }));
    await checkAllDashboardParameters(dashboards, () => source);
  });
});

describe('at run time', () => {
  test('a statement whose parameters differ from those checked is refused, not run', async () => {
    // Run, this statement fails in PostgreSQL (division by zero): refused, it never gets there.
    const sql = 'SELECT count(*) / 0 AS n FROM orders WHERE account_id = $ACCT_ID';
    const params = { ACCT_ID: { type: 'integer', value: 1n } } as const;
    await assert.rejects(source.query(sql, params, { parameters: ['ACCT_ID', 'REGION'] }), (error: unknown) => {
      assert.ok(error instanceof StatementParametersError);
      assert.equal(error.code, 'statement_parameters_differ');
      assert.match(error.message, /^the statement was not run: the database reads its parameters as \$ACCT_ID, and it was checked with \$ACCT_ID, \$REGION/);
      return true;
    });
    await assert.rejects(source.query(sql, params, { parameters: ['ACCT_ID'] }), /division by zero/, 'checked as it is, it runs');
  });
});

describe('served', () => {
  test('the host asks PostgreSQL at start: a query it cannot prepare stops the start, naming the file and the chart', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'chartio-tenant-pg-'));
    try {
      const file = join(folder, '501.json');
      await writeFile(file, JSON.stringify(tenantFile('SELECT count(*) AS n FROM nowhere WHERE account_id = $ACCT_ID')));
      const config = parseHostConfig(
        { organization: ORGANIZATION, dashboards: folder, dataSources: { warehouse: { type: 'postgres', url: server.url } }, port: 0, frameAncestors: ['https://app.example.com'] },
        'host.json',
        {},
      );
      await assert.rejects(startHostServer(config, { secret: SECRET }), (error: unknown) => {
        assert.ok(error instanceof HostStartError);
        assert.equal(error.message, `${file}: charts[0].sql (chart "Orders") cannot be prepared by the database, so its parameters cannot be checked (the database says: relation "nowhere" does not exist); fix the query, or the data source it runs on`);
        return true;
      });
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  test('the page, the data route and the CSV of a dashboard that passes show its tenant’s rows only', async () => {
    const clock = manualClock();
    const dashboards = VISIBLE_TENANT_SQL.map(([, sql], index) => parseDashboardDefinition({ ...tenantFile(sql), id: 800 + index }, `dashboards/${800 + index}.json`));
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
