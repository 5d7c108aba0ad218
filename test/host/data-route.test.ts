/**
 * The dashboard data route (`GET /d/{id}/data`, `Authorization: Bearer {token}`) over real HTTP
 * with the demo dataset in a real DuckDB: the same `main` and `charts` as the page, errors as
 * JSON with the error page's status, the token never taken from the URL, and one cache entry and
 * one run per token whichever route asks first.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DataSource } from '../../src/host/index.js';
import {
  dashboardPath,
  forgeToken,
  gatedDatabase,
  manualClock,
  OTHER_SECRET,
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
after(() => database.close());

interface DataAnswer {
  status: number;
  headers: Headers;
  json: any;
}

async function getData(served: ServedHost, dashboard: number, token: string | undefined, init: { path?: string; authorization?: string; method?: string } = {}): Promise<DataAnswer> {
  const headers: Record<string, string> = {};
  if (init.authorization !== undefined) headers.authorization = init.authorization;
  else if (token !== undefined) headers.authorization = `Bearer ${token}`;
  const response = await fetch(served.origin + (init.path ?? `/d/${dashboard}/data`), { headers, method: init.method ?? 'GET' });
  return { status: response.status, headers: response.headers, json: await response.json() };
}

/** The `<main>` element of a page, and its charts block parsed. */
function partsOf(page: string): { main: string; charts: unknown } {
  const main = page.slice(page.indexOf('<main>'), page.indexOf('</main>') + '</main>'.length);
  const block = /<script type="application\/json" id="chartio-charts">(.*?)<\/script>/.exec(page);
  return { main, charts: block ? JSON.parse(block[1]!) : [] };
}

function assertJsonError(answer: DataAnswer, status: number, code: string): void {
  assert.equal(answer.status, status, JSON.stringify(answer.json));
  assert.equal(answer.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.equal(answer.headers.get('cache-control'), 'no-store');
  assert.deepEqual(Object.keys(answer.json), ['error']);
  assert.deepEqual(Object.keys(answer.json.error).sort(), ['code', 'message', 'retryable', 'status']);
  assert.equal(answer.json.error.code, code);
  assert.equal(answer.json.error.status, status);
  assert.equal(answer.json.error.retryable, status >= 500);
  assert.ok(answer.json.error.message.length > 10);
}

describe('answers', () => {
  let served: ServedHost;
  const clock = manualClock();
  before(async () => {
    served = await serveHost({ database, now: clock.now });
  });
  after(() => served.close());

  test('200: the page’s own <main>, its charts drawn, as JSON that is never cached', async () => {
    const token = await signToken(clock, { dashboard: PRODUCT_MIX, env: { ACCT_ID: '2', DATE_RANGE: ['2014-02-11', '2015-02-11'] } });
    const page = await served.get(dashboardPath(PRODUCT_MIX, token));
    const data = await getData(served, PRODUCT_MIX, token);
    assert.equal(data.status, 200);
    assert.equal(data.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.equal(data.headers.get('cache-control'), 'no-store');
    assert.deepEqual(Object.keys(data.json), ['dashboard', 'main', 'charts', 'dataTime', 'stale']);
    assert.equal(data.json.dashboard, PRODUCT_MIX);
    // When its queries ran (the host's clock), and not past the host's default max age (900 s).
    assert.deepEqual([data.json.dataTime, data.json.stale], [new Date(clock.now()).toISOString(), false]);
    const parts = partsOf(page.text);
    assert.equal(data.json.main, parts.main);
    assert.deepEqual(data.json.charts, parts.charts);
    // The charts are SVG in main (charts stays [] for pages of older versions).
    assert.deepEqual(data.json.charts, []);
    assert.equal(data.json.main.match(/<div class="chart-svg" role="img"/g)?.length, 2, 'the bar and the line chart');
  });

  test('a dashboard with no line or bar chart data still answers charts: [] with its own numbers', async () => {
    const token = await signToken(clock, { dashboard: PRODUCT_MIX, env: { ACCT_ID: '2' } });
    const data = await getData(served, PRODUCT_MIX, token);
    assert.equal(data.status, 200);
    assert.deepEqual(data.json.charts, []);
    assert.match(data.json.main, /needs the Hidden Variable DATE_RANGE/);
  });

  test('the scheme name is case-insensitive, as RFC 7235 says', async () => {
    const token = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '3' } });
    assert.equal((await getData(served, OVERVIEW, token, { authorization: `bearer ${token}` })).status, 200);
  });

  test('401 token_missing: no header, another scheme, or the token in the URL instead', async () => {
    const token = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '3' } });
    const runs = served.host.stats().queryRuns;
    assertJsonError(await getData(served, OVERVIEW, undefined), 401, 'token_missing');
    assertJsonError(await getData(served, OVERVIEW, undefined, { authorization: `Basic ${token}` }), 401, 'token_missing');
    assertJsonError(await getData(served, OVERVIEW, undefined, { authorization: 'Bearer' }), 401, 'token_missing');
    const inUrl = await getData(served, OVERVIEW, undefined, { path: `/d/${OVERVIEW}/data?embed_token=${encodeURIComponent(token)}` });
    assertJsonError(inUrl, 401, 'token_missing');
    assert.match(inUrl.json.error.message, /Authorization: Bearer/);
    assert.equal(served.host.stats().queryRuns, runs);
  });

  test('401 and 403 with the verifier’s codes, as the error pages have them', async () => {
    const foreign = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '3' }, secret: OTHER_SECRET });
    assertJsonError(await getData(served, OVERVIEW, foreign), 401, 'token_signature');
    const other = await signToken(clock, { dashboard: PRODUCT_MIX, env: { ACCT_ID: '3' } });
    assertJsonError(await getData(served, OVERVIEW, other), 403, 'token_dashboard');
    const expired = forgeToken({ alg: 'HS256', typ: 'JWT' }, { organization: 16417, dashboard: OVERVIEW, env: {}, iat: clock.seconds() - 900, exp: clock.seconds() - 1 });
    assertJsonError(await getData(served, OVERVIEW, expired), 401, 'token_expired');
    assertJsonError(await getData(served, OVERVIEW, 'not.a.token'), 401, 'token_malformed');
  });

  test('404 for an unknown dashboard, 405 (with Allow) for another method, both as JSON', async () => {
    const token = await signToken(clock, { dashboard: 99999, env: {} });
    assertJsonError(await getData(served, 99999, token), 404, 'not_found');
    const posted = await getData(served, OVERVIEW, token, { method: 'POST' });
    assertJsonError(posted, 405, 'method_not_allowed');
    assert.equal(posted.headers.get('allow'), 'GET');
  });

  test('a token already cached by its page costs no run, and the reverse', async () => {
    const token = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '4' } });
    await served.get(dashboardPath(OVERVIEW, token));
    let before = served.host.stats();
    assert.equal((await getData(served, OVERVIEW, token)).status, 200);
    let stats = served.host.stats();
    assert.deepEqual([stats.queryRuns, stats.hits, stats.entries], [before.queryRuns, before.hits + 1, before.entries]);

    const second = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '5' } });
    assert.equal((await getData(served, OVERVIEW, second)).status, 200);
    before = served.host.stats();
    const page = await served.get(dashboardPath(OVERVIEW, second));
    assert.ok(!page.text.includes('Loading…'), 'the page of a token the data route ran is cached: no Loading');
    stats = served.host.stats();
    assert.deepEqual([stats.queryRuns, stats.hits, stats.entries], [before.queryRuns, before.hits + 1, before.entries]);
  });
});

