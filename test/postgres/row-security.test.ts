/**
 * Row-level security in PostgreSQL itself: a data source with `transactionSettings` sets the
 * token's Hidden Variables in each chart's and each download's transaction, so a policy isolates
 * tenants even for a chart that forgets its `WHERE` (page, data route and CSV alike); a token
 * without the variable runs nothing; and a source whose role would bypass the policies (a
 * superuser, BYPASSRLS, the owner of an unforced table) refuses to start, naming its source.
 * A real PostgreSQL on a free loopback port, a non-superuser role made for the test.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createPostgresDataSource, parseDashboardDefinition, RowSecurityError, type DataSource } from '../../src/host/index.js';
import { HostStartError, startHostServer } from '../../src/host/start/start-host.js';
import { parseHostConfig } from '../../src/host/config/host-config.js';
import { startPostgres, type PostgresServer } from '../launchers/postgres-server.js';
import { chartHtml, dashboardPath, manualClock, ORGANIZATION, SECRET, serveHost, signToken, type ServedHost } from '../host/helpers/host-fixtures.js';

const DASHBOARD = 4242;
const SETTINGS = { 'chartio.acct_id': 'ACCT_ID' };

let postgres: PostgresServer;
let warehouse: DataSource;
let served: ServedHost;
const clock = manualClock();

/** The server's URL as another role. */
const as = (role: string) => postgres.url.replace('postgresql://app@', `postgresql://${role}@`);

before(async () => {
  postgres = await startPostgres();
  const admin = new pg.Client({ connectionString: postgres.url });
  await admin.connect();
  try {
    await admin.query(`
      CREATE TABLE orders (order_id integer NOT NULL, account_id integer NOT NULL, amount numeric(10,2) NOT NULL);
      INSERT INTO orders SELECT i, 1 + i % 3, i * 10 FROM generate_series(1, 30) AS i;
      ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
      CREATE POLICY tenant ON orders USING (account_id = current_setting('chartio.acct_id')::int);
      CREATE ROLE viewer LOGIN;
      GRANT SELECT ON orders TO viewer;
      CREATE ROLE bypasser LOGIN BYPASSRLS;
      CREATE ROLE keeper LOGIN;
      CREATE TABLE ledger (account_id integer NOT NULL);
      ALTER TABLE ledger OWNER TO keeper;
      ALTER TABLE ledger ENABLE ROW LEVEL SECURITY;`);
  } finally {
    await admin.end();
  }
  warehouse = await createPostgresDataSource({ connectionString: as('viewer'), connections: 2, transactionSettings: SETTINGS });
  const dashboard = parseDashboardDefinition(
    {
      id: DASHBOARD,
      title: 'Orders, no WHERE',
      variables: [{ name: 'ACCT_ID', kind: 'integer' }],
      charts: [
        // Both forget the tenant filter: only the policy keeps other accounts out.
        { title: 'Orders', type: 'number', sql: 'SELECT count(*) AS orders FROM orders' },
        { title: 'Accounts seen', type: 'table', sql: 'SELECT DISTINCT account_id FROM orders ORDER BY 1' },
      ],
    },
    'rls.json',
  );
  served = await serveHost({ database: warehouse, dashboards: [dashboard], now: clock.now });
});
after(async () => {
  await served?.close();
  await warehouse?.close();
  await postgres?.stop();
});

