/**
 * Run-time revocation on a real Redis (redis-server on a free loopback port) with several host
 * instances, each with its own connection as separate processes would have: `chartio-embed
 * revoke` (the CLI in process, on a real configuration file) sets a cut-off, every instance learns
 * of it (announced on Redis, or read on its next refresh when it missed the announcement) and
 * refuses the tokens issued before it, those cached in its memory or in Redis included; a new
 * instance enforces it from its first request; Redis down keeps what was read and refuses
 * nothing new (`onUnavailable: 'serve'`, the default), or refuses every token with a retryable
 * 503 until Redis answers (`'refuse'`), the log and the metrics saying which; and the command
 * then says nothing changed. test/cluster/rotation.test.ts shows a
 * revoked token reaching the element in Chromium as `chartio-error`.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createClient } from 'redis';
import { runCli } from '../../src/cli/run.js';
import { createHostMetrics, createRedisCache, type DataSource, type HostLogEntry, type HostMetrics, type RedisCache, type RevocationOptions } from '../../src/host/index.js';
import { startRedis, type RedisServer } from '../launchers/redis-server.js';
import { dashboardPath, DEMO_DASHBOARDS, manualClock, openDemoDatabase, ORGANIZATION, OVERVIEW, PRODUCT_MIX, recordLog, serveHost, signToken, type ServedHost } from '../host/helpers/host-fixtures.js';

let redis: RedisServer;
let database: DataSource;
let folder: string;
let inspector: ReturnType<typeof createClient>;
/** Five minutes ago, moved forward by the tests: cut-offs are in the past of the real clock. */
const clock = manualClock(Date.now() - 300_000);

before(async () => {
  [redis, database] = await Promise.all([startRedis(), openDemoDatabase()]);
  folder = await mkdtemp(join(tmpdir(), 'chartio-revoke-'));
  inspector = createClient({ url: redis.url });
  inspector.on('error', () => undefined);
  await inspector.connect();
});
after(async () => {
  await inspector?.close().catch(() => undefined);
  await redis?.stop();
  await database?.close();
  await rm(folder, { recursive: true, force: true });
});

interface Instance {
  served: ServedHost;
  cache: RedisCache;
  logs: HostLogEntry[];
  /** Resolves once the log has `count` entries of `event`. */
  logged(event: string, count?: number): Promise<void>;
  close(): Promise<void>;
}

async function instance(prefix: string, revocation: RevocationOptions = {}, metrics?: HostMetrics): Promise<Instance> {
  const cache = await createRedisCache({ url: redis.url, keyPrefix: prefix, commandTimeoutMs: 300 });
  const recorded = recordLog();
  const served = await serveHost({ database, now: clock.now, sharedCache: cache, revocation, log: recorded.log, ...(metrics ? { metrics } : {}) });
  return {
    served,
    cache,
    logs: recorded.entries,
    logged: recorded.logged,
    async close() {
      await served.close();
      await cache.close();
    },
  };
}

