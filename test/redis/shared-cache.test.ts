/**
 * Several hosts sharing one real Redis (redis-server on a free loopback port): a page rendered by
 * one is a hit on the others, concurrent first requests spread over them make one run, an
 * instance that stops renewing its lock is replaced, and a Redis that is down or slow costs
 * nothing but the sharing (logged once, never a 5xx). Each host has its own connection, as
 * separate processes would; `test/cluster` does the same with real processes behind haproxy.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createClient } from 'redis';
import { createRedisCache, type DataSource, type RedisCache, type RedisCacheOptions } from '../../src/host/index.js';
import { startRedis, type RedisServer } from '../launchers/redis-server.js';
import { dashboardPath, gatedDatabase, manualClock, openDemoDatabase, OVERVIEW, serveHost, signToken, type ServedHost } from '../host/helpers/host-fixtures.js';

let redis: RedisServer;
let database: DataSource;
/** Redis's own view, for checks (not used by the hosts). */
let inspector: ReturnType<typeof createClient>;
/** Real time: Redis expires keys by its own clock. */
const clock = manualClock(Date.now());

before(async () => {
  [redis, database] = await Promise.all([startRedis(), openDemoDatabase()]);
  inspector = createClient({ url: redis.url });
  inspector.on('error', () => undefined);
  await inspector.connect();
});
after(async () => {
  await inspector?.close().catch(() => undefined);
  await redis?.stop();
  await database?.close();
});

interface Instance {
  served: ServedHost;
  cache: RedisCache;
  close(): Promise<void>;
}

/** A host with its own Redis connection and key prefix `prefix` (one per test keeps them apart). */
async function instance(prefix: string, options: { database?: DataSource; cache?: Partial<RedisCacheOptions> } = {}): Promise<Instance> {
  const cache = await createRedisCache({ url: redis.url, keyPrefix: prefix, commandTimeoutMs: 300, ...options.cache });
  const served = await serveHost({ database: options.database ?? database, now: clock.now, sharedCache: cache });
  return {
    served,
    cache,
    async close() {
      await served.close();
      await cache.close();
    },
  };
}

function streamed(response: Response) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  return {
    async first(): Promise<string> {
      return decoder.decode((await reader.read()).value, { stream: true });
    },
    async rest(): Promise<string> {
      let text = '';
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += decoder.decode(chunk.value, { stream: true });
      return text;
    },
  };
}

const sum = (instances: Instance[], key: 'queryRuns' | 'sharedHits' | 'awaitedRuns' | 'storeErrors') => instances.reduce((total, i) => total + i.served.host.stats()[key], 0);

describe('shared pages', () => {
  let a: Instance;
  let b: Instance;
  before(async () => {
    [a, b] = await Promise.all([instance('t1:'), instance('t1:')]);
  });
  after(async () => {
    await Promise.all([a.close(), b.close()]);
  });

  test('a page rendered on one instance is a hit on another: no run, no Loading, the same bytes', async () => {
    const token = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '7' } });
    await a.served.get(dashboardPath(OVERVIEW, token));
    const cachedOnA = await a.served.get(dashboardPath(OVERVIEW, token));
    const onB = await b.served.get(dashboardPath(OVERVIEW, token));
    assert.equal(onB.status, 200);
    assert.ok(!onB.text.includes('Loading…'));
    assert.equal(onB.text, cachedOnA.text);
    const statsB = b.served.host.stats();
    assert.deepEqual([statsB.queryRuns, statsB.sharedHits, statsB.entries], [0, 1, 1]);
    // Now in B's own memory: the next request does not even ask Redis.
    await b.served.get(dashboardPath(OVERVIEW, token));
    assert.deepEqual([b.served.host.stats().hits, b.served.host.stats().sharedHits], [1, 1]);
  });

  test('the data route shares the same entry across instances', async () => {
    const token = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '8' } });
    const data = await fetch(`${a.served.origin}/d/${OVERVIEW}/data`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(data.status, 200);
    const runs = sum([a, b], 'queryRuns');
    const page = await b.served.get(dashboardPath(OVERVIEW, token));
    assert.ok(!page.text.includes('Loading…'));
    assert.ok(page.text.includes((await data.json()).main));
    assert.equal(sum([a, b], 'queryRuns'), runs);
  });

  test('kept until the token’s exp, under the token’s hash: the token itself is never in Redis', async () => {
    const token = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '9' }, ttl: 600 });
    await a.served.get(dashboardPath(OVERVIEW, token));
    const hash = createHash('sha256').update(token).digest('base64url');
    const exp = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).exp;
    assert.equal(await inspector.sendCommand(['PEXPIRETIME', `t1:page:${hash}`]), exp * 1000);
    const keys = (await inspector.sendCommand(['KEYS', '*'])) as string[];
    assert.ok(keys.length > 0 && keys.every((key) => !key.includes(token) && !key.includes(token.split('.')[2]!)));
    const values = await Promise.all(keys.filter((key) => key.includes(':page:')).map((key) => inspector.sendCommand(['GET', key]) as Promise<string>));
    assert.ok(values.every((value) => !value.includes(token.split('.')[2]!)), 'no signature in any value');
  });
});

