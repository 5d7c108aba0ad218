/**
 * The demo dashboards on PostgreSQL and on DuckDB give the same numbers: the demo dataset copied
 * into a real PostgreSQL, one host with both as named data sources (each demo dashboard served
 * twice, once per source), and every dashboard's `main` and chart data compared for a range of
 * Hidden Variables, values refused before any query included. The PostgreSQL side connects as the
 * demo's row-level security role with the token's ACCT_ID as a transaction setting, as the demo's
 * host.json does: the policies change no number the dashboards show.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createPostgresDataSource, loadDashboardFiles, type DashboardDefinition, type DataSource } from '../../src/host/index.js';
import { DEMO_DASHBOARDS_ROLE, loadDemoDatasetIntoPostgres } from '../../demo/dataset/postgres-dataset.js';
import { startPostgres, type PostgresServer } from '../launchers/postgres-server.js';
import { DEMO_DASHBOARDS, manualClock, openDemoDatabase, OVERVIEW, PRODUCT_MIX, SALES_AT_A_GLANCE, serveHost, signToken, type ServedHost } from '../host/helpers/host-fixtures.js';

/** The PostgreSQL copy of dashboard `id` is served as `id + OFFSET`. */
const OFFSET = 100_000;

let postgres: PostgresServer;
let duckdb: DataSource;
let warehouse: DataSource;
let served: ServedHost;
const clock = manualClock();

before(async () => {
  postgres = await startPostgres();
  duckdb = await openDemoDatabase();
  await loadDemoDatasetIntoPostgres(postgres.url, duckdb);
  warehouse = await createPostgresDataSource({
    connectionString: postgres.url.replace('postgresql://app@', `postgresql://${DEMO_DASHBOARDS_ROLE}@`),
    connections: 4,
    transactionSettings: { 'chartio.acct_id': 'ACCT_ID' },
  });
  const demo = await loadDashboardFiles(DEMO_DASHBOARDS);
  const onPostgres = demo.map((dashboard): DashboardDefinition => ({ ...dashboard, id: dashboard.id + OFFSET, dataSource: 'postgres' }));
  const onDuckDb = demo.map((dashboard): DashboardDefinition => ({ ...dashboard, dataSource: 'duckdb' }));
  served = await serveHost({ database: undefined, dataSources: { duckdb, postgres: warehouse }, dashboards: [...onDuckDb, ...onPostgres], now: clock.now });
});
after(async () => {
  await served?.close();
  await warehouse?.close();
  await duckdb?.close();
  await postgres?.stop();
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
  [OVERVIEW, { ACCT_ID: '2', USER_ID: 'me' }],
  [OVERVIEW, { ACCT_ID: '3', PRODUCTS: [] }],
  [PRODUCT_MIX, { ACCT_ID: '2', DATE_RANGE: RANGE }],
  [PRODUCT_MIX, { ACCT_ID: '1', DATE_RANGE: RANGE, PRODUCTS: ['Team'] }],
  [PRODUCT_MIX, { ACCT_ID: '5', DATE_RANGE: ['2015-06-01', '2015-06-30'], USER_ID: '5' }],
  [PRODUCT_MIX, { ACCT_ID: '5' }],
  [PRODUCT_MIX, { ACCT_ID: '1', DATE_RANGE: RANGE, USER_ID: '9223372036854775807' }],
  [SALES_AT_A_GLANCE, { ACCT_ID: '1', DATE_RANGE: ['2015-01-01', '2015-12-31'] }],
  [SALES_AT_A_GLANCE, { ACCT_ID: '2', DATE_RANGE: RANGE, PRODUCTS: ['Team', 'Starter'] }],
  [SALES_AT_A_GLANCE, { ACCT_ID: '5', DATE_RANGE: ['2015-06-01', '2015-06-30'], USER_ID: '5' }],
  [SALES_AT_A_GLANCE, { ACCT_ID: '3', DATE_RANGE: ['2014-01-01', '2014-01-31'] }],
];

test('every demo dashboard shows the same numbers on PostgreSQL as on DuckDB', async () => {
  for (const [dashboard, env] of CASES) {
    const label = `${dashboard} ${JSON.stringify(env)}`;
    const [onDuckDb, onPostgres] = await Promise.all([data(dashboard, env), data(dashboard + OFFSET, env)]);
    assert.ok(!onDuckDb.main.includes('data-status="failed"'), `${label}: every query ran on DuckDB`);
    assert.ok(!onPostgres.main.includes('data-status="failed"'), `${label}: every query ran on PostgreSQL`);
    assert.equal(canonical(onPostgres.main), canonical(onDuckDb.main), label);
    assert.deepEqual(onPostgres.charts, onDuckDb.charts, label);
  }
  // Not vacuous: the pages hold real numbers.
  const overview = await data(OVERVIEW + OFFSET, { ACCT_ID: '1' });
  assert.match(overview.main, /<h2>Completed orders<\/h2><\/figcaption><p class="value"[^>]*>[1-9][0-9,]*<\/p>/);
  // A USER_ID that is not a number never reaches either database: each chart says so instead.
  const refused = await data(OVERVIEW + OFFSET, { ACCT_ID: '2', USER_ID: 'me' });
  assert.equal(refused.main.match(/data-status="unavailable"><figcaption[^]*?The Hidden Variable USER_ID must be a whole number/g)?.length, 6);
  const tenantRefused = await data(OVERVIEW + OFFSET, { ACCT_ID: '1 OR 1=1' });
  assert.equal(tenantRefused.main.match(/data-status="unavailable"/g)?.length, 6);
  assert.ok(served.host.stats().queryRuns >= CASES.length * 2);
});
