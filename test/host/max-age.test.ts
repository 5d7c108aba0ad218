/**
 * Max age and refresh on one host, over a real DuckDB the test writes to and real HTTP: a page
 * older than its max age is served at once and its queries run again in the background (rows
 * inserted after the first view appear within max age + one run); `maxAge: "exp"` keeps a page
 * until its token expires; `?refresh` on the data route runs again at most once per token per
 * 10 s. Time is the host's injected clock, moved by the test.
 * @module
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createDuckDbDataSource, createDashboardHost, parseDashboardDefinition, type DataSource, type MaxAge } from '../../src/host/index.js';
import { HostOptionsError } from '../../src/host/host-options.js';
import { manualClock, ORGANIZATION, SECRET, serveHost, signToken, FRAME_ANCESTOR, type ServedHost } from './helpers/host-fixtures.js';

const INVOICES = 501;

/** A dashboard counting one account's invoices, with the max age given. */
function invoicesDashboard(maxAge?: MaxAge) {
  return parseDashboardDefinition(
    {
      id: INVOICES,
      title: 'Invoices',
      ...(maxAge === undefined ? {} : { maxAge }),
      variables: [{ name: 'ACCT_ID', kind: 'integer', required: true, everywhere: true }],
      charts: [{ title: 'Invoices', type: 'number', sql: 'SELECT count(*) AS invoices FROM invoices WHERE account_id = $ACCT_ID' }],
    },
    'invoices.json',
  );
}

/** The number the page (or the data route's `main`) shows. */
function invoiceCount(html: string): number {
  const match = /data-column="invoices" data-value="(\d+)"/.exec(html);
  assert.ok(match, 'the page shows the invoice count');
  return Number(match[1]);
}

/** The page's data time block. */
function dataTimeOf(html: string): string {
  return JSON.parse(/<script type="application\/json" id="chartio-data-time">([^<]*)<\/script>/.exec(html)![1]!) as string;
}

/**
 * Waits until the host has made `runs` query runs: a background run ends when DuckDB is done, not
 * at a time the test controls, so this polls the counters (bounded by the test's timeout).
 */
async function untilRuns(served: ServedHost, runs: number): Promise<void> {
  const busy = () => {
    const stats = served.host.stats();
    return stats.queryRuns < runs || stats.runsRunning > 0 || stats.runsQueued > 0;
  };
  while (busy()) await new Promise((resolve) => setImmediate(resolve));
  // The page is kept a turn after the run's place in the queue is given up.
  await new Promise((resolve) => setImmediate(resolve));
}

let database: DataSource;
let account = 0;
before(async () => {
  database = await createDuckDbDataSource({ setup: ['CREATE TABLE invoices (account_id INTEGER, amount DOUBLE)'] });
});
after(() => database.close());

/** A fresh account per test, with `count` invoices. */
async function newAccount(count: number): Promise<number> {
  account++;
  await insert(account, count);
  return account;
}

async function insert(accountId: number, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await database.query(`INSERT INTO invoices VALUES (${accountId}, 10)`, {});
}

