/**
 * The reference dashboard host: what the per-token cache is worth. Time to serve a brand-new
 * token's dashboard (verify, run the demo dashboard's six queries over 300,000 orders, render,
 * stream) against the same token's page served again from the cache; then requests per second
 * for cached dashboards under load, next to a node:http floor that sends the same number of
 * bytes from memory. The host runs in its own process; traffic goes to 127.0.0.1 only.
 * @module
 */
import autocannon from 'autocannon';
import { createEmbedSigner } from '../src/server/index.js';
import { median, printTable, type Row } from './format.js';
import { BENCH_SECRET, ORGANIZATION } from './servers/session.js';
import { spawnServer } from './spawn-server.js';

const OVERVIEW = 38727;

/** Milliseconds to fetch `url` and read its whole body. */
async function timeFetch(url: string): Promise<{ ms: number; bytes: number; status: number }> {
  const start = performance.now();
  const response = await fetch(url);
  const body = await response.arrayBuffer();
  return { ms: performance.now() - start, bytes: body.byteLength, status: response.status };
}

/**
 * Runs the host benchmark and prints its tables.
 * @example
 * await benchHost(); // "## Dashboard host: new token vs cached" and "## Cached dashboards under load"
 */
export async function benchHost(tokens = 30, seconds = 5): Promise<void> {
  const host = await spawnServer('dashboard-host.ts');
  const base = `http://127.0.0.1:${host.port}/d/${OVERVIEW}/?embed_token=`;
  const signer = createEmbedSigner({ secret: BENCH_SECRET, organization: ORGANIZATION, ttl: 3_600 });
  // Distinct date ranges: every token is new to the host and runs its queries on different rows.
  const urls: string[] = [];
  for (let i = 0; i < tokens + 2; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    const month = String(1 + Math.floor(i / 28)).padStart(2, '0');
    const { token } = await signer.sign({ dashboard: OVERVIEW, env: { ACCT_ID: String(1 + (i % 50)), DATE_RANGE: [`2014-${month}-${day}`, '2015-12-31'] } });
    urls.push(base + token);
  }
  let pageBytes = 0;
  try {
    // Warm-up (JIT, DuckDB's first plans, chart library read) on two tokens not measured.
    for (const url of urls.slice(0, 2)) {
      await timeFetch(url);
      await timeFetch(url);
    }
    const fresh: number[] = [];
    const cached: number[] = [];
    for (const url of urls.slice(2)) {
      const first = await timeFetch(url);
      const again = await timeFetch(url);
      if (first.status !== 200 || again.status !== 200) throw new Error(`the host answered ${first.status}/${again.status}`);
      fresh.push(first.ms);
      cached.push(again.ms);
      pageBytes = again.bytes;
    }
    const stats = await (await fetch(`http://127.0.0.1:${host.port}/stats`)).json();
    const rows: Row[] = [
      { name: 'cached token (same token again)', value: median(cached), unit: 'ms', extra: { hits: stats.hits } },
      { name: 'new token (verify + 6 queries + render)', value: median(fresh), unit: 'ms', extra: { 'query runs': stats.queryRuns } },
    ];
    printTable(`Dashboard host: one request, median of ${tokens} tokens, page ${Math.round(pageBytes / 1024)} KiB`, rows, {
      baseline: 'cached token (same token again)',
      higherIsBetter: true,
      targets: { 'new token (verify + 6 queries + render)': { ratio: 10, label: 'cached ≥ 10× faster' } },
    });

    const load = async (port: number, paths: string[]): Promise<Row> => {
      let next = 0;
      const run = (duration: number) =>
        autocannon({
          url: `http://127.0.0.1:${port}`,
          connections: 50,
          duration,
          requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length]! }) }],
        });
      await run(1); // warm-up
      const result = await run(seconds);
      return {
        name: '',
        value: result.requests.average,
        unit: 'req/s',
        extra: { p50: `${result.latency.p50} ms`, p99: `${result.latency.p99} ms`, errors: result.errors + result.timeouts + result.non2xx },
      };
    };
    const cachedPaths = urls.slice(2).map((url) => url.slice(`http://127.0.0.1:${host.port}`.length));
    const ours = { ...(await load(host.port, cachedPaths)), name: 'chartio-embed host, cached dashboards' };
    await host.stop();
    const floorServer = await spawnServer('static-page.ts', [String(pageBytes)]);
    let floor: Row;
    try {
      floor = { ...(await load(floorServer.port, ['/'])), name: 'floor: node:http, same bytes from memory' };
    } finally {
      await floorServer.stop();
    }
    printTable(`Cached dashboards under load: 50 connections, ${seconds} s, 127.0.0.1`, [floor, ours], {
      baseline: 'floor: node:http, same bytes from memory',
      higherIsBetter: true,
    });
  } finally {
    await host.stop();
  }
}
