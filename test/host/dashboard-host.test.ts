/**
 * The dashboard host over real HTTP (toNodeHandler on 127.0.0.1) with the demo dataset in a real
 * DuckDB: Loading then the dashboard for a new token, the cache for a token seen before, one
 * shared run for concurrent first requests, env only from the token, headers and routes.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { HIDE_LOADING_HTML, LOADING_HTML } from '../../src/host/page/render-page.js';
import { loadDashboardFiles, type DataSource } from '../../src/host/index.js';
import {
  chartHtml,
  dashboardPath,
  DEMO_DASHBOARDS,
  formatted,
  FRAME_ANCESTOR,
  gatedDatabase,
  manualClock,
  openDemoDatabase,
  OVERVIEW,
  PRODUCT_MIX,
  serveHost,
  signToken,
  type ServedHost,
} from './helpers/host-fixtures.js';

let database: DataSource;
before(async () => {
  database = await openDemoDatabase();
});
after(async () => {
  await database.close();
});

/** Completed orders of one account, straight from the database with a literal id. */
async function completedOrders(account: number, range?: [string, string]): Promise<number> {
  const where = range ? ` AND ordered_on BETWEEN DATE '${range[0]}' AND DATE '${range[1]}'` : '';
  const result = await database.query(`SELECT count(*) FROM orders WHERE account_id = ${account} AND status = 'completed'${where}`, {});
  return result.rows[0]![0] as number;
}

/** Reads a streamed response chunk by chunk. */
function chunks(response: Response) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  return {
    async next(): Promise<string | undefined> {
      const { done, value } = await reader.read();
      return done ? undefined : decoder.decode(value, { stream: true });
    },
    async rest(): Promise<string> {
      let text = '';
      for (let chunk = await this.next(); chunk !== undefined; chunk = await this.next()) text += chunk;
      return text;
    },
  };
}

describe('a new token, then the same token again', () => {
  let served: ServedHost;
  let gate: ReturnType<typeof gatedDatabase>;
  const clock = manualClock();
  let streamed = '';
  let token = '';

  before(async () => {
    gate = gatedDatabase(database);
    served = await serveHost({ database: gate.database, now: clock.now });
    token = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '7' } });
  });
  after(() => served.close());

  test('the first response shows Loading at once, while the queries are still held', async () => {
    const response = await fetch(served.origin + dashboardPath(OVERVIEW, token));
    assert.equal(response.status, 200);
    const body = chunks(response);
    const first = (await body.next())!;
    assert.ok(first.includes(LOADING_HTML), 'the first chunk carries the Loading line');
    assert.ok(!first.includes('<main>'), 'no dashboard yet');
    assert.ok(gate.waiting() > 0, 'the queries have not run: the gate still holds them');
    assert.equal(served.host.stats().queryRuns, 1);
    assert.equal(served.host.stats().misses, 1);

    gate.release();
    const rest = await body.rest();
    assert.ok(rest.startsWith(HIDE_LOADING_HTML), 'the rest begins by hiding Loading');
    streamed = first + rest;
    assert.match(chartHtml(streamed, 'Completed orders'), new RegExp(`<p class="value"[^>]*>${formatted(await completedOrders(7))}</p>`));
    assert.ok(streamed.endsWith('</body></html>'));
    const stats = served.host.stats();
    assert.equal(stats.queries, 6, 'one query per chart');
    assert.equal(stats.entries, 1);
  });

  test('the same token again is served from the cache: no Loading, no query run', async () => {
    const before = served.host.stats();
    const { status, text } = await served.get(dashboardPath(OVERVIEW, token));
    assert.equal(status, 200);
    assert.ok(!text.includes('id="chartio-loading"') && !text.includes('Loading…'), 'no Loading element at all');
    assert.equal(text, streamed.replace(LOADING_HTML, '').replace(HIDE_LOADING_HTML, ''), 'the same dashboard, without the Loading parts');
    const stats = served.host.stats();
    assert.equal(stats.hits, before.hits + 1);
    assert.equal(stats.queryRuns, before.queryRuns);
    assert.equal(stats.queries, before.queries);
  });

  test('a different env is a miss, with that account’s own numbers', async () => {
    const other = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '8', DATE_RANGE: ['2014-02-11', '2015-02-11'] } });
    const { text } = await served.get(dashboardPath(OVERVIEW, other));
    assert.equal(served.host.stats().queryRuns, 2);
    const expected = await completedOrders(8, ['2014-02-11', '2015-02-11']);
    assert.notEqual(expected, await completedOrders(7));
    assert.match(chartHtml(text, 'Completed orders'), new RegExp(`>${formatted(expected)}<`));
  });

  test('query parameters in the URL never change env', async () => {
    const fresh = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '9' } });
    const forged = '&ACCT_ID=8&env=%7B%22ACCT_ID%22%3A%228%22%7D&DATE_RANGE=2015-01-01&DATE_RANGE=2015-01-02';
    const { text } = await served.get(dashboardPath(OVERVIEW, fresh, forged));
    assert.match(chartHtml(text, 'Completed orders'), new RegExp(`>${formatted(await completedOrders(9))}<`));

    const withoutAccount = await signToken(clock, { dashboard: OVERVIEW, env: {} });
    const missing = await served.get(dashboardPath(OVERVIEW, withoutAccount, '&ACCT_ID=1'));
    assert.match(chartHtml(missing.text, 'Completed orders'), /needs the Hidden Variable ACCT_ID/);
  });
});