describe('max age', () => {
  test('rows inserted after a view appear within max age + one run, the stale page served at once meanwhile', async () => {
    const clock = manualClock();
    const served = await serveHost({ database, dashboards: [invoicesDashboard(60)], now: clock.now });
    try {
      const acct = await newAccount(2);
      const token = await signToken(clock, { dashboard: INVOICES, env: { ACCT_ID: acct }, ttl: 3600 });
      const path = `/d/${INVOICES}/?embed_token=${token}`;
      const first = await served.get(path);
      assert.equal(invoiceCount(first.text), 2);
      assert.equal(dataTimeOf(first.text), new Date(clock.now()).toISOString());
      await insert(acct, 3);

      clock.advance(59_000);
      assert.equal(invoiceCount((await served.get(path)).text), 2, 'within its max age the cached page is served');
      assert.equal(served.host.stats().queryRuns, 1, 'and nothing runs');

      clock.advance(2_000);
      const stale = await served.get(path);
      assert.equal(invoiceCount(stale.text), 2, 'past its max age the cached page is still served at once');
      await untilRuns(served, 2);
      const data = await fetch(`${served.origin}/d/${INVOICES}/data`, { headers: { authorization: `Bearer ${token}` } });
      const answer = (await data.json()) as { main: string; dataTime: string; stale: boolean };
      assert.equal(invoiceCount(answer.main), 5, 'the background run read the new rows');
      assert.deepEqual([answer.dataTime, answer.stale], [new Date(clock.now()).toISOString(), false]);
      const fresh = await served.get(path);
      assert.equal(invoiceCount(fresh.text), 5);
      assert.equal(served.host.stats().queryRuns, 2, 'one background run, however many views');
    } finally {
      await served.close();
    }
  });

  test('a stale page is re-run once however many views arrive before its run ends', async () => {
    const clock = manualClock();
    const served = await serveHost({ database, dashboards: [invoicesDashboard()], maxAge: 30, now: clock.now });
    try {
      const acct = await newAccount(1);
      const token = await signToken(clock, { dashboard: INVOICES, env: { ACCT_ID: acct }, ttl: 3600 });
      const path = `/d/${INVOICES}/?embed_token=${token}`;
      await served.get(path);
      clock.advance(31_000);
      const views = await Promise.all(Array.from({ length: 10 }, () => served.get(path)));
      assert.ok(views.every((view) => view.status === 200));
      await untilRuns(served, 2);
      await Promise.all(Array.from({ length: 10 }, () => served.get(path)));
      assert.equal(served.host.stats().queryRuns, 2);
    } finally {
      await served.close();
    }
  });

  test('maxAge "exp" keeps the original behaviour: one run, cached until the token expires', async () => {
    const clock = manualClock();
    const served = await serveHost({ database, dashboards: [invoicesDashboard('exp')], maxAge: 10, now: clock.now });
    try {
      const acct = await newAccount(1);
      const token = await signToken(clock, { dashboard: INVOICES, env: { ACCT_ID: acct }, ttl: 7200 });
      const path = `/d/${INVOICES}/?embed_token=${token}`;
      const first = await served.get(path);
      assert.doesNotMatch(first.text, /"maxAge"/, 'the page has no max age to check');
      await insert(acct, 1);
      clock.advance(7_100_000);
      const late = await served.get(path);
      assert.equal(invoiceCount(late.text), 1);
      const data = (await (await fetch(`${served.origin}/d/${INVOICES}/data`, { headers: { authorization: `Bearer ${token}` } })).json()) as { stale: boolean };
      assert.equal(data.stale, false);
      assert.equal(served.host.stats().queryRuns, 1);
    } finally {
      await served.close();
    }
  });

  test('refresh runs the token again at most once per 10 s; an ask within that gets the newest page', async () => {
    const clock = manualClock();
    const served = await serveHost({ database, dashboards: [invoicesDashboard()], maxAge: 'exp', now: clock.now });
    try {
      const acct = await newAccount(1);
      const token = await signToken(clock, { dashboard: INVOICES, env: { ACCT_ID: acct }, ttl: 3600 });
      const refresh = async () => {
        const response = await fetch(`${served.origin}/d/${INVOICES}/data?refresh`, { headers: { authorization: `Bearer ${token}` } });
        assert.equal(response.status, 200);
        return invoiceCount(((await response.json()) as { main: string }).main);
      };
      await served.get(`/d/${INVOICES}/?embed_token=${token}`);
      await insert(acct, 1);
      clock.advance(1_000);
      assert.equal(await refresh(), 2, 'a refresh shows a row inserted a second before');
      assert.equal(served.host.stats().queryRuns, 2);
      await insert(acct, 1);
      clock.advance(5_000);
      assert.equal(await refresh(), 2, 'within 10 s: the newest page there is, no run');
      assert.equal(served.host.stats().queryRuns, 2);
      clock.advance(5_000);
      assert.equal(await refresh(), 3, '10 s later: a run again');
      assert.equal(served.host.stats().queryRuns, 3);
    } finally {
      await served.close();
    }
  });

  test('a bad maxAge is refused by name, in the host options and in a dashboard file', () => {
    const options = { organization: ORGANIZATION, secret: SECRET, dashboards: [invoicesDashboard()], database, frameAncestors: [FRAME_ANCESTOR] };
    for (const maxAge of [0, -5, 1.5, 'never']) {
      assert.throws(() => createDashboardHost({ ...options, maxAge: maxAge as MaxAge }), (error: Error) => error instanceof HostOptionsError && /^maxAge must be a whole number of seconds ≥ 1 .* or "exp"/.test(error.message));
      assert.throws(() => invoicesDashboard(maxAge as MaxAge), /invoices\.json.*maxAge.*must be a whole number of seconds/);
    }
  });
});