/** A configuration file for the CLI: the hosts' Redis and key prefix. */
async function configFile(prefix: string, extra: object = {}): Promise<string> {
  const file = join(folder, `host-${prefix.replace(/\W/g, '')}-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(
    file,
    JSON.stringify({
      organization: ORGANIZATION,
      dashboards: DEMO_DASHBOARDS,
      dataSources: { demo: { type: 'duckdb', path: ':memory:' } },
      redis: { url: redis.url, keyPrefix: prefix },
      frameAncestors: [],
      ...extra,
    }),
  );
  return file;
}

/** Runs `chartio-embed` in process; resolves to its exit code and output. */
async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { env: {}, out: (text) => void (out += text), err: (text) => void (err += text) });
  return { code, out, err };
}

const iso = (ms: number) => new Date(ms).toISOString();
/** The value of the revocation gauge in a metrics text, by its `on_unavailable` label. */
const unavailableGauge = async (metrics: HostMetrics, mode: string) => {
  const line = (await metrics.metrics()).split('\n').find((entry) => entry.startsWith(`chartio_host_revocation_unavailable{on_unavailable="${mode}"} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
};
const get = (i: Instance, token: string, dashboard = OVERVIEW) => i.served.get(dashboardPath(dashboard, token));

describe('chartio-embed revoke reaches every instance', () => {
  let a: Instance;
  let b: Instance;
  let c: Instance;
  before(async () => {
    [a, b, c] = await Promise.all([instance('r1:'), instance('r1:'), instance('r1:')]);
  });
  after(() => Promise.all([a, b, c].map((i) => i.close())));

  test('tokens issued before the organization’s cut-off are refused everywhere, cached here, in Redis, or new', async () => {
    const cachedHere = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '1' } });
    const inRedisOnly = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '2' } });
    const neverSeen = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '3' } });
    for (const i of [a, b, c]) assert.equal((await get(i, cachedHere)).status, 200);
    assert.equal((await get(a, inRedisOnly)).status, 200);
    const hits = b.served.host.stats().hits;
    assert.ok(!(await get(b, cachedHere)).text.includes('Loading…'));
    assert.equal(b.served.host.stats().hits, hits + 1, 'B holds it in its own memory');

    const cutOff = clock.now() + 100_000;
    const revoked = await cli('revoke', '--config', await configFile('r1:'), '--before', iso(cutOff));
    assert.equal(revoked.code, 0, revoked.err);
    const [confirmed, note, end] = revoked.out.split('\n');
    assert.equal(confirmed, `chartio-embed revoke: tokens for organization ${ORGANIZATION} issued before ${iso(cutOff)} are refused by every host sharing this Redis (each within 5000 ms)`);
    // Then when fresh tokens pass again (its text is tested with a fixed cut-off in test/cli/cli.test.ts).
    assert.match(note!, /^chartio-embed revoke: signers round issue times down to their reuse window, .* for 24-hour tokens \(1-hour window\), .* for 15-minute tokens \(90-second window\)$/);
    assert.equal(end, '');
    await Promise.all([a, b, c].map((i) => i.logged('revocation_updated')));
    assert.match(a.logs.find((entry) => entry.event === 'revocation_updated')!.message, new RegExp(`tokens of organization ${ORGANIZATION} issued before ${iso(cutOff)} are refused`));

    for (const i of [a, b, c]) {
      for (const token of [cachedHere, inRedisOnly, neverSeen]) {
        const page = await get(i, token);
        assert.equal(page.status, 401);
        assert.match(page.text, /data-code="token_revoked"/);
        const data = await fetch(`${i.served.origin}/d/${OVERVIEW}/data`, { headers: { authorization: `Bearer ${token}` } });
        assert.equal((await data.json()).error.code, 'token_revoked');
      }
    }
    // Signed after the cut-off (the reuse window of 15-minute tokens is 90 s): served.
    clock.advance(200_000);
    const fresh = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '1' } });
    for (const i of [a, b, c]) assert.equal((await get(i, fresh)).status, 200);
    assert.equal([a, b, c].reduce((n, i) => n + i.served.host.stats().revokedTokens, 0), 18);
  });

  test('a dashboard’s cut-off leaves the others alone; an earlier one than in force is kept out', async () => {
    const env = { ACCT_ID: '4', DATE_RANGE: ['2015-01-01', '2015-03-31'] };
    const mix = await signToken(clock, { dashboard: PRODUCT_MIX, env });
    const overview = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '4' } });
    const config = await configFile('r1:');
    const cutOff = clock.now() + 1_000;
    const revoked = await cli('revoke', '--config', config, '--before', iso(cutOff), '--dashboard', String(PRODUCT_MIX));
    assert.equal(revoked.code, 0, revoked.err);
    assert.match(revoked.out, new RegExp(`tokens for dashboard ${PRODUCT_MIX} of organization ${ORGANIZATION} issued before ${iso(cutOff)}`));
    await Promise.all([a, b, c].map((i) => i.logged('revocation_updated', 2)));
    for (const i of [a, b, c]) {
      assert.equal((await get(i, mix, PRODUCT_MIX)).status, 401);
      assert.equal((await get(i, overview)).status, 200);
    }
    const earlier = await cli('revoke', '--config', config, '--before', iso(cutOff - 60_000), '--dashboard', String(PRODUCT_MIX));
    assert.equal(earlier.code, 0);
    assert.match(earlier.out, new RegExp(`a later cut-off for dashboard ${PRODUCT_MIX} .* is already in force \\(${iso(cutOff)}\\): kept`));
    const listed = await cli('revoke', '--config', config, '--list');
    assert.equal(listed.code, 0);
    assert.match(listed.out, new RegExp(`organization ${ORGANIZATION}: before .* \\(Redis\\)\ndashboard ${PRODUCT_MIX}: before ${iso(cutOff)} \\(Redis\\)\n$`));
  });

  test('an instance started after the revocation enforces it from its first request', async () => {
    const old = await signToken(manualClock(clock.now() - 250_000), { dashboard: OVERVIEW, env: { ACCT_ID: '5' } });
    const late = await instance('r1:');
    try {
      assert.equal((await get(late, old)).status, 401);
    } finally {
      await late.close();
    }
  });
});

test('an instance that missed the announcement reads the cut-off on its next refresh', async () => {
  const i = await instance('r2:', { refreshMs: 200 });
  try {
    const token = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '6' } });
    assert.equal((await get(i, token)).status, 200);
    // Written as an older tool or a restored backup would: no announcement on the channel.
    await inspector.sendCommand(['HSET', `r2:revoked:${ORGANIZATION}`, '*', String(clock.now() + 1_000)]);
    await i.logged('revocation_updated');
    assert.equal((await get(i, token)).status, 401);
  } finally {
    await i.close();
  }
});