test('concurrent first requests for one token share one query run', async () => {
  const gate = gatedDatabase(database);
  const clock = manualClock();
  const served = await serveHost({ database: gate.database, now: clock.now });
  try {
    const token = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '11' } });
    const url = served.origin + dashboardPath(OVERVIEW, token);
    const [first, second] = await Promise.all([fetch(url), fetch(url)]);
    const [a, b] = [chunks(first), chunks(second)];
    assert.ok((await a.next())!.includes(LOADING_HTML));
    assert.ok((await b.next())!.includes(LOADING_HTML));
    assert.deepEqual(
      { queryRuns: served.host.stats().queryRuns, joinedRuns: served.host.stats().joinedRuns, misses: served.host.stats().misses },
      { queryRuns: 1, joinedRuns: 1, misses: 2 },
    );
    gate.release();
    const [restA, restB] = await Promise.all([a.rest(), b.rest()]);
    assert.equal(restA, restB);
    assert.equal(served.host.stats().queries, 6);
  } finally {
    await served.close();
  }
});

describe('headers and routes', () => {
  let served: ServedHost;
  const clock = manualClock();
  before(async () => {
    served = await serveHost({ database, now: clock.now, statsRoute: true });
  });
  after(() => served.close());

  function assertPageHeaders(headers: Headers): void {
    const csp = headers.get('content-security-policy') ?? '';
    assert.match(csp, new RegExp(`frame-ancestors ${FRAME_ANCESTOR.replace(/\./g, '\\.')}(;|$)`));
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
    assert.ok(!csp.includes('unsafe-inline') && !csp.includes('*'), csp);
    assert.equal(headers.get('referrer-policy'), 'no-referrer');
    assert.equal(headers.get('cache-control'), 'private, no-store');
    assert.equal(headers.get('x-content-type-options'), 'nosniff');
    assert.equal(headers.get('content-type'), 'text/html; charset=utf-8');
  }

  test('streamed, cached and error pages carry the security headers', async () => {
    const token = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '3' } });
    assertPageHeaders((await served.get(dashboardPath(OVERVIEW, token))).headers);
    assertPageHeaders((await served.get(dashboardPath(OVERVIEW, token))).headers);
    assertPageHeaders((await served.get(dashboardPath(OVERVIEW, 'not-a-token'))).headers);
    assertPageHeaders((await served.get('/nowhere')).headers);
  });

  test('every inline script and style of a page is allowed by its CSP hash, and nothing else is inline', async () => {
    const token = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '4' } });
    const { text, headers } = await served.get(dashboardPath(OVERVIEW, token));
    const csp = headers.get('content-security-policy')!;
    const hash = (body: string) => `'sha256-${createHash('sha256').update(body).digest('base64')}'`;
    const scripts = [...text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    const executable = scripts.filter(([, attributes]) => !attributes!.includes('application/json') && !attributes!.includes('src='));
    // The head script (the look the frame's URL asks for, before the first paint) and the page script.
    assert.equal(executable.length, 2);
    for (const [, , body] of executable) assert.ok(csp.includes(hash(body!)), 'each script is allowed by hash');
    const styles = [...text.matchAll(/<style>([\s\S]*?)<\/style>/g)];
    assert.ok(styles.length >= 2);
    for (const [, body] of styles) assert.ok(csp.includes(hash(body!)), 'each style is allowed by hash');
    assert.ok(!/\son[a-z]+=/i.test(text), 'no inline event handler');
    assert.ok(!/\sstyle="/i.test(text), 'no style attribute');
  });

  test('the page posts its height only to the configured parent origins, never "*"', async () => {
    const token = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '5' } });
    const { text } = await served.get(dashboardPath(OVERVIEW, token));
    const config = /<script type="application\/json" id="chartio-config">(.*?)<\/script>/.exec(text);
    assert.deepEqual(JSON.parse(config![1]!), { parentOrigins: [FRAME_ANCESTOR], maxAge: 900 });
    // The page's script (minified from src/page) names the message and never posts to any origin.
    assert.match(text, /"chartio:height"/);
    assert.ok(!/postMessage\([^)]*["'`]\*["'`]/.test(text));
  });

  test('the charts are drawn on the host as SVG: the page loads no chart library, and /assets/chart.js is gone', async () => {
    const token = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '5' } });
    const { text } = await served.get(dashboardPath(OVERVIEW, token));
    assert.doesNotMatch(text, /<script src=|<canvas/);
    assert.equal(text.match(/<div class="chart-svg" role="img"/g)?.length, 2, 'the line and the bar chart');
    assert.equal((await served.get('/assets/chart.js')).status, 404);
  });

  test('an unknown dashboard or path is a 404 page, another method a 405', async () => {
    const token = await signToken(clock, { dashboard: 99999, env: {} });
    for (const path of [dashboardPath(99999, token), '/', '/d/abc/', '/d/038727/', '/assets/other.js']) {
      const { status, text } = await served.get(path);
      assert.equal(status, 404, path);
      assert.match(text, /data-code="not_found"/);
    }
    const posted = await fetch(served.origin + dashboardPath(OVERVIEW, token), { method: 'POST', body: 'x' });
    assert.equal(posted.status, 405);
    assert.equal(posted.headers.get('allow'), 'GET');
    assert.match(await posted.text(), /method_not_allowed/);
  });

  test('GET /stats answers the counters as JSON', async () => {
    const { status, headers, text } = await served.get('/stats');
    assert.equal(status, 200);
    assert.equal(headers.get('content-type'), 'application/json; charset=utf-8');
    assert.deepEqual(JSON.parse(text), served.host.stats());
    assert.deepEqual(Object.keys(JSON.parse(text)).sort(), [
      'awaitedRuns', 'bytes', 'entries', 'evictions', 'expirations', 'hits', 'joinedRuns', 'misses', 'queries', 'queryRuns', 'queueFull', 'rejectedTokens', 'revokedTokens', 'runsQueued', 'runsRunning', 'sharedHits', 'storeErrors', 'uncacheable',
    ]);
  });
});

