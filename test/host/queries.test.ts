/**
 * What a dashboard's queries do with a token's env, on the demo dataset in a real DuckDB served
 * over real HTTP: Hidden Variables bound (never spliced), a missing required variable or a broken
 * query shown on its own chart only, without SQL or database internals, and everything escaped.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createDuckDbDataSource, loadDashboardFiles, parseDashboardDefinition, type DataSource } from '../../src/host/index.js';
import { QUERY_FAILED_MESSAGE, QUERY_TIMEOUT_MESSAGE } from '../../src/host/sources/run-dashboard.js';
import {
  chartHtml,
  DEMO_DASHBOARDS,
  dashboardPath,
  formatted,
  manualClock,
  openDemoDatabase,
  OVERVIEW,
  PRODUCT_MIX,
  serveHost,
  signToken,
  type ServedHost,
} from './helpers/host-fixtures.js';

const PROBE = 50_001;

/** A small dashboard for one test, with the demo's tables. */
const probe = parseDashboardDefinition(
  {
    id: PROBE,
    title: 'Probe <b>"&"</b>',
    variables: [
      { name: 'ACCT_ID', kind: 'text', required: true },
      { name: 'NOTE', kind: 'text' },
    ],
    charts: [
      { title: 'Orders', type: 'number', sql: 'SELECT count(*) FROM orders WHERE account_id = TRY_CAST($ACCT_ID AS INTEGER)' },
      { title: 'Broken', type: 'number', sql: 'SELECT no_such_column FROM orders WHERE account_id = TRY_CAST($ACCT_ID AS INTEGER)' },
      { title: 'Echo <i>note</i>', type: 'table', sql: "SELECT $NOTE AS note, '<img src=x onerror=alert(1)>' AS html" },
    ],
  },
  'probe.json',
);

let database: DataSource;
let served: ServedHost;
const clock = manualClock();
before(async () => {
  database = await openDemoDatabase();
  served = await serveHost({ database, now: clock.now, dashboards: [...(await loadDashboardFiles(DEMO_DASHBOARDS)), probe], cache: { failedPageTtlSeconds: 60 } });
});
after(async () => {
  await served.close();
  await database.close();
});

async function scalar(sql: string): Promise<number> {
  return (await database.query(sql, {})).rows[0]![0] as number;
}

async function page(dashboard: number, env: Record<string, unknown>): Promise<string> {
  const token = await signToken(clock, { dashboard, env });
  const answer = await served.get(dashboardPath(dashboard, token));
  assert.equal(answer.status, 200);
  return answer.text;
}

