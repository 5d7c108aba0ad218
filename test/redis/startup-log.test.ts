/**
 * What a host sharing a real Redis (redis-server on a free loopback port) logs as it starts: on a
 * running Redis, nothing that reads as an outage (operators alert on `revocation_unavailable` and
 * `store_unavailable`); on a Redis that is down at start, the outage once the start-up read has
 * really failed, and the recovery; on a Redis with no `maxmemory`, one warning naming what to set,
 * and none on a Redis that has one.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setImmediate as turn } from 'node:timers/promises';
import { createRedisCache, loadDashboardFiles, type DashboardDefinition, type DataSource, type RedisCache, type RevocationOptions } from '../../src/host/index.js';
import { startRedis, type RedisServer } from '../launchers/redis-server.js';
import { dashboardPath, DEMO_DASHBOARDS, manualClock, openDemoDatabase, OVERVIEW, recordLog, serveHost, signToken, type RecordedLog, type ServedHost } from '../host/helpers/host-fixtures.js';

let bounded: RedisServer;
let unbounded: RedisServer;
let database: DataSource;
let dashboards: DashboardDefinition[];
const clock = manualClock(Date.now());

before(async () => {
  [bounded, unbounded, database, dashboards] = await Promise.all([startRedis(), startRedis({ unbounded: true }), openDemoDatabase(), loadDashboardFiles(DEMO_DASHBOARDS)]);
});
after(async () => {
  await Promise.all([bounded?.stop(), unbounded?.stop()]);
  await database?.close();
});

interface Instance {
  served: ServedHost;
  cache: RedisCache;
  log: RecordedLog;
  /**
   * Resolves once every command the host sent on its connection so far has been answered and
   * handled: Redis answers a connection's commands in order, so a PING sent now comes back after
   * them, and a turn of the event loop lets their handlers finish.
   */
  settled(): Promise<void>;
  close(): Promise<void>;
}

async function instance(redis: RedisServer, prefix: string, revocation: RevocationOptions = {}): Promise<Instance> {
  const cache = await createRedisCache({ url: redis.url, keyPrefix: prefix, commandTimeoutMs: 300 });
  const recorded = recordLog();
  // Loaded beforehand, so that the host is created right after the connection is started, as
  // `chartio-embed host` does: before Redis has answered.
  const served = await serveHost({
    database,
    dashboards,
    now: clock.now,
    sharedCache: cache,
    revocation,
    log: recorded.log,
  });
  return {
    served,
    cache,
    log: recorded,
    async settled() {
      await cache.connected;
      await cache.commands.sendCommand(['PING']);
      await turn();
    },
    async close() {
      await served.close();
      await cache.close();
    },
  };
}

const OUTAGE_EVENTS = ['revocation_unavailable', 'revocation_recovered', 'store_unavailable', 'store_recovered'];

test('a host started on a running Redis logs no outage: it reads the cut-offs once connected', async () => {
  const i = await instance(bounded, 's1:', { refreshMs: 200 });
  try {
    const token = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '1' } });
    // A page waits for the start-up read of the cut-offs: once it is served, that read is done.
    assert.equal((await i.served.get(dashboardPath(OVERVIEW, token))).status, 200);
    await i.settled();
    assert.deepEqual(i.log.entries.filter((entry) => OUTAGE_EVENTS.includes(entry.event)), []);
    assert.equal(i.served.host.stats().storeErrors, 0, 'no failed read counted either');
  } finally {
    await i.close();
  }
});

test('a host started while Redis is down logs revocation_unavailable once, then the recovery, and serves meanwhile', async () => {
  const down = await startRedis();
  await down.kill();
  const i = await instance(down, 's2:', { refreshMs: 200 });
  try {
    await i.log.logged('revocation_unavailable');
    const token = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '2' } });
    assert.equal((await i.served.get(dashboardPath(OVERVIEW, token))).status, 200);
    await down.restart();
    await i.log.logged('revocation_recovered');
    assert.equal(i.log.count('revocation_unavailable'), 1);
    assert.equal(i.log.count('revocation_recovered'), 1);
  } finally {
    await i.close();
    await down.stop();
  }
});

test('a Redis without maxmemory: the host warns once at start, naming maxmemory and maxmemory-policy volatile-ttl', async () => {
  const i = await instance(unbounded, 's3:');
  try {
    // Checked once connected, before any page is asked for.
    await i.settled();
    assert.equal(i.log.count('store_unbounded'), 1);
    const token = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '3' } });
    assert.equal((await i.served.get(dashboardPath(OVERVIEW, token))).status, 200);
    await i.settled();
    const warnings = i.log.entries.filter((entry) => entry.event === 'store_unbounded');
    assert.equal(warnings.length, 1, 'once, not again as pages are served');
    assert.equal(warnings[0]!.level, 'warn');
    assert.match(warnings[0]!.message, /\bmaxmemory\b.*\bmaxmemory-policy volatile-ttl\b/);
  } finally {
    await i.close();
  }
});

test('a Redis with maxmemory: no such warning', async () => {
  const i = await instance(bounded, 's4:');
  try {
    const token = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '4' } });
    assert.equal((await i.served.get(dashboardPath(OVERVIEW, token))).status, 200);
    await i.settled();
    assert.equal(i.log.count('store_unbounded'), 0);
  } finally {
    await i.close();
  }
});
