/**
 * The storm: 3,000 concurrent requests for new tokens at one host while one cached token is
 * requested throughout. Goals: the cached token's p99 under 50 ms; every new token answered, 200
 * or 503 with Retry-After (its data source's queue full), none waiting longer than the queue's
 * bound. The host runs in a process of its own; loopback only.
 * @module
 */
import { createEmbedSigner } from '../src/server/index.js';
import { median, printTable } from './format.js';
import { distinctTokens } from './host.js';
import { BENCH_SECRET, ORGANIZATION } from './servers/session.js';
import { spawnServer } from './spawn-server.js';

const OVERVIEW = 38727;

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/**
 * Runs the storm and prints its table.
 * @example
 * await benchStorm(); // "## The storm: …"
 */
export async function benchStorm(storm = 3_000): Promise<void> {
  const host = await spawnServer('../host-servers/cached-host.ts', ['--queue', '4,64']);
  try {
    const base = `http://127.0.0.1:${host.port}`;
    const signer = createEmbedSigner({ secret: BENCH_SECRET, organization: ORGANIZATION, ttl: 3_600 });
    const cachedUrl = `${base}/d/${OVERVIEW}/?embed_token=${(await signer.sign({ dashboard: OVERVIEW, env: { ACCT_ID: '1' } })).token}`;
    await (await fetch(cachedUrl)).arrayBuffer();
    const tokens = await distinctTokens(storm);

    let storming = true;
    const cachedTimes: number[] = [];
    const watcher = (async () => {
      while (storming) {
        const start = performance.now();
        const response = await fetch(cachedUrl);
        await response.arrayBuffer();
        if (response.status === 200) cachedTimes.push(performance.now() - start);
      }
    })();
    const started = performance.now();
    const answers = await Promise.all(
      tokens.map(async (token) => {
        const start = performance.now();
        try {
          const response = await fetch(`${base}/d/${OVERVIEW}/?embed_token=${token}`);
          await response.arrayBuffer();
          return { status: response.status, retryAfter: response.headers.get('retry-after'), ms: performance.now() - start };
        } catch {
          return { status: 0, retryAfter: null, ms: performance.now() - start };
        }
      }),
    );
    const total = performance.now() - started;
    storming = false;
    await watcher;

    const ok = answers.filter((a) => a.status === 200);
    const busy = answers.filter((a) => a.status === 503 && a.retryAfter !== null);
    const other = answers.length - ok.length - busy.length;
    printTable(`The storm: ${storm} concurrent new tokens at one host (queue: 4 running, 64 waiting) while a cached token is requested throughout`, [
      { name: 'cached token during the storm', value: percentile(cachedTimes, 99), unit: 'ms p99', extra: { p50: `${median(cachedTimes).toFixed(1)} ms`, requests: cachedTimes.length, goal: 'p99 < 50 ms' } },
      { name: 'new tokens answered 200', value: ok.length, unit: 'requests', extra: { 'slowest': `${Math.round(Math.max(0, ...ok.map((a) => a.ms)))} ms` } },
      { name: 'new tokens answered 503 + Retry-After', value: busy.length, unit: 'requests', extra: { slowest: `${Math.round(Math.max(0, ...busy.map((a) => a.ms)))} ms` } },
      { name: 'new tokens answered otherwise', value: other, unit: 'requests', extra: { goal: 0, 'storm over in': `${Math.round(total)} ms` } },
    ], { baseline: 'cached token during the storm', higherIsBetter: false });
  } finally {
    await host.stop();
  }
}