describe('Hidden Variables', () => {
  test('a missing required variable shows on the charts that need it; the rest still render', async () => {
    const text = await page(PRODUCT_MIX, { ACCT_ID: '2' });
    for (const title of ['Revenue by product (USD)', 'Orders per week', 'Top customers']) {
      const chart = chartHtml(text, title);
      assert.match(chart, /data-status="unavailable"/, title);
      assert.match(chart, /This chart needs the Hidden Variable DATE_RANGE, which the embed token does not set\./);
    }
    assert.match(chartHtml(text, 'Products shown'), /data-status="ok"[\s\S]*All products/);
  });

  test('a date_range binds as two dates and a list as a list', async () => {
    const range: [string, string] = ['2014-02-11', '2015-02-11'];
    const text = await page(PRODUCT_MIX, { ACCT_ID: '2', DATE_RANGE: range, PRODUCTS: ['Team', 'Starter'] });
    const revenue = await scalar(`SELECT sum(amount) FROM orders WHERE account_id = 2 AND status = 'completed' AND product = 'Team' AND ordered_on BETWEEN DATE '${range[0]}' AND DATE '${range[1]}'`);
    // The drawn bar chart's data table: a row per label, the revenue's raw value in data-value.
    const table = chartHtml(text, 'Revenue by product (USD)');
    const rows = [...table.slice(table.indexOf('<tbody>'), table.indexOf('</tbody>')).matchAll(/<tr[^>]*>(.*?)<\/tr>/g)].map((row) =>
      [...row[1]!.matchAll(/<t[hd]([^>]*)>(.*?)<\/t[hd]>/g)].map((cell) => / data-value="([^"]*)"/.exec(cell[1]!)?.[1] ?? cell[2]),
    );
    assert.deepEqual(rows.map((row) => row[0]), ['Starter', 'Team']);
    assert.equal(Number(rows[1]![1]), revenue);
    assert.match(chartHtml(text, 'Products shown'), />Starter, Team</);
  });

  test('a malformed date_range or a list for a text variable shows its own message', async () => {
    const badRange = await page(PRODUCT_MIX, { ACCT_ID: '2', DATE_RANGE: ['2015-02-30', '2015-03-01'] });
    assert.match(chartHtml(badRange, 'Orders per week'), /DATE_RANGE must be two dates/);
    const reversed = await page(PRODUCT_MIX, { ACCT_ID: '2', DATE_RANGE: ['2015-03-01', '2015-02-01'] });
    assert.match(chartHtml(reversed, 'Orders per week'), /DATE_RANGE starts after it ends/);
    const listed = await page(PROBE, { ACCT_ID: ['1', '2'] });
    assert.match(chartHtml(listed, 'Orders'), /ACCT_ID must be a single value, not a list/);
  });

  test('an integer variable that is not a whole number runs no query: required, every chart is unavailable; optional, those that use it', async () => {
    const queriesBefore = served.host.stats().queries;
    const wholeNumber = (name: string) => `The Hidden Variable ${name} must be a whole number from -9223372036854775808 to 9223372036854775807, like &quot;42&quot;.`;
    for (const bad of ['12a', '1.5', '', '9223372036854775808', ['1', '2']]) {
      const text = await page(OVERVIEW, { ACCT_ID: bad });
      const figures = text.match(/<figure [^>]*data-status="[a-z]+"/g) ?? [];
      assert.equal(figures.length, 6);
      assert.ok(figures.every((figure) => figure.includes('data-status="unavailable"')), JSON.stringify(bad));
      assert.ok(chartHtml(text, 'Latest orders').includes(wholeNumber('ACCT_ID')), JSON.stringify(bad));
    }
    assert.equal(served.host.stats().queries, queriesBefore, 'the tenant filter failed closed: not one query ran');

    // USER_ID comes from the browser: a non-number shows the message on each chart that uses it.
    const range = ['2014-01-01', '2015-12-31'];
    const text = await page(PRODUCT_MIX, { ACCT_ID: '2', DATE_RANGE: range, USER_ID: 'me' });
    for (const title of ['Revenue by product (USD)', 'Orders per week', 'Top customers']) {
      assert.match(chartHtml(text, title), /data-status="unavailable"/, title);
      assert.ok(chartHtml(text, title).includes(wholeNumber('USER_ID')), title);
    }
    assert.match(chartHtml(text, 'Products shown'), /data-status="ok"[\s\S]*All products/, 'a chart without USER_ID still runs');
    assert.equal(served.host.stats().queries, queriesBefore + 1);
    // In range for a 64-bit integer but not for the column: no row, no error.
    const huge = await page(PRODUCT_MIX, { ACCT_ID: '2', DATE_RANGE: range, USER_ID: '9223372036854775807' });
    assert.match(chartHtml(huge, 'Orders per week'), /data-status="empty"/);
  });

  test('SQL injection attempts in env values are inert: they are bound, never spliced', async () => {
    const orders = await scalar('SELECT count(*) FROM orders');
    for (const attempt of ['1 OR 1=1', "1'; DROP TABLE orders; --", '1); DELETE FROM orders; --', '$ACCT_ID']) {
      // A text variable holds the attempt as a string that matches no account.
      const text = await page(PROBE, { ACCT_ID: attempt });
      assert.match(chartHtml(text, 'Orders'), /<p class="value"[^>]*>0<\/p>/, attempt);
      // An integer variable refuses it before any query.
      assert.match(chartHtml(await page(OVERVIEW, { ACCT_ID: attempt }), 'Completed orders'), /data-status="unavailable"/, attempt);
    }
    const products = await page(PRODUCT_MIX, { ACCT_ID: '2', DATE_RANGE: ['2014-01-01', '2015-12-31'], PRODUCTS: ["Team') OR ('1'='1", 'x\' OR 1=1 --'] });
    assert.match(chartHtml(products, 'Revenue by product (USD)'), /No data for these filters\./);
    assert.equal(await scalar('SELECT count(*) FROM orders'), orders, 'the table is intact');
  });
});