test('Redis down (serve): cut-offs read before stay enforced, nothing else is refused, and revoke says nothing changed', async () => {
  const metrics = await createHostMetrics({ defaultMetrics: false });
  const i = await instance('r3:', { refreshMs: 200 }, metrics);
  try {
    const old = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '7' } });
    assert.equal((await get(i, old)).status, 200);
    const config = await configFile('r3:');
    assert.equal((await cli('revoke', '--config', config, '--before', iso(clock.now() + 1_000))).code, 0);
    await i.logged('revocation_updated');
    clock.advance(100_000);
    const fresh = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '7' } });

    assert.equal(await unavailableGauge(metrics, 'serve'), 0);
    // On a loaded machine the start-up read may have missed its bound (and been logged): count from here.
    const outages = i.logs.filter((entry) => entry.event === 'revocation_unavailable').length;
    await redis.kill();
    await i.logged('revocation_unavailable', outages + 1);
    const outage = i.logs.filter((entry) => entry.event === 'revocation_unavailable').at(-1)!;
    assert.equal(outage.level, 'warn');
    assert.match(outage.message, /enforcing the ones read last .*\(revocation\.onUnavailable is "serve"\)/);
    assert.equal(await unavailableGauge(metrics, 'serve'), 1, 'the metrics say Redis cannot be read, and that tokens are served');
    assert.equal((await get(i, old)).status, 401, 'the cut-off read before the outage holds');
    assert.equal((await get(i, fresh)).status, 200, 'a token after it is served, Redis or not');
    const refused = await cli('revoke', '--config', config, '--before', 'now');
    assert.equal(refused.code, 1);
    assert.match(refused.err, /^chartio-embed revoke: Redis could not be reached or did not answer \(.*\); nothing was changed\n$/);
    assert.ok(!refused.err.includes(redis.url), 'the URL (which may carry a password) is not echoed');
    assert.equal(i.logs.filter((entry) => entry.event === 'revocation_unavailable').length, outages + 1, 'logged once');
  } finally {
    await redis.restart();
    await i.close();
  }
});

