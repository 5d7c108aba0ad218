/**
 * Per-chart CSV downloads (`GET /d/{id}/charts/{n}.csv`, `Authorization: Bearer {token}`) over
 * real HTTP with the demo dataset in a real DuckDB: the CSV holds exactly the rows of the chart's
 * query under the token's env (compared with SQL written here), no URL parameter widens it, the
 * token is verified like a page's and never read from the URL, a dashboard or a chart can turn
 * downloads off, a download query of its own is held to the `everywhere` rule, the rows are
 * bounded, cells that a spreadsheet would run are defused, and the run goes through the data
 * source's queue. Then in Chromium: the page's button, reached by the keyboard, saves that file.
 * Run: node --import tsx --test test/host/downloads.test.ts
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/browsers.mjs';
import { csvField, toCsv } from '../../src/host/page/csv.js';
import { fileName } from '../../src/host/serve/download-route.js';
import { assertEveryChartFiltered, createDashboardHost, parseDashboardDefinition, type DataSource } from '../../src/host/index.js';
import { EVERY_CHART, EVERY_CHART_FILE, EVERY_CHART_TITLES, everyChartDashboard } from './helpers/every-chart-dashboard.js';
import { dashboardPath, gatedDatabase, manualClock, openDemoDatabase, OTHER_SECRET, serveHost, signToken, type ServedHost, ORGANIZATION, SECRET } from './helpers/host-fixtures.js';

/** A dashboard with a download of its own, one turned off, and text a spreadsheet would run. */
const DOWNLOADS = 90002;
const DOWNLOADS_FILE = {
  id: DOWNLOADS,
  title: 'Downloads',
  variables: [{ name: 'ACCT_ID', kind: 'integer', everywhere: true }],
  charts: [
    {
      title: 'Completed orders',
      type: 'number',
      sql: "SELECT count(*) AS orders FROM orders WHERE account_id = $ACCT_ID AND status = 'completed'",
      // The number's detail: the orders themselves, at most three of them.
      download: { sql: "SELECT order_id, ordered_on, amount FROM orders WHERE account_id = $ACCT_ID AND status = 'completed' ORDER BY order_id", maxRows: 3 },
    },
    { title: 'Not for export', type: 'number', sql: 'SELECT count(*) FROM orders WHERE account_id = $ACCT_ID', download: false },
    {
      title: 'Formulas',
      type: 'table',
      sql: `SELECT '=1+2' AS "=sum", '+cmd' AS plus, '-2+3' AS minus, '@SUM(A1)' AS at, '-12.50' AS "negative text", -5 AS negative, 'a,"b"' AS quoted, ' padded' AS padded, NULL AS nothing FROM accounts WHERE account_id = $ACCT_ID`,
    },
  ],
};

let database: DataSource;
let served: ServedHost;
const clock = manualClock();

before(async () => {
  database = await openDemoDatabase();
  served = await serveHost({
    database,
    now: clock.now,
    dashboards: [everyChartDashboard(), parseDashboardDefinition(DOWNLOADS_FILE, 'downloads.json'), parseDashboardDefinition({ ...DOWNLOADS_FILE, id: 90003, downloads: false, charts: [DOWNLOADS_FILE.charts[1]] }, 'off.json')],
  });
});

after(async () => {
  await served?.close();
  await database?.close();
});

interface Download {
  status: number;
  headers: Headers;
  text: string;
}