describe('errors and escaping', () => {
  test('a broken query shows on its chart without SQL or database internals; the detail is logged', async () => {
    const text = await page(PROBE, { ACCT_ID: '1' });
    const broken = chartHtml(text, 'Broken');
    assert.match(broken, /data-status="failed"/);
    assert.ok(broken.includes(QUERY_FAILED_MESSAGE));
    for (const leak of ['no_such_column', 'SELECT', 'Binder', 'orders', 'LINE 1']) assert.ok(!text.includes(leak), leak);
    assert.match(chartHtml(text, 'Orders'), new RegExp(`>${formatted(await scalar('SELECT count(*) FROM orders WHERE account_id = 1'))}<`));
    const logged = served.logs.find((entry) => entry.event === 'query_failed');
    assert.equal(logged?.dashboard, PROBE);
    assert.match(logged?.detail ?? '', /no_such_column/);
  });

  test('a page with a failed query is cached only briefly (failedPageTtlSeconds)', async () => {
    const token = await signToken(clock, { dashboard: PROBE, env: { ACCT_ID: '3' } });
    await served.get(dashboardPath(PROBE, token));
    const runs = served.host.stats().queryRuns;
    await served.get(dashboardPath(PROBE, token));
    assert.equal(served.host.stats().queryRuns, runs, 'a hit within the minute');
    clock.advance(60_000);
    await served.get(dashboardPath(PROBE, token));
    assert.equal(served.host.stats().queryRuns, runs + 1, 'run again after it');
  });

  test('titles, env values and database values are escaped', async () => {
    const text = await page(PROBE, { ACCT_ID: '1', NOTE: '</script><script>alert(1)</script>' });
    assert.ok(text.includes('<title>Probe &lt;b&gt;&quot;&amp;&quot;&lt;/b&gt;</title>'));
    assert.ok(text.includes('<h2>Echo &lt;i&gt;note&lt;/i&gt;</h2>'));
    assert.ok(text.includes('<td>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</td>'));
    assert.ok(text.includes('<td>&lt;img src=x onerror=alert(1)&gt;</td>'));
    assert.ok(!text.includes('<script>alert'));
  });

  test('a query running past queryTimeoutMs shows a timeout on its chart and is interrupted', async () => {
    const slow = parseDashboardDefinition(
      {
        id: 50_002,
        title: 'Slow',
        charts: [
          // Minutes of work if never interrupted, milliseconds if it is.
          { title: 'Endless', type: 'number', sql: 'SELECT sum(hash(i)) FROM range(10000000000) t(i)' },
        ],
      },
      'slow.json',
    );
    // A source of its own with a single connection, so "the connection serves again" can only
    // mean the long query stopped. (With a pool of two, another connection answered while the
    // query ran on; closing its connection under it then left it uninterruptible, keeping the
    // test process alive for minutes: the file once ran past its time limit that way.)
    const own = await createDuckDbDataSource({ connections: 1 });
    const host = await serveHost({ database: own, now: clock.now, dashboards: [slow], queryTimeoutMs: 200 });
    try {
      const token = await signToken(clock, { dashboard: 50_002, env: {} });
      const { text } = await host.get(dashboardPath(50_002, token));
      assert.ok(chartHtml(text, 'Endless').includes(QUERY_TIMEOUT_MESSAGE));
      assert.equal(host.logs.find((entry) => entry.event === 'query_timeout')?.dashboard, 50_002);
      // The only connection answers again: the long query was interrupted, not left running.
      const freed = performance.now();
      assert.deepEqual((await own.query('SELECT 7', {})).rows, [[7]]);
      assert.ok(performance.now() - freed < 10_000);
    } finally {
      await host.close();
      await own.close();
    }
  });
});
