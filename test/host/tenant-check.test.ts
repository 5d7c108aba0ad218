/**
 * The tenant check asked of DuckDB (issue 16 item 8): a dashboard whose `everywhere` parameter
 * DuckDB does not read in every chart and download query is refused at load, naming the file, the
 * chart and the variable, whether or not the host's own reading of SQL saw through it; a statement
 * whose parameters differ from those checked is refused, not run; and the page, the data route
 * and the CSV of a dashboard that passes show its tenant's rows only.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  checkAllDashboardParameters,
  checkDashboardParameters,
  createDashboardHost,
  createDuckDbDataSource,
  DashboardDefinitionError,
  parseDashboardDefinition,
  StatementParametersError,
  type DataSource,
} from '../../src/host/index.js';
import { HostStartError, startHostServer } from '../../src/host/start/start-host.js';
import { parseHostConfig } from '../../src/host/config/host-config.js';
import { dashboardPath, manualClock, ORGANIZATION, SECRET, serveHost, signToken } from './helpers/host-fixtures.js';
import { HIDDEN_TENANT_SQL, ORDERS_SQL, TENANT_FILE, tenantDashboard, tenantFile, VISIBLE_TENANT_SQL } from './helpers/hidden-tenant-cases.js';

let database: DataSource;
before(async () => {
  database = await createDuckDbDataSource({ connections: 2, setup: [ORDERS_SQL, 'CREATE SEQUENCE counter'] });
});
after(() => database.close());

/** Asserts `error` is the load check's refusal of charts[0]'s `field` for not reading $ACCT_ID. */
function refusedForTenant(error: unknown, field = 'charts[0].sql'): true {
  assert.ok(error instanceof DashboardDefinitionError, String(error));
  assert.equal(error.source, TENANT_FILE);
  assert.equal(error.field, field);
  assert.match(error.message, new RegExp(`^dashboards/501\\.json: ${field.replace(/[[\].]/g, '\\$&')} \\(chart "Orders"\\) the database does not read \\$ACCT_ID in this query`));
  assert.match(error.message, /which variables\[0\] marks "everywhere"/);
  return true;
}

describe('parameters(): what DuckDB itself reads', () => {
  test('the named parameters DuckDB parsed; positional ones by number; none where a comment or string hides them', async () => {
    assert.deepEqual(await database.parameters!('SELECT count(*) FROM orders WHERE account_id = $ACCT_ID AND amount > $MIN', {}), ['ACCT_ID', 'MIN']);
    assert.deepEqual(await database.parameters!('SELECT count(*) FROM orders /* /* */ WHERE account_id = $ACCT_ID */', {}), []);
    assert.deepEqual(await database.parameters!('SELECT $1::bigint AS one', {}), ['1']);
    await assert.rejects(database.parameters!('SELECT FROM WHERE', {}), /Parser Error/);
  });
});