test('revoke needs no data source URL: a PostgreSQL source whose urlEnv is not set is fine, other mistakes are still reported', async () => {
  const warehouse = { warehouse: { type: 'postgres', urlEnv: 'DATABASE_URL' } };
  const config = await configFile('r5:', { dataSources: warehouse });
  // The CLI's environment here is empty: DATABASE_URL is not set (as where an operator runs revoke).
  const cutOff = Date.now() - 60_000;
  const revoked = await cli('revoke', '--config', config, '--before', iso(cutOff), '--dashboard', String(OVERVIEW));
  assert.equal(revoked.code, 0, revoked.err);
  assert.match(revoked.out, new RegExp(`^chartio-embed revoke: tokens for dashboard ${OVERVIEW} of organization ${ORGANIZATION} issued before ${iso(cutOff)} are refused`));
  assert.equal(Number(await inspector.sendCommand(['HGET', `r5:revoked:${ORGANIZATION}`, String(OVERVIEW)])), cutOff);
  const listed = await cli('revoke', '--config', config, '--list');
  assert.equal(listed.code, 0, listed.err);
  assert.equal(listed.out, `dashboard ${OVERVIEW}: before ${iso(cutOff)} (Redis)\n`);

  const cases: [object, RegExp][] = [
    [{ warehouse: { type: 'postgres', urlEnv: 5 } }, /dataSources\.warehouse\.urlEnv must be the name of an environment variable/],
    [{ warehouse: { type: 'postgres', url: 'mysql://u:hunter2@h/db' } }, /dataSources\.warehouse\.url must be a URL like "postgresql:/],
    [{ warehouse: { type: 'postgres', urlEnv: 'DATABASE_URL', conections: 4 } }, /dataSources\.warehouse\.conections is not a known field/],
  ];
  for (const [dataSources, message] of cases) {
    const run = await cli('revoke', '--config', await configFile('r5:', { dataSources }), '--before', 'now');
    assert.equal(run.code, 2, run.err);
    assert.match(run.err, message);
    assert.ok(!run.err.includes('hunter2'), 'a URL is never echoed');
  }
});

test('revoke: what it needs, said in one line (exit 2)', async () => {
  const noRedis = join(folder, 'no-redis.json');
  await writeFile(noRedis, JSON.stringify({ organization: ORGANIZATION, dashboards: DEMO_DASHBOARDS, dataSources: { demo: { type: 'duckdb' } }, frameAncestors: [] }));
  const config = await configFile('r4:');
  const noFolder = await configFile('r4:', { dashboards: join(folder, 'no-such-folder') });
  const cases: [string[], RegExp][] = [
    [['revoke', '--before', 'now'], /revoke needs --config PATH/],
    [['revoke', '--config', config], /revoke needs --before TIME \(or --list/],
    [['revoke', '--config', noRedis, '--before', 'now'], /no-redis\.json has no "redis": run-time cut-offs live in the hosts' shared Redis/],
    [['revoke', '--config', config, '--before', '2026-03-01 12:00'], /--before "2026-03-01 12:00" is not a time: give "now" or ISO 8601 with its zone/],
    [['revoke', '--config', config, '--before', iso(Date.now() + 3_600_000)], /is in the future: a cut-off refuses tokens issued before it/],
    [['revoke', '--config', config, '--before', 'now', '--dashboard', '99'], /--dashboard 99: .* serves no such dashboard \(38727, 38728, 38729\)/],
    [['revoke', '--config', noFolder, '--before', 'now', '--dashboard', '38727'], /no-such-folder: cannot be listed as a folder of dashboard files/],
  ];
  for (const [args, message] of cases) {
    const run = await cli(...args);
    assert.equal(run.code, 2, args.join(' '));
    assert.match(run.err, message);
    assert.equal(run.err.split('\n').length, 2, 'one line');
  }
  assert.equal(Number(await inspector.sendCommand(['EXISTS', `r4:revoked:${ORGANIZATION}`])), 0, 'nothing was written');
  const help = await cli('revoke', '--help');
  assert.match(help.out, /^Usage: chartio-embed revoke --config host\.json --before TIME \[--dashboard ID\]/);
});

test('Redis down (refuse): every token, cached or new, gets a retryable 503 revocation_unavailable until Redis answers again', async () => {
  const metrics = await createHostMetrics({ defaultMetrics: false });
  const i = await instance('r7:', { refreshMs: 200, onUnavailable: 'refuse' }, metrics);
  const count = (event: string) => i.logs.filter((entry) => entry.event === event).length;
  let down = false;
  try {
    const cached = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '8' } });
    // On a loaded machine the start-up read may miss its bound (refreshMs): refused until the next read.
    if ((await get(i, cached)).status === 503) await i.logged('revocation_recovered');
    assert.equal((await get(i, cached)).status, 200);
    const fresh = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '9' } });
    assert.equal(await unavailableGauge(metrics, 'refuse'), 0);

    const outages = count('revocation_unavailable');
    await redis.kill();
    down = true;
    await i.logged('revocation_unavailable', outages + 1);
    const outage = i.logs.filter((entry) => entry.event === 'revocation_unavailable').at(-1)!;
    assert.equal(outage.level, 'error');
    assert.match(outage.message, /refusing every token \(503 revocation_unavailable\) until it answers \(revocation\.onUnavailable is "refuse"\)/);
    assert.equal(await unavailableGauge(metrics, 'refuse'), 1);
    for (const token of [cached, fresh]) {
      const page = await get(i, token);
      assert.equal(page.status, 503);
      assert.equal(page.headers.get('retry-after'), '2');
      assert.match(page.text, /data-code="revocation_unavailable"/);
    }
    const data = await fetch(`${i.served.origin}/d/${OVERVIEW}/data`, { headers: { authorization: `Bearer ${fresh}` } });
    assert.equal(data.status, 503);
    assert.equal(data.headers.get('retry-after'), '2');
    const { error } = await data.json();
    assert.deepEqual([error.code, error.retryable], ['revocation_unavailable', true]);
    const download = await fetch(`${i.served.origin}/d/${OVERVIEW}/charts/5.csv`, { headers: { authorization: `Bearer ${cached}` } });
    assert.equal(download.status, 503);
    assert.equal((await download.json()).error.code, 'revocation_unavailable');

    const recoveries = count('revocation_recovered');
    await redis.restart();
    down = false;
    await i.logged('revocation_recovered', recoveries + 1);
    assert.equal(await unavailableGauge(metrics, 'refuse'), 0);
    assert.equal((await get(i, cached)).status, 200, 'served again once the cut-offs can be read');
    assert.equal((await get(i, fresh)).status, 200);
  } finally {
    if (down) await redis.restart();
    await i.close();
  }
});

test('Redis unreachable at start (refuse): the first token already gets 503 revocation_unavailable', async () => {
  await redis.kill();
  let i: Instance | undefined;
  try {
    i = await instance('r8:', { refreshMs: 200, onUnavailable: 'refuse' });
    const token = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '10' } });
    const page = await get(i, token);
    assert.equal(page.status, 503, 'no token is served before the cut-offs could be read once');
    assert.match(page.text, /data-code="revocation_unavailable"/);
    assert.equal(i.logs.filter((entry) => entry.event === 'revocation_unavailable').length, 1);
    await redis.restart();
    await i.logged('revocation_recovered');
    assert.equal((await get(i, token)).status, 200);
  } finally {
    await i?.close();
  }
});
