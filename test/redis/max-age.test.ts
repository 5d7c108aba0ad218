/**
 * Max age across three host instances sharing a real Redis (started on a free loopback port):
 * once the tokens' pages pass their max age, views on every instance at once make exactly one
 * background run per token (the `age:{hash}` claim, `SET NX PX`), every instance keeps serving
 * the cached page meanwhile, and the newer page reaches the others through Redis.
 * @module
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createRedisCache, type DataSource, type RedisCache } from '../../src/host/index.js';
import { startRedis, type RedisServer } from '../launchers/redis-server.js';
import { dashboardPath, manualClock, openDemoDatabase, OVERVIEW, serveHost, signToken, type ServedHost } from '../host/helpers/host-fixtures.js';

const MAX_AGE = 60;
const TOKENS = 5;
let redis: RedisServer;
let database: DataSource;
/** Starts at real time: Redis expires keys by its own clock. */
const clock = manualClock(Date.now());
const instances: { served: ServedHost; cache: RedisCache }[] = [];

before(async () => {
  [redis, database] = await Promise.all([startRedis(), openDemoDatabase()]);
  for (let i = 0; i < 3; i++) {
    const cache = await createRedisCache({ url: redis.url, keyPrefix: 'maxage:' });
    instances.push({ cache, served: await serveHost({ database, now: clock.now, sharedCache: cache, maxAge: MAX_AGE }) });
  }
});
after(async () => {
  for (const { served, cache } of instances) {
    await served.close();
    await cache.close();
  }
  await redis?.stop();
  await database?.close();
});

const runs = () => instances.reduce((total, { served }) => total + served.host.stats().queryRuns, 0);
const busy = () => instances.some(({ served }) => served.host.stats().runsRunning + served.host.stats().runsQueued > 0);

/** Views every token on every instance at once; all answered 200. */
async function viewAll(tokens: string[]): Promise<string[]> {
  const views = await Promise.all(tokens.flatMap((token) => instances.map(({ served }) => served.get(dashboardPath(OVERVIEW, token)))));
  assert.ok(views.every((view) => view.status === 200));
  return views.map((view) => view.text);
}

/** Waits for the background runs under way to end (their time is DuckDB's, not the test's clock). */
async function settled(expectedRuns: number): Promise<void> {
  while (runs() < expectedRuns || busy()) await new Promise((resolve) => setImmediate(resolve));
}

const dataTimes = (pages: string[]) => new Set(pages.map((page) => /id="chartio-data-time">"([^"]+)"/.exec(page)![1]!));

test('three instances: exactly one background run per token per max age', async () => {
  const tokens = await Promise.all(Array.from({ length: TOKENS }, (_, i) => signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: String(i + 1) }, ttl: 3600 })));
  await viewAll(tokens);
  await viewAll(tokens);
  assert.equal(runs(), TOKENS, 'one first run per token across the instances');

  clock.advance((MAX_AGE + 1) * 1000);
  const stale = await viewAll(tokens);
  assert.deepEqual(dataTimes(stale).size, 1, 'every instance served the cached pages at once');
  await settled(2 * TOKENS);
  assert.equal(runs(), 2 * TOKENS, 'exactly one background run per token across the three instances');
  // More views within the window: an instance that did not run a token looks again a second
  // later and takes the newer page from Redis; nothing runs again.
  clock.advance(1_000);
  const isFresh = (pages: string[]) => [...dataTimes(pages)].every((time) => Date.parse(time) > clock.now() - (MAX_AGE - 1) * 1000);
  let fresh = await viewAll(tokens);
  for (let attempt = 0; attempt < 50 && !isFresh(fresh); attempt++) fresh = await viewAll(tokens);
  assert.ok(isFresh(fresh), 'every instance now serves the newer pages');
  await settled(2 * TOKENS);
  assert.equal(runs(), 2 * TOKENS, 'and nothing ran again');
});
