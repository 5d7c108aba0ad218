/**
 * The reference dashboard host: what the per-token cache is worth, and what serving it costs.
 * 1. A brand-new token's dashboard (verify, the demo dashboard's six queries over 300,000 orders,
 *    render, stream) against the same token's page again, from the cache.
 * 2. Cached pages under load: from the host's own memory, through Redis (an instance whose
 *    own cache holds one page, so nearly every answer is fetched from Redis), and through Redis
 *    with the first level at its default size (goal ≥ 0.6× the floor), next to a node:http
 *    floor sending the same bytes and headers from memory. Goal: local ≥ 0.6× the floor.
 * 3. A new token's dashboard on PostgreSQL against DuckDB, the demo dashboards on the same rows.
 * Hosts run in processes of their own; traffic goes to 127.0.0.1 only, bounded in count and time.
 * @module
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { createEmbedSigner } from '../src/server/index.js';
import { createPostgresDataSource, createDashboardHost, loadDashboardFiles, type DashboardDefinition } from '../src/host/index.js';
import { createDemoDatabase } from '../demo/dataset/demo-dataset.js';
import { loadDemoDatasetIntoPostgres } from '../demo/dataset/postgres-dataset.js';
import { startPostgres } from '../test/launchers/postgres-server.js';
import { startRedis } from '../test/launchers/redis-server.js';
import { median, printTable, type Row } from './format.js';
import { BENCH_SECRET, ORGANIZATION } from './servers/session.js';
import { spawnServer, type SpawnedServer } from './spawn-server.js';

const OVERVIEW = 38727;
const DEMO_DASHBOARDS = new URL('../demo/dashboards/', import.meta.url).pathname;

/** Milliseconds to fetch `url` and read its whole body. */
async function timeFetch(url: string): Promise<{ ms: number; bytes: number; status: number }> {
  const start = performance.now();
  const response = await fetch(url);
  const body = await response.arrayBuffer();
  return { ms: performance.now() - start, bytes: body.byteLength, status: response.status };
}

/** `count` tokens for distinct filters: every one is new to a host and runs on different rows. */
export async function distinctTokens(count: number, dashboard = OVERVIEW): Promise<string[]> {
  const signer = createEmbedSigner({ secret: BENCH_SECRET, organization: ORGANIZATION, ttl: 3_600 });
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    const month = String(1 + (Math.floor(i / 28) % 12)).padStart(2, '0');
    // Distinct for i < 8,400: (i mod 50, i mod 336) never repeats before then.
    tokens.push((await signer.sign({ dashboard, env: { ACCT_ID: String(1 + (i % 50)), DATE_RANGE: [`2014-${month}-${day}`, '2015-12-31'] } })).token);
  }
  return tokens;
}

/** Requests per second for `paths` under load (50 connections), after a 1 s warm-up. */
async function load(port: number, paths: string[], seconds: number): Promise<Omit<Row, 'name'>> {
  let next = 0;
  const run = (duration: number) =>
    autocannon({
      url: `http://127.0.0.1:${port}`,
      connections: 50,
      duration,
      requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length]! }) }],
    });
  await run(1);
  const result = await run(seconds);
  return {
    value: result.requests.average,
    unit: 'req/s',
    extra: { p50: `${result.latency.p50} ms`, p99: `${result.latency.p99} ms`, errors: result.errors + result.timeouts + result.non2xx },
  };
}

/**
 * Runs the host benchmarks and prints their tables.
 * @example
 * await benchHost(); // "## Dashboard host: …", "## Cached dashboards under load …", "## … PostgreSQL vs DuckDB"
 */
export async function benchHost(tokens = 30, seconds = 5): Promise<void> {
  await newVersusCached(tokens, seconds);
  await postgresVersusDuckDb(Math.min(tokens, 20));
}