test('a host mounted under basePath serves its routes there only', async () => {
  const clock = manualClock();
  const served = await serveHost({ database, now: clock.now, basePath: '/dash', statsRoute: false });
  try {
    const token = await signToken(clock, { dashboard: PRODUCT_MIX, env: { ACCT_ID: '2', DATE_RANGE: ['2015-01-01', '2015-03-31'] } });
    const { status, text } = await served.get(`/dash${dashboardPath(PRODUCT_MIX, token)}`);
    assert.equal(status, 200);
    assert.match(text, /<div class="chart-svg" role="img"/, 'the charts drawn by the host');
    assert.equal((await served.get(dashboardPath(PRODUCT_MIX, token))).status, 404);
    assert.equal((await served.get('/dash/stats')).status, 404, 'statsRoute: false');
  } finally {
    await served.close();
  }
});

test('error pages post chartio:error to the configured parent origins only, never to any parent', async () => {
  const clock = manualClock();
  const served = await serveHost({ database, now: clock.now, frameAncestors: ['https://*.example.com', 'https://app.example.com'] });
  try {
    const { status, text } = await served.get(`/d/${OVERVIEW}/`);
    assert.equal(status, 401);
    // The wildcard frames the page but is not an exact origin: only app.example.com is told.
    const config = /<script type="application\/json" id="chartio-config">([^<]*)<\/script>/.exec(text);
    assert.ok(config, 'the error page carries the parent origins its script posts to');
    assert.deepEqual(JSON.parse(config[1]!), { parentOrigins: ['https://app.example.com'] });
  } finally {
    await served.close();
  }
});

test('after close() the host answers 503 and its cache is empty', async () => {
  const clock = manualClock();
  const served = await serveHost({ database, now: clock.now });
  const token = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '3' } });
  await served.get(dashboardPath(OVERVIEW, token));
  await served.host.close();
  assert.equal(served.host.stats().entries, 0);
  const { status, text } = await served.get(dashboardPath(OVERVIEW, token));
  assert.equal(status, 503);
  assert.match(text, /host_closed/);
  await served.close();
});

test('GET /healthz: ready while every data source answers, 503 when one does not or while closing', async () => {
  let healthy = true;
  const flaky: DataSource = {
    query: (sql, params, options) => database.query(sql, params, options),
    close: async () => undefined,
    ping: async () => {
      if (!healthy) throw new Error('connection refused');
    },
  };
  const dashboards = (await loadDashboardFiles(DEMO_DASHBOARDS)).map((dashboard) => ({ ...dashboard, dataSource: 'main' }));
  const served = await serveHost({ database: undefined, dataSources: { main: database, flaky }, dashboards });
  try {
    const ready = await served.get('/healthz');
    assert.equal(ready.status, 200);
    assert.deepEqual(JSON.parse(ready.text), { status: 'ready', dataSources: { main: 'ok', flaky: 'ok' } });
    healthy = false;
    const down = await served.get('/healthz');
    assert.equal(down.status, 503);
    assert.deepEqual(JSON.parse(down.text), { status: 'unavailable', dataSources: { main: 'ok', flaky: 'failed' } });
    assert.ok(!down.text.includes('refused'), 'no detail in a public answer');
    await served.host.close();
    const closing = await served.get('/healthz');
    assert.equal(closing.status, 503);
    assert.equal(JSON.parse(closing.text).status, 'closing');
  } finally {
    await served.close();
  }
});