async function data(env: Record<string, unknown>): Promise<string> {
  const token = await signToken(clock, { dashboard: DASHBOARD, env });
  const response = await fetch(`${served.origin}/d/${DASHBOARD}/data`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(response.status, 200);
  return (await response.json()).main;
}

/** The table chart's cells, in order. */
const cells = (html: string) => [...chartHtml(html, 'Accounts seen').matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((match) => match[1]);

test('a chart without WHERE sees only the token’s tenant: page, data route and CSV', async () => {
  for (const account of ['1', '2', '3']) {
    const main = await data({ ACCT_ID: account });
    assert.match(chartHtml(main, 'Orders'), />10</, `account ${account}: 10 of the 30 orders`);
    assert.deepEqual(cells(main), [account], `account ${account} sees its own account only`);
  }
  const token = await signToken(clock, { dashboard: DASHBOARD, env: { ACCT_ID: '2' } });
  const page = await served.get(dashboardPath(DASHBOARD, token));
  assert.equal(page.status, 200);
  assert.match(chartHtml(page.text, 'Orders'), />10</);
  assert.deepEqual(cells(page.text), ['2']);
  const csv = await fetch(`${served.origin}/d/${DASHBOARD}/charts/1.csv`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(csv.status, 200);
  assert.equal(await csv.text(), 'account_id\r\n2\r\n');
});

test('a token without the variable runs no query (the charts fail; no rows of anyone)', async () => {
  const before = served.logs.length;
  const main = await data({});
  assert.match(chartHtml(main, 'Orders'), /its query failed/);
  assert.deepEqual(cells(main), []);
  const logged = served.logs.slice(before).filter((entry) => entry.event === 'query_failed');
  assert.equal(logged.length, 2);
  assert.ok(logged.every((entry) => /does not set the Hidden Variable ACCT_ID, which the setting chartio\.acct_id takes/.test(entry.detail ?? '')));
  const token = await signToken(clock, { dashboard: DASHBOARD, env: {} });
  const csv = await fetch(`${served.origin}/d/${DASHBOARD}/charts/1.csv`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal((await csv.json()).error.code, 'query_failed');
});

test('a role the policies would not bind is refused at start, with what to do', async () => {
  const refused = async (role: string, pattern: RegExp) => {
    await assert.rejects(createPostgresDataSource({ connectionString: as(role), transactionSettings: SETTINGS }), (error: unknown) => {
      assert.ok(error instanceof RowSecurityError);
      assert.match(error.message, pattern);
      return true;
    });
  };
  await refused('app', /connects as app, a superuser, which row-level security policies never bind: connect as a role without SUPERUSER or BYPASSRLS/);
  await refused('bypasser', /connects as bypasser, a role with BYPASSRLS/);
  await refused('keeper', /connects as keeper, which owns public\.ledger \(row-level security on, not forced\).*FORCE ROW LEVEL SECURITY/);
  const admin = new pg.Client({ connectionString: postgres.url });
  await admin.connect();
  await admin.query('ALTER TABLE ledger FORCE ROW LEVEL SECURITY');
  await admin.end();
  const forced = await createPostgresDataSource({ connectionString: as('keeper'), transactionSettings: SETTINGS });
  await forced.close();
  // Without settings nothing is checked: the source is what it always was.
  const plain = await createPostgresDataSource({ connectionString: postgres.url });
  await plain.close();
  await assert.rejects(createPostgresDataSource({ connectionString: as('viewer'), transactionSettings: { acct_id: 'ACCT_ID' } }), /"acct_id" is not a custom setting name/);
});

test('the host command refuses to start on such a role, naming the data source', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'chartio-rls-'));
  try {
    await writeFile(join(folder, `${DASHBOARD}.json`), JSON.stringify({ id: DASHBOARD, title: 'x', variables: [{ name: 'ACCT_ID', kind: 'integer' }], charts: [{ title: 'n', type: 'number', sql: 'SELECT count(*) FROM orders' }] }));
    const file = join(folder, 'host.json');
    const config = parseHostConfig(
      { organization: ORGANIZATION, dashboards: '.', port: 0, frameAncestors: ['https://app.example.com'], dataSources: { warehouse: { type: 'postgres', url: postgres.url, transactionSettings: SETTINGS } } },
      file,
      {},
    );
    await assert.rejects(startHostServer(config, { secret: SECRET, log: () => undefined }), (error: unknown) => {
      assert.ok(error instanceof HostStartError);
      assert.equal(error.field, 'dataSources.warehouse.transactionSettings');
      assert.match(error.message, /^dataSources\.warehouse connects as app, a superuser/);
      return true;
    });
    assert.throws(
      () => parseHostConfig({ organization: ORGANIZATION, dashboards: '.', frameAncestors: [], dataSources: { warehouse: { type: 'postgres', url: postgres.url, transactionSettings: { 'chartio.acct_id': 'acct' } } } }, file, {}),
      /dataSources\.warehouse\.transactionSettings\.chartio\.acct_id must name a Hidden Variable in upper snake case/,
    );
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});