test('concurrent first requests on three instances make one run; the others stream Loading, then the page', async () => {
  const gate = gatedDatabase(database);
  const instances = await Promise.all([instance('t2:', { database: gate.database }), instance('t2:', { database: gate.database }), instance('t2:', { database: gate.database })]);
  try {
    const token = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '11' } });
    const first = streamed(await fetch(instances[0]!.served.origin + dashboardPath(OVERVIEW, token)));
    assert.match(await first.first(), /Loading…/);
    await gate.held(); // instance 0 holds the lock and runs
    const others = await Promise.all(instances.slice(1).map(async (i) => streamed(await fetch(i.served.origin + dashboardPath(OVERVIEW, token)))));
    for (const other of others) assert.match(await other.first(), /Loading…/);
    gate.release();
    const pages = await Promise.all([first.rest(), ...others.map((other) => other.rest())]);
    assert.ok(pages.every((page) => page === pages[0] && page.includes('<main>')));
    assert.equal(sum(instances, 'queryRuns'), 1);
    assert.equal(sum(instances, 'awaitedRuns'), 2);
  } finally {
    await Promise.all(instances.map((i) => i.close()));
  }
});

test('an instance that dies mid-run strands no one: its lock expires and a waiting instance runs', async () => {
  const gate = gatedDatabase(database);
  const lockTtlMs = 400;
  const dying = await instance('t3:', { database: gate.database, cache: { lockTtlMs } });
  const survivor = await instance('t3:', { cache: { lockTtlMs } });
  try {
    const token = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '12' } });
    const doomed = fetch(dying.served.origin + dashboardPath(OVERVIEW, token)).then((r) => r.text()).catch(() => 'cut');
    await gate.held(); // the dying instance holds the lock, its queries held
    const waiting = streamed(await fetch(survivor.served.origin + dashboardPath(OVERVIEW, token)));
    assert.match(await waiting.first(), /Loading…/);
    // It dies: its connection to Redis is gone, so its lock is no longer renewed.
    await dying.cache.close();
    const page = await waiting.rest();
    assert.match(page, /<main>/);
    assert.equal(survivor.served.host.stats().queryRuns, 1);
    gate.release();
    await doomed;
  } finally {
    await Promise.all([dying.close(), survivor.close()]);
  }
});

test('the winner renews its lock while its run lasts, and frees it when done', async () => {
  const gate = gatedDatabase(database);
  const lockTtlMs = 1_000;
  const host = await instance('t7:', { database: gate.database, cache: { lockTtlMs } });
  try {
    const token = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '22' } });
    const page = fetch(host.served.origin + dashboardPath(OVERVIEW, token)).then((r) => r.text());
    await gate.held();
    const lock = `t7:lock:${createHash('sha256').update(token).digest('base64url')}`;
    // Ask Redis until the lock has outlived its first lifetime: only a renewal can do that.
    const claimedAt = Date.now();
    let ttl = Number(await inspector.sendCommand(['PTTL', lock]));
    while (Date.now() - claimedAt < lockTtlMs * 2) {
      ttl = Number(await inspector.sendCommand(['PTTL', lock]));
      assert.ok(ttl > 0, `the lock is still held (${ttl})`);
    }
    gate.release();
    assert.match(await page, /<main>/);
    assert.equal(Number(await inspector.sendCommand(['EXISTS', lock])), 0, 'freed once the page is stored');
  } finally {
    await host.close();
  }
});