async function download(dashboard: number, chart: number, token: string | undefined, query = '', init: RequestInit = {}): Promise<Download> {
  const response = await fetch(`${served.origin}/d/${dashboard}/charts/${chart}.csv${query}`, {
    ...init,
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

function assertRefused(answer: Download, status: number, code: string): void {
  assert.equal(answer.status, status, answer.text);
  assert.equal(answer.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.equal(answer.headers.get('cache-control'), 'no-store');
  const { error } = JSON.parse(answer.text);
  assert.equal(error.code, code);
  assert.equal(error.status, status);
  assert.ok(error.message.length > 10);
}

/** "Latest orders" of the every-chart dashboard for an account, from SQL written here. */
async function latestOrders(account: number): Promise<string> {
  const { columns, rows } = await database.query(
    `SELECT order_id AS "order", ordered_on AS day, product, amount, amount / 10 AS units FROM orders WHERE account_id = ${account} ORDER BY ordered_on DESC, order_id DESC`,
    {},
    { maxRows: 100_000 },
  );
  return toCsv({ columns, rows, truncated: false });
}

const TABLE = EVERY_CHART_FILE.charts.findIndex((chart) => chart.title === EVERY_CHART_TITLES.table);

describe('the CSV', () => {
  test('equals the chart\'s query under the token\'s env: every row, not the 5 the chart shows', async () => {
    const token = await signToken(clock, { dashboard: EVERY_CHART, env: { ACCT_ID: '7' } });
    const answer = await download(EVERY_CHART, TABLE, token);
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.headers.get('content-type'), 'text/csv; charset=utf-8; header=present');
    assert.equal(answer.headers.get('content-disposition'), `attachment; filename="Latest orders.csv"; filename*=UTF-8''Latest%20orders.csv`);
    assert.equal(answer.headers.get('cache-control'), 'no-store');
    assert.equal(answer.headers.get('chartio-truncated'), 'false');
    const expected = await latestOrders(7);
    assert.equal(answer.text, expected);
    const lines = answer.text.split('\r\n');
    assert.equal(lines[0], 'order,day,product,amount,units');
    assert.equal(Number(answer.headers.get('chartio-rows')), lines.length - 2);
    assert.ok(lines.length - 2 > 5, `${lines.length - 2} rows: the chart's whole query, not its maxRows`);
    // Another account's token gets another account's rows, never these.
    const other = await download(EVERY_CHART, TABLE, await signToken(clock, { dashboard: EVERY_CHART, env: { ACCT_ID: '8' } }));
    assert.equal(other.text, await latestOrders(8));
    assert.notEqual(other.text, answer.text);
  });

  test('cannot be widened by URL parameters: the query string is never read', async () => {
    const token = await signToken(clock, { dashboard: EVERY_CHART, env: { ACCT_ID: '7' } });
    const otherAccount = await signToken(clock, { dashboard: EVERY_CHART, env: { ACCT_ID: '8' } });
    const expected = await latestOrders(7);
    for (const query of [
      '?ACCT_ID=8',
      `?env=${encodeURIComponent('{"ACCT_ID":["7","8"]}')}`,
      `?embed_token=${otherAccount}`,
      '?maxRows=1000000&limit=0&sql=SELECT%20*%20FROM%20orders',
      '?ACCT_ID=7&ACCT_ID=8',
    ]) {
      const answer = await download(EVERY_CHART, TABLE, token, query);
      assert.equal(answer.status, 200, query);
      assert.equal(answer.text, expected, query);
    }
  });

  test('a download query of its own, bounded in rows: the number\'s detail, its first 3 orders', async () => {
    const token = await signToken(clock, { dashboard: DOWNLOADS, env: { ACCT_ID: '7' } });
    const answer = await download(DOWNLOADS, 0, token);
    assert.equal(answer.status, 200, answer.text);
    const { columns, rows } = await database.query("SELECT order_id, ordered_on, amount FROM orders WHERE account_id = 7 AND status = 'completed' ORDER BY order_id LIMIT 3", {});
    // The file says itself that it stops short: its last line.
    assert.equal(answer.text, `${toCsv({ columns, rows, truncated: false })}# Truncated: this file holds the first 3 rows. A download holds at most 3 rows (download.maxRows).\r\n`);
    assert.equal(answer.headers.get('chartio-rows'), '3');
    assert.equal(answer.headers.get('chartio-truncated'), 'true', 'the query had more rows than the download holds');
    assert.equal(answer.headers.get('content-disposition'), `attachment; filename="Completed orders.csv"; filename*=UTF-8''Completed%20orders.csv`);
  });

  test('defuses cells a spreadsheet would run, keeps numbers as numbers, quotes what must be quoted', async () => {
    const answer = await download(DOWNLOADS, 2, await signToken(clock, { dashboard: DOWNLOADS, env: { ACCT_ID: '7' } }));
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.text, `'=sum,plus,minus,at,negative text,negative,quoted,padded,nothing\r\n'=1+2,'+cmd,'-2+3,'@SUM(A1),-12.50,-5,"a,""b""",\" padded\",\r\n`);
    assert.equal(csvField('\tcmd'), `"'\tcmd"`);
    assert.equal(csvField('line\nbreak'), '"line\nbreak"');
    assert.equal(fileName('Revenue / month: "EU"'), 'Revenue _ month_ _EU_.csv');
    assert.equal(fileName('  '), 'chart.csv');
  });
});

describe('who may download', () => {
  test('the token comes from the Authorization header only, verified as for a page', async () => {
    const token = await signToken(clock, { dashboard: EVERY_CHART, env: { ACCT_ID: '7' } });
    assertRefused(await download(EVERY_CHART, TABLE, undefined), 401, 'token_missing');
    assertRefused(await download(EVERY_CHART, TABLE, undefined, `?embed_token=${token}`), 401, 'token_missing');
    assertRefused(await download(EVERY_CHART, TABLE, await signToken(clock, { dashboard: EVERY_CHART, env: { ACCT_ID: '7' }, secret: OTHER_SECRET })), 401, 'token_signature');
    assertRefused(await download(EVERY_CHART, TABLE, await signToken(clock, { dashboard: DOWNLOADS, env: { ACCT_ID: '7' } })), 403, 'token_dashboard');
    const shortLived = await signToken(clock, { dashboard: EVERY_CHART, env: { ACCT_ID: '7' }, ttl: 60 });
    assert.equal((await download(EVERY_CHART, TABLE, shortLived)).status, 200);
    clock.advance(60_000);
    assertRefused(await download(EVERY_CHART, TABLE, shortLived), 401, 'token_expired');
    assertRefused(await download(EVERY_CHART, TABLE, token, '', { method: 'POST' }), 405, 'method_not_allowed');
  });

  test('a chart that does not exist, a download turned off, a chart the token cannot run', async () => {
    const token = await signToken(clock, { dashboard: DOWNLOADS, env: { ACCT_ID: '7' } });
    assertRefused(await download(DOWNLOADS, 3, token), 404, 'not_found');
    assertRefused(await download(DOWNLOADS, 1, token), 403, 'download_disabled');
    assertRefused(await download(90003, 0, await signToken(clock, { dashboard: 90003, env: { ACCT_ID: '7' } })), 403, 'download_disabled');
    // "Orders of one user" needs USER_ID, which this token does not set.
    const unavailable = EVERY_CHART_FILE.charts.findIndex((chart) => chart.title === EVERY_CHART_TITLES.unavailable);
    const answer = await download(EVERY_CHART, unavailable, await signToken(clock, { dashboard: EVERY_CHART, env: { ACCT_ID: '7' } }));
    assertRefused(answer, 403, 'chart_unavailable');
    assert.match(JSON.parse(answer.text).error.message, /USER_ID/);
    // Only a chart's own figure shows a button: none where downloads are off.
    const page = (await served.get(dashboardPath(DOWNLOADS, token))).text;
    assert.equal(page.match(/class="download"/g)?.length, 2);
    assert.doesNotMatch((await served.get(dashboardPath(90003, await signToken(clock, { dashboard: 90003, env: { ACCT_ID: '7' } })))).text, /class="download"/);
  });

  test('a download query that forgets the everywhere variable is refused at load, in a file or in code', () => {
    const leaky = structuredClone(DOWNLOADS_FILE);
    leaky.charts[0]!.download = { sql: 'SELECT order_id FROM orders', maxRows: 3 };
    assert.throws(
      () => parseDashboardDefinition(leaky, 'dashboards/leaky.json'),
      (error: Error) =>
        error.message ===
        'dashboards/leaky.json: charts[0].download.sql (chart "Completed orders") does not use $ACCT_ID, which variables[0] marks "everywhere": every chart must filter its rows by ACCT_ID (add it to this chart\'s WHERE clause), so that no viewer sees rows of another ACCT_ID',
    );
    const parsed = parseDashboardDefinition(DOWNLOADS_FILE, 'downloads.json');
    const changed = { ...parsed, charts: parsed.charts.map((chart, index) => (index === 0 ? { ...chart, download: { sql: 'SELECT 1', maxRows: 1, variables: [] } } : chart)) };
    assert.throws(() => assertEveryChartFiltered(changed), /charts\[0\]\.download\.sql \(chart "Completed orders"\) does not use \$ACCT_ID/);
    // And the host checks definitions made in code when it starts.
    assert.throws(
      () => createDashboardHost({ organization: ORGANIZATION, secret: SECRET, dashboards: [changed], database, frameAncestors: [] }),
      /charts\[0\]\.download\.sql/,
    );
    for (const [download, message] of [
      [{ maxRows: 0 }, /charts\[0\]\.download\.maxRows \(chart "Completed orders"\) must be an integer from 1 to 100000, got 0/],
      [{ sql: 'SELECT 1', rows: 3 }, /charts\[0\]\.download\.rows \(chart "Completed orders"\) is not a known field \(known: sql, maxRows\)/],
      [{ sql: 'SELECT $USER_ID, $ACCT_ID' }, /charts\[0\]\.download\.sql \(chart "Completed orders"\) uses \$USER_ID, which no declared Hidden Variable binds/],
      ['yes', /charts\[0\]\.download \(chart "Completed orders"\) must be true, false or an object like \{ "sql": "…", "maxRows": 1000 \}, got "yes"/],
    ] as const) {
      const file = structuredClone(DOWNLOADS_FILE) as { charts: { download?: unknown }[] };
      file.charts[0]!.download = download;
      assert.throws(() => parseDashboardDefinition(file, 'x.json'), message);
    }
    assert.throws(
      () => parseDashboardDefinition({ ...DOWNLOADS_FILE, downloads: false }, 'x.json'),
      /charts\[0\]\.download \(chart "Completed orders"\) is set, but the dashboard turns downloads off/,
    );
    assert.throws(() => parseDashboardDefinition({ ...DOWNLOADS_FILE, downloads: 'no' }, 'x.json'), /x\.json: downloads must be true or false, got "no"/);
  });

  test('a download runs through its data source\'s queue: a full queue answers 503 with Retry-After', async () => {
    const gate = gatedDatabase(database);
    const busy = await serveHost({ database: gate.database, now: clock.now, dashboards: [everyChartDashboard()], queue: { concurrency: 1, maxQueued: 0, retryAfterSeconds: 4 } });
    try {
      const token = await signToken(clock, { dashboard: EVERY_CHART, env: { ACCT_ID: '7' } });
      const url = `${busy.origin}/d/${EVERY_CHART}/charts/${TABLE}.csv`;
      const first = fetch(url, { headers: { authorization: `Bearer ${token}` } });
      await gate.held();
      const second = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(second.status, 503);
      assert.equal(second.headers.get('retry-after'), '4');
      assert.equal((await second.json()).error.code, 'queue_full');
      gate.release();
      const done = await first;
      assert.equal(done.status, 200);
      assert.equal(await done.text(), await latestOrders(7));
      assert.equal(busy.host.stats().queueFull, 1);
    } finally {
      await busy.close();
    }
  });
});

test('in Chromium, the chart\'s button, reached by the keyboard, saves that CSV; the token is in no URL it asks for', async () => {
  const browser = await chromium.launch({ executablePath: findChromium() ?? 'chromium (set CHROME_PATH)', args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ acceptDownloads: true });
    // (The host's clock is the test's: the token is signed by it.)
    const token = await signToken(clock, { dashboard: EVERY_CHART, env: { ACCT_ID: '7' } });
    const asked: string[] = [];
    page.on('request', (request) => asked.push(request.url()));
    await page.goto(served.origin + dashboardPath(EVERY_CHART, token));
    const button = page.getByRole('figure', { name: EVERY_CHART_TITLES.table, exact: true }).getByRole('button', { name: 'Download CSV' });
    // Tab from the table's row (its chart's tab stop) to its button, and press Enter.
    await page.getByRole('figure', { name: EVERY_CHART_TITLES.table, exact: true }).locator('tbody tr').first().focus();
    await page.keyboard.press('Tab');
    assert.equal(await button.evaluate((element) => element === document.activeElement), true);
    const saved = page.waitForEvent('download');
    await page.keyboard.press('Enter');
    const file = await saved;
    assert.equal(file.suggestedFilename(), 'Latest orders.csv');
    assert.equal(await readFile((await file.path())!, 'utf8'), await latestOrders(7));
    const downloadUrl = asked.find((url) => url.endsWith('.csv'));
    assert.equal(downloadUrl, `${served.origin}/d/${EVERY_CHART}/charts/${TABLE}.csv`);
    assert.deepEqual(asked.filter((url) => url.includes(token)), [served.origin + dashboardPath(EVERY_CHART, token)], 'only the page URL names the token');
    await page.close();
  } finally {
    await browser.close();
  }
});
