/**
 * The demo dashboards give the same numbers on DuckDB, PostgreSQL and MariaDB (issue 18 item 6):
 * the demo dataset copied into a real PostgreSQL and a real MariaDB, one host with the three as
 * named data sources (each demo dashboard served three times; on MariaDB with its SQL in MySQL's
 * dialect, `demo/dataset/mysql-dataset.ts`), and every dashboard's `main` and chart data compared
 * for a range of Hidden Variables, values refused before any query included. MariaDB is read as
 * the demo's SELECT-only user.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { checkAllDashboardParameters, createMySqlDataSource, createPostgresDataSource, loadDashboardFiles, type DashboardDefinition, type DataSource } from '../../src/host/index.js';
import { loadDemoDatasetIntoPostgres } from '../../demo/dataset/postgres-dataset.js';
import { DEMO_MYSQL_USER, demoDashboardsForMySql, loadDemoDatasetIntoMySql } from '../../demo/dataset/mysql-dataset.js';
import { startPostgres, type PostgresServer } from '../launchers/postgres-server.js';
import { startMariaDb, type MariaDbServer } from '../launchers/mariadb-server.js';
import { DEMO_DASHBOARDS, manualClock, openDemoDatabase, OVERVIEW, PRODUCT_MIX, SALES_AT_A_GLANCE, serveHost, signToken, type ServedHost } from '../host/helpers/host-fixtures.js';

/** The PostgreSQL copy of dashboard `id` is served as `id + ON_POSTGRES`, the MariaDB one as `id + ON_MARIADB`. */
const ON_POSTGRES = 100_000;
const ON_MARIADB = 200_000;

let postgres: PostgresServer;
let mariadb: MariaDbServer;
let duckdb: DataSource;
let pgSource: DataSource;
let mysqlSource: DataSource;
let served: ServedHost;
const clock = manualClock();

before(async () => {
  [postgres, mariadb] = await Promise.all([startPostgres(), startMariaDb()]);
  duckdb = await openDemoDatabase();
  await Promise.all([loadDemoDatasetIntoPostgres(postgres.url, duckdb), loadDemoDatasetIntoMySql(mariadb.url, duckdb)]);
  pgSource = await createPostgresDataSource({ connectionString: postgres.url, connections: 2 });
  mysqlSource = await createMySqlDataSource({ url: mariadb.url.replace('mysql://root@', `mysql://${DEMO_MYSQL_USER}@`), connections: 2 });
  const demo = await loadDashboardFiles(DEMO_DASHBOARDS);
  const onMariaDb = demoDashboardsForMySql(demo).map((dashboard): DashboardDefinition => ({ ...dashboard, id: dashboard.id + ON_MARIADB, dataSource: 'mariadb' }));
  // The host's start-up check, on MariaDB itself: every query reads $ACCT_ID as the host does.
  await checkAllDashboardParameters(onMariaDb, () => mysqlSource);
  const dashboards = [
    ...demo.map((dashboard): DashboardDefinition => ({ ...dashboard, dataSource: 'duckdb' })),
    ...demo.map((dashboard): DashboardDefinition => ({ ...dashboard, id: dashboard.id + ON_POSTGRES, dataSource: 'postgres' })),
    ...onMariaDb,
  ];
  served = await serveHost({ database: undefined, dataSources: { duckdb, postgres: pgSource, mariadb: mysqlSource }, dashboards, now: clock.now });
});
after(async () => {
  await served?.close();
  await Promise.all([pgSource?.close(), mysqlSource?.close(), duckdb?.close()]);
  await Promise.all([postgres?.stop(), mariadb?.stop()]);
});

