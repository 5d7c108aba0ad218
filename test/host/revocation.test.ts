/**
 * Revocation cut-offs set in the host's options, over real HTTP with the real verifier: a token
 * issued before the organization's cut-off, or before its dashboard's, is refused as
 * `token_revoked` (401) on the page, the data route and downloads, a token issued at or after it is served,
 * and the options are checked with messages that name the field. Run-time cut-offs through the
 * shared Redis and `chartio-embed revoke` are test/redis/revocation.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createDashboardHost, loadDashboardFiles, type DataSource } from '../../src/host/index.js';
import { dashboardPath, DEMO_DASHBOARDS, manualClock, openDemoDatabase, ORGANIZATION, OVERVIEW, PRODUCT_MIX, SECRET, serveHost, signToken, T0, type ServedHost } from './helpers/host-fixtures.js';

let database: DataSource;
before(async () => {
  database = await openDemoDatabase();
});
after(() => database.close());

/** Tokens signed at `T0 + offsetSeconds` (15-minute tokens: their iat is rounded to 90 s). */
function signedAt(offsetSeconds: number, dashboard: number, env: Record<string, unknown>) {
  return signToken(manualClock(T0 + offsetSeconds * 1000), { dashboard, env, ttl: 900 });
}

describe('cut-offs from the options', () => {
  let served: ServedHost;
  // The organization's cut-off at T0 + 180 s; dashboard 38728's later, at T0 + 360 s.
  const clock = manualClock(T0 + 600_000);
  before(async () => {
    served = await serveHost({
      database,
      now: clock.now,
      revocation: { before: new Date(T0 + 180_000).toISOString(), dashboards: { [PRODUCT_MIX]: T0 + 360_000 } },
    });
  });
  after(() => served.close());

  test('a token issued before the organization’s cut-off is token_revoked (401); one issued at it is served', async () => {
    const old = await signedAt(90, OVERVIEW, { ACCT_ID: '1' });
    const refused = await served.get(dashboardPath(OVERVIEW, old));
    assert.equal(refused.status, 401);
    assert.match(refused.text, /data-code="token_revoked"/);
    assert.match(refused.text, /issued before a revocation cut-off/);
    assert.match(refused.text, /issued at 2026-01-01T00:01:30\.000Z, before the revocation cut-off 2026-01-01T00:03:00\.000Z/);
    assert.ok(!refused.text.includes(old));
    const fresh = await served.get(dashboardPath(OVERVIEW, await signedAt(180, OVERVIEW, { ACCT_ID: '1' })));
    assert.equal(fresh.status, 200);
  });

  test('a dashboard’s own cut-off applies to that dashboard only', async () => {
    const env = { ACCT_ID: '1', DATE_RANGE: ['2015-01-01', '2015-03-31'] };
    const between = await signedAt(270, PRODUCT_MIX, env);
    assert.equal((await served.get(dashboardPath(PRODUCT_MIX, between))).status, 401);
    assert.equal((await served.get(dashboardPath(OVERVIEW, await signedAt(270, OVERVIEW, { ACCT_ID: '2' })))).status, 200);
    assert.equal((await served.get(dashboardPath(PRODUCT_MIX, await signedAt(360, PRODUCT_MIX, env)))).status, 200);
  });

  test('the data route answers token_revoked as JSON, and the counters count it', async () => {
    const before = served.host.stats();
    const data = await fetch(`${served.origin}/d/${OVERVIEW}/data`, { headers: { authorization: `Bearer ${await signedAt(0, OVERVIEW, { ACCT_ID: '3' })}` } });
    assert.equal(data.status, 401);
    const { error } = await data.json();
    assert.deepEqual([error.code, error.status, error.retryable], ['token_revoked', 401, false]);
    const after = served.host.stats();
    assert.equal(after.revokedTokens, before.revokedTokens + 1);
    assert.equal(after.rejectedTokens, before.rejectedTokens + 1);
    assert.equal(after.queryRuns, before.queryRuns, 'no query ran for it');
  });
  test('a CSV download under a revoked token is refused too, and runs no query', async () => {
    const old = await signedAt(0, OVERVIEW, { ACCT_ID: '3' });
    const download = await fetch(`${served.origin}/d/${OVERVIEW}/charts/5.csv`, { headers: { authorization: `Bearer ${old}` } });
    assert.equal(download.status, 401);
    assert.equal((await download.json()).error.code, 'token_revoked');
    const fresh = await fetch(`${served.origin}/d/${OVERVIEW}/charts/5.csv`, { headers: { authorization: `Bearer ${await signedAt(180, OVERVIEW, { ACCT_ID: '3' })}` } });
    assert.equal(fresh.status, 200);
  });
});

test('options: a cut-off must be a past moment with its zone, for a dashboard the host serves', async () => {
  const dashboards = await loadDashboardFiles(DEMO_DASHBOARDS);
  const base = { organization: ORGANIZATION, secret: SECRET, dashboards, database, frameAncestors: [], now: () => T0 };
  const host = (revocation: object) => () => createDashboardHost({ ...base, revocation });
  assert.throws(host({ before: '2025-12-31 23:00' }), /revocation\.before must be a time: an ISO 8601 string with its zone/);
  assert.throws(host({ before: new Date(T0 + 3_600_000) }), /revocation\.before is in the future \(2026-01-01T01:00:00\.000Z\)/);
  assert.throws(host({ dashboards: { 99: T0 } }), /revocation\.dashboards\.99: the host serves no dashboard 99 \(38727, 38728, 38729\)/);
  assert.throws(host({ dashboards: { [OVERVIEW]: 'yesterday' } }), /revocation\.dashboards\.38727 must be a time/);
  assert.throws(host({ refreshMs: 5 }), /revocation\.refreshMs must be an integer of milliseconds ≥ 100/);
  // Within the clock tolerance ahead is accepted: a signing server's clock may run ahead.
  assert.equal(typeof createDashboardHost({ ...base, revocation: { before: '2026-01-01T00:00:20+00:00' } }), 'function');
});