describe('one run per token, whichever route asks first', () => {
  let served: ServedHost;
  let gate: ReturnType<typeof gatedDatabase>;
  const clock = manualClock();
  before(async () => {
    gate = gatedDatabase(database);
    served = await serveHost({ database: gate.database, now: clock.now });
  });
  after(() => served.close());

  test('page then data: the data request shares the page’s run', async () => {
    gate.rearm();
    const token = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '12' } });
    const pageResponse = await fetch(served.origin + dashboardPath(OVERVIEW, token));
    await gate.held();
    const data = getData(served, OVERVIEW, token);
    gate.release();
    const [page, answer] = await Promise.all([pageResponse.text(), data]);
    const stats = served.host.stats();
    // The data request joined the run under way or, if it arrived after, hit its cached page.
    assert.deepEqual({ queryRuns: stats.queryRuns, entries: stats.entries, shared: stats.joinedRuns + stats.hits }, { queryRuns: 1, entries: 1, shared: 1 });
    assert.equal(answer.status, 200);
    assert.equal(answer.json.main, partsOf(page).main);
  });

  test('data then page: the page joins the data request’s run and streams Loading meanwhile', async () => {
    gate.rearm();
    const before = served.host.stats();
    const token = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '13' } });
    const data = getData(served, OVERVIEW, token);
    await gate.held();
    const pageResponse = await fetch(served.origin + dashboardPath(OVERVIEW, token));
    const reader = pageResponse.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    assert.match(first, /Loading…/, 'the page is pending: Loading first');
    gate.release();
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += new TextDecoder().decode(chunk.value);
    const answer = await data;
    const stats = served.host.stats();
    assert.deepEqual(
      { queryRuns: stats.queryRuns - before.queryRuns, joinedRuns: stats.joinedRuns - before.joinedRuns, entries: stats.entries - before.entries },
      { queryRuns: 1, joinedRuns: 1, entries: 1 },
    );
    assert.equal(answer.json.main, partsOf(rest).main);
  });
});