test('a page over maxPageBytes stays in its instance’s own cache', async () => {
  const [a, b] = await Promise.all([instance('t4:', { cache: { maxPageBytes: 1_000 } }), instance('t4:', { cache: { maxPageBytes: 1_000 } })]);
  try {
    const token = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '13' } });
    await a.served.get(dashboardPath(OVERVIEW, token));
    assert.equal(((await inspector.sendCommand(['KEYS', 't4:page:*'])) as string[]).length, 0);
    assert.ok(!(await a.served.get(dashboardPath(OVERVIEW, token))).text.includes('Loading…'));
    assert.equal(b.served.host.stats().sharedHits, 0);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});

describe('Redis down or slow', () => {
  test('slow (every client paused): the host answers from its own cache and runs queries itself', async () => {
    const host = await instance('t5:', { cache: { commandTimeoutMs: 200 } });
    try {
      const cachedToken = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '14' } });
      await host.served.get(dashboardPath(OVERVIEW, cachedToken));
      await inspector.sendCommand(['CLIENT', 'PAUSE', '1500', 'ALL']);
      try {
        const fresh = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '15' } });
        const [cached, page] = await Promise.all([host.served.get(dashboardPath(OVERVIEW, cachedToken)), host.served.get(dashboardPath(OVERVIEW, fresh))]);
        assert.deepEqual([cached.status, page.status], [200, 200]);
        assert.match(page.text, /<main>/);
        assert.ok(host.served.host.stats().storeErrors > 0);
        assert.equal(host.served.logs.filter((entry) => entry.event === 'store_unavailable').length, 1);
      } finally {
        await inspector.sendCommand(['CLIENT', 'UNPAUSE']);
      }
    } finally {
      await host.close();
    }
  });

  test('down, then back: pages keep coming, the outage and the recovery are logged once each', async () => {
    const [a, b] = await Promise.all([instance('t6:'), instance('t6:')]);
    try {
      const before = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '16' } });
      await a.served.get(dashboardPath(OVERVIEW, before));
      await redis.kill();
      const tokens = await Promise.all(['17', '18', '19'].map((account) => signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: account } })));
      for (const served of [a.served, b.served]) {
        for (const token of [before, ...tokens]) {
          const answer = await served.get(dashboardPath(OVERVIEW, token));
          assert.equal(answer.status, 200);
          assert.match(answer.text, /<main>/);
          const data = await fetch(`${served.origin}/d/${OVERVIEW}/data`, { headers: { authorization: `Bearer ${token}` } });
          assert.equal(data.status, 200);
        }
      }
      for (const i of [a, b]) assert.equal(i.served.logs.filter((entry) => entry.event === 'store_unavailable').length, 1);
      assert.ok(a.served.host.stats().hits >= 1, 'A served the page it had from its own memory');

      await redis.restart();
      // The clients reconnect on their own, in the background; each new token asks Redis again,
      // and is served (without it) meanwhile.
      let round = 0;
      const recovered = (i: Instance) => i.served.logs.some((entry) => entry.event === 'store_recovered');
      while (!recovered(a) || !recovered(b)) {
        const probe = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '20', USER_ID: String(round++) } });
        for (const i of [a, b]) assert.equal((await i.served.get(dashboardPath(OVERVIEW, probe))).status, 200);
      }
      const shared = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '21' } });
      await a.served.get(dashboardPath(OVERVIEW, shared));
      const hits = b.served.host.stats().sharedHits;
      assert.ok(!(await b.served.get(dashboardPath(OVERVIEW, shared))).text.includes('Loading…'));
      assert.equal(b.served.host.stats().sharedHits, hits + 1, 'shared again once Redis is back');
      for (const i of [a, b]) assert.equal(i.served.logs.filter((entry) => entry.event === 'store_recovered').length, 1);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