describe('the load check on DuckDB', () => {
  for (const [what, sql] of HIDDEN_TENANT_SQL) {
    test(`refuses $ACCT_ID hidden in ${what}, naming the file, the chart and the variable`, async () => {
      // The database check alone (a definition made in code, past the host's reading) …
      await assert.rejects(checkDashboardParameters(tenantDashboard(sql), database), (error) => refusedForTenant(error));
      // … and the file's own check agree.
      assert.throws(() => parseDashboardDefinition(tenantFile(sql), TENANT_FILE), /charts\[0\]\.sql \(chart "Orders"\) (does not use \$ACCT_ID|uses \$1)/);
    });
  }

  test('a download query of its own is held to the same rule', async () => {
    const hidden = HIDDEN_TENANT_SQL[0]![1];
    await assert.rejects(checkDashboardParameters(tenantDashboard(VISIBLE_TENANT_SQL[0]![1], hidden), database), (error) => refusedForTenant(error, 'charts[0].download.sql'));
  });

  test('a query DuckDB cannot prepare is refused with its first line, not run unchecked', async () => {
    const sql = 'SELECT count(*) AS n FROM orders WHERE account_id = $ACCT_ID AND $2::int IS NULL';
    await assert.rejects(checkDashboardParameters(tenantDashboard(sql), database), (error: unknown) => {
      assert.ok(error instanceof DashboardDefinitionError);
      assert.match(error.message, /^dashboards\/501\.json: charts\[0\]\.sql \(chart "Orders"\) cannot be prepared by the database, so its parameters cannot be checked \(the database says: [^\n]*Mixing named and positional/);
      return true;
    });
  });

  for (const [what, sql] of VISIBLE_TENANT_SQL) {
    test(`accepts $ACCT_ID next to ${what}, as the host's reading does`, async () => {
      await checkDashboardParameters(tenantDashboard(sql), database);
      assert.deepEqual(parseDashboardDefinition(tenantFile(sql), TENANT_FILE).charts[0]!.variables, ['ACCT_ID']);
    });
  }

  test('many dashboards are checked at once, each SQL text prepared once; the first refusal in order wins', async () => {
    const good = VISIBLE_TENANT_SQL.map(([, sql], index) => ({ ...tenantDashboard(sql), id: 600 + index, source: `dashboards/${600 + index}.json` }));
    const bad = HIDDEN_TENANT_SQL.map(([, sql], index) => ({ ...tenantDashboard(sql), id: 700 + index, source: `dashboards/${700 + index}.json` }));
    const asked: string[] = [];
    const counting: DataSource = { ...database, query: database.query.bind(database), close: async () => undefined, parameters: (sql, params) => (asked.push(sql), database.parameters!(sql, params)) };
    await checkAllDashboardParameters([...good, ...good], () => counting);
    assert.equal(asked.length, new Set(good.map((dashboard) => dashboard.charts[0]!.sql)).size, 'once per text, though each appears four times');
    await assert.rejects(checkAllDashboardParameters([...good, ...bad].reverse(), () => database), (error: unknown) => {
      assert.ok(error instanceof DashboardDefinitionError);
      assert.equal(error.source, `dashboards/${700 + bad.length - 1}.json`, 'the first refused dashboard in the order given');
      return true;
    });
  });
});

describe('at run time', () => {
  test('a statement DuckDB reads with other parameters than were checked is refused, not run', async () => {
    const sql = "SELECT nextval('counter') AS n /* /* */ WHERE $ACCT_ID > 0 */";
    await assert.rejects(database.query(sql, { ACCT_ID: { type: 'integer', value: 1n } }, { parameters: ['ACCT_ID'] }), (error: unknown) => {
      assert.ok(error instanceof StatementParametersError);
      assert.equal(error.code, 'statement_parameters_differ');
      assert.deepEqual([error.expected, error.found], [['ACCT_ID'], []]);
      assert.match(error.message, /^the statement was not run: the database reads its parameters as none, and it was checked with \$ACCT_ID/);
      return true;
    });
    assert.deepEqual((await database.query("SELECT nextval('counter') AS n", {})).rows, [[1]], 'the refused statement never ran');
    // The same statement, checked as what it is, runs.
    assert.deepEqual((await database.query(sql, {}, { parameters: [] })).rows, [[2]]);
  });
});

describe('served', () => {
  const clock = manualClock();

  test('a hidden tenant filter stops the host from starting, naming the file, the chart and the variable', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'chartio-tenant-'));
    try {
      const file = join(folder, '501.json');
      await writeFile(file, JSON.stringify(tenantFile(HIDDEN_TENANT_SQL[0]![1])));
      const config = parseHostConfig(
        { organization: ORGANIZATION, dashboards: folder, dataSources: { local: { type: 'duckdb', path: ':memory:', setup: [ORDERS_SQL] } }, port: 0, frameAncestors: ['https://app.example.com'] },
        'host.json',
        {},
      );
      await assert.rejects(startHostServer(config, { secret: SECRET }), (error: unknown) => {
        assert.ok(error instanceof HostStartError);
        assert.match(error.message, new RegExp(`^${file.replace(/[.]/g, '\\.')}: charts\\[0\\]\\.sql \\(chart "Orders"\\) does not use \\$ACCT_ID, which variables\\[0\\] marks "everywhere"`));
        return true;
      });
      // Made in code, the same dashboard is refused when the host is created.
      assert.throws(() => createDashboardHost({ organization: ORGANIZATION, secret: SECRET, dashboards: [tenantDashboard(HIDDEN_TENANT_SQL[0]![1])], database, frameAncestors: ['https://app.example.com'] }), /does not use \$ACCT_ID/);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  test('the page, the data route and the CSV of a dashboard that passes show its tenant’s rows only', async () => {
    const dashboards = VISIBLE_TENANT_SQL.map(([, sql], index) => parseDashboardDefinition({ ...tenantFile(sql), id: 800 + index }, `dashboards/${800 + index}.json`));
    await checkAllDashboardParameters(dashboards, () => database);
    const served = await serveHost({ database, dashboards, now: clock.now });
    try {
      for (const dashboard of dashboards) {
        const token = await signToken(clock, { dashboard: dashboard.id, env: { ACCT_ID: '1' } });
        const page = await served.get(dashboardPath(dashboard.id, token));
        assert.match(page.text, /data-column="n" data-value="2"/, dashboard.charts[0]!.sql);
        const data = await served.get(`/d/${dashboard.id}/data`, { authorization: `Bearer ${token}` });
        assert.match(JSON.parse(data.text).main, /data-column="n" data-value="2"/);
        const csv = await served.get(`/d/${dashboard.id}/charts/0.csv`, { authorization: `Bearer ${token}` });
        assert.equal(csv.status, 200);
        assert.match(csv.text, /^n(,s)?\r\n2(,'--)?\r\n$/);
      }
    } finally {
      await served.close();
    }
  });
});