async function data(dashboard: number, env: Record<string, unknown>): Promise<{ main: string; charts: unknown }> {
  const token = await signToken(clock, { dashboard, env });
  const response = await fetch(`${served.origin}/d/${dashboard}/data`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(response.status, 200);
  const json = await response.json();
  return { main: json.main, charts: json.charts };
}

/**
 * A page with its drawings' class names numbered from 0 per drawing: ECharts numbers the classes
 * of its SVG output from a counter that runs on across renders, so the same chart drawn twice
 * differs there and only there.
 */
function canonical(main: string): string {
  const seen = new Map<string, number>();
  return main.replace(/\b(c\d+w\d+)-cls-(\d+)\b/g, (_, drawing: string, n: string) => {
    const key = `${drawing}-${n}`;
    if (!seen.has(key)) seen.set(key, [...seen.keys()].filter((k) => k.startsWith(`${drawing}-`)).length);
    return `${drawing}-cls-${seen.get(key)}`;
  });
}

const RANGE = ['2014-02-11', '2015-02-11'];
const CASES: [number, Record<string, unknown>][] = [
  [OVERVIEW, { ACCT_ID: '1' }],
  [OVERVIEW, { ACCT_ID: '2', DATE_RANGE: RANGE }],
  [OVERVIEW, { ACCT_ID: '3', PRODUCTS: ['Team', 'Starter'] }],
  [OVERVIEW, { ACCT_ID: '4', USER_ID: '204', DATE_RANGE: ['2015-01-01', '2015-12-31'] }],
  [OVERVIEW, { ACCT_ID: '1 OR 1=1' }],
  [OVERVIEW, { ACCT_ID: '3', PRODUCTS: [] }],
  [PRODUCT_MIX, { ACCT_ID: '2', DATE_RANGE: RANGE }],
  [PRODUCT_MIX, { ACCT_ID: '1', DATE_RANGE: RANGE, PRODUCTS: ['Team', 'Starter'] }],
  [PRODUCT_MIX, { ACCT_ID: '5', DATE_RANGE: ['2015-06-01', '2015-06-30'], USER_ID: '5' }],
  [PRODUCT_MIX, { ACCT_ID: '1', DATE_RANGE: RANGE, USER_ID: '9223372036854775807' }],
  [SALES_AT_A_GLANCE, { ACCT_ID: '1', DATE_RANGE: ['2015-01-01', '2015-12-31'] }],
  [SALES_AT_A_GLANCE, { ACCT_ID: '2', DATE_RANGE: RANGE, PRODUCTS: ['Team', 'Starter'] }],
  [SALES_AT_A_GLANCE, { ACCT_ID: '5', DATE_RANGE: ['2015-06-01', '2015-06-30'], USER_ID: '5' }],
  [SALES_AT_A_GLANCE, { ACCT_ID: '3', DATE_RANGE: ['2014-01-01', '2014-01-31'] }],
];

test('every demo dashboard shows the same numbers on MariaDB as on DuckDB and PostgreSQL', async () => {
  for (const [dashboard, env] of CASES) {
    const label = `${dashboard} ${JSON.stringify(env)}`;
    const [onDuckDb, onPostgres, onMariaDb] = await Promise.all([data(dashboard, env), data(dashboard + ON_POSTGRES, env), data(dashboard + ON_MARIADB, env)]);
    assert.ok(!onMariaDb.main.includes('data-status="failed"'), `${label}: every query ran on MariaDB`);
    assert.equal(canonical(onPostgres.main), canonical(onDuckDb.main), `${label} (PostgreSQL)`);
    assert.equal(canonical(onMariaDb.main), canonical(onDuckDb.main), `${label} (MariaDB)`);
    assert.deepEqual(onMariaDb.charts, onDuckDb.charts, label);
  }
  // Not vacuous: the pages hold real numbers, and the list filter's text too.
  const overview = await data(OVERVIEW + ON_MARIADB, { ACCT_ID: '1' });
  assert.match(overview.main, /<h2>Completed orders<\/h2><\/figcaption><p class="value"[^>]*>[1-9][0-9,]*<\/p>/);
  const mix = await data(PRODUCT_MIX + ON_MARIADB, { ACCT_ID: '1', DATE_RANGE: RANGE, PRODUCTS: ['Team', 'Starter'] });
  assert.match(mix.main, /Starter, Team/);
});