async function newVersusCached(count: number, seconds: number): Promise<void> {
  const redis = await startRedis();
  const servers: SpawnedServer[] = [];
  const folder = await mkdtemp(join(tmpdir(), 'chartio-bench-'));
  try {
    const local = await spawnServer('../host-servers/cached-host.ts');
    servers.push(local);
    const paths = (await distinctTokens(count + 2)).map((token) => `/d/${OVERVIEW}/?embed_token=${token}`);
    const base = `http://127.0.0.1:${local.port}`;
    // Warm-up (JIT, DuckDB's first plans, chart library read) on two tokens not measured.
    for (const path of paths.slice(0, 2)) {
      await timeFetch(base + path);
      await timeFetch(base + path);
    }
    const fresh: number[] = [];
    const cached: number[] = [];
    let pageBytes = 0;
    for (const path of paths.slice(2)) {
      const first = await timeFetch(base + path);
      const again = await timeFetch(base + path);
      if (first.status !== 200 || again.status !== 200) throw new Error(`the host answered ${first.status}/${again.status}`);
      fresh.push(first.ms);
      cached.push(again.ms);
      pageBytes = again.bytes;
    }
    const stats = await (await fetch(`${base}/stats`)).json();
    printTable(`Dashboard host: one request, median of ${count} tokens, page ${Math.round(pageBytes / 1024)} KiB`, [
      { name: 'cached token (same token again)', value: median(cached), unit: 'ms', extra: { hits: stats.hits } },
      { name: 'new token (verify + 6 queries + render)', value: median(fresh), unit: 'ms', extra: { 'query runs': stats.queryRuns } },
    ], {
      baseline: 'cached token (same token again)',
      higherIsBetter: true,
      targets: { 'new token (verify + 6 queries + render)': { ratio: 10, label: 'cached ≥ 10× faster' } },
    });

    // The floor sends exactly what a cached page is: its bytes and its headers.
    const sample = await fetch(base + paths[2]!);
    const headers = [...sample.headers].filter(([name]) => !['content-length', 'date', 'connection', 'keep-alive'].includes(name)).flat();
    const file = join(folder, 'page.json');
    await writeFile(file, JSON.stringify({ headers, body: Buffer.from(await sample.arrayBuffer()).toString('base64') }));

    // Through Redis: pages rendered by one instance, served by another that keeps one page itself.
    const renderer = await spawnServer('../host-servers/cached-host.ts', ['--redis', redis.url]);
    servers.push(renderer);
    for (const path of paths) await timeFetch(`http://127.0.0.1:${renderer.port}${path}`);
    const throughRedis = await spawnServer('../host-servers/cached-host.ts', ['--redis', redis.url, '--local-entries', '1']);
    servers.push(throughRedis);
    // Through Redis with its first level (this process's cache, default size) in front: each page
    // is fetched from Redis once, then served from memory (kept coherent by max age and the
    // revocation check, which every view still makes).
    const withFirstLevel = await spawnServer('../host-servers/cached-host.ts', ['--redis', redis.url]);
    servers.push(withFirstLevel);

    const cachedPaths = paths.slice(2);
    const ours = { ...(await load(local.port, cachedPaths, seconds)), name: 'host, cached, own memory' };
    const redisRow = { ...(await load(throughRedis.port, cachedPaths, seconds)), name: 'host, cached, through Redis, no first level' };
    const firstLevelRow = { ...(await load(withFirstLevel.port, cachedPaths, seconds)), name: 'host, cached, Redis + first level' };
    for (const server of servers.splice(0)) await server.stop();
    const floorServer = await spawnServer('../host-servers/page-floor.ts', [file]);
    servers.push(floorServer);
    const floor = { ...(await load(floorServer.port, ['/'], seconds)), name: 'floor: node:http, same bytes and headers' };
    printTable(`Cached dashboards under load: 50 connections, ${seconds} s, 127.0.0.1`, [floor, ours, redisRow, firstLevelRow], {
      baseline: 'floor: node:http, same bytes and headers',
      higherIsBetter: true,
      targets: { 'host, cached, own memory': { ratio: 0.6, label: '≥ 0.6× floor' }, 'host, cached, Redis + first level': { ratio: 0.6, label: '≥ 0.6× floor' } },
    });
  } finally {
    for (const server of servers) await server.stop();
    await redis.stop();
    await rm(folder, { recursive: true, force: true });
  }
}

/** One host, both databases as named sources; each demo dashboard served once per source. */
async function postgresVersusDuckDb(count: number): Promise<void> {
  const postgres = await startPostgres();
  const duckdb = await createDemoDatabase();
  try {
    await loadDemoDatasetIntoPostgres(postgres.url, duckdb);
    const warehouse = await createPostgresDataSource({ connectionString: postgres.url, connections: 4 });
    const OFFSET = 100_000;
    const demo = await loadDashboardFiles(DEMO_DASHBOARDS);
    const dashboards: DashboardDefinition[] = [
      ...demo.map((dashboard) => ({ ...dashboard, dataSource: 'duckdb' })),
      ...demo.map((dashboard) => ({ ...dashboard, id: dashboard.id + OFFSET, dataSource: 'postgres' })),
    ];
    const host = createDashboardHost({ organization: ORGANIZATION, secret: BENCH_SECRET, dashboards, dataSources: { duckdb, postgres: warehouse }, frameAncestors: [], log: () => undefined });
    try {
      const rows: Row[] = [];
      for (const [name, dashboard] of [['DuckDB (in process)', OVERVIEW], ['PostgreSQL 15 (loopback)', OVERVIEW + OFFSET]] as const) {
        const tokens = await distinctTokens(count + 2, dashboard);
        const times: number[] = [];
        for (const [index, token] of tokens.entries()) {
          const start = performance.now();
          const response = await host(new Request(`http://127.0.0.1/d/${dashboard}/?embed_token=${token}`));
          const text = await response.text();
          if (!text.includes('<main>')) throw new Error(`${name}: no dashboard`);
          if (index >= 2) times.push(performance.now() - start);
        }
        rows.push({ name, value: median(times), unit: 'ms', extra: { tokens: count } });
      }
      printTable('A new token’s dashboard (6 queries over 300,000 orders, render), PostgreSQL vs DuckDB, median', rows, {
        baseline: 'DuckDB (in process)',
        higherIsBetter: false,
      });
    } finally {
      await host.close();
      await warehouse.close();
    }
  } finally {
    await duckdb.close();
    await postgres.stop();
  }
}
