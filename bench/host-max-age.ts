/**
 * Max age under load: three dashboard hosts (`chartio-embed host`, the built CLI) sharing one
 * Redis behind haproxy, 20 tokens viewed continuously (8 concurrent viewers, round-robin over the
 * tokens) for a bounded time, with `maxAge` 10 s and with `"exp"`: the query runs they cost
 * (goal with 10 s: about 20 × (seconds ÷ 10), one per token per max age, plus the 20 first runs)
 * and the cached views' p99 (goal: unchanged against `"exp"`). Loopback only; each instance holds
 * the demo dataset in its own DuckDB.
 * @module
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_DATASET_SQL } from '../demo/dataset/demo-dataset.js';
import { startHaproxy } from '../test/launchers/haproxy-server.js';
import { startRedis } from '../test/launchers/redis-server.js';
import { startHostProcess, type HostProcess } from '../test/cluster/support.js';
import { printTable, type Row } from './format.js';
import { distinctTokens } from './host.js';
import { BENCH_SECRET, ORGANIZATION } from './servers/session.js';

const OVERVIEW = 38727;
const DEMO_DASHBOARDS = new URL('../demo/dashboards/', import.meta.url).pathname;

/** The `p` quantile of sorted values. */
const quantile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

/**
 * Runs the max-age benchmark (each setting for `seconds`, at most 60) and prints its table.
 * @example
 * await benchMaxAge(30); // "## Max age under load: …"
 */
export async function benchMaxAge(seconds = Number(process.env.BENCH_SECONDS ?? 30), tokens = 20, viewers = 8): Promise<void> {
  const duration = Math.min(seconds, 60) * 1000;
  const folder = await mkdtemp(join(tmpdir(), 'chartio-bench-max-age-'));
  const redis = await startRedis();
  try {
    const rows: Row[] = [];
    for (const maxAge of ['exp', 10] as const) {
      const config = {
        organization: ORGANIZATION,
        dashboards: DEMO_DASHBOARDS,
        dataSources: { demo: { type: 'duckdb', path: ':memory:', setup: DEMO_DATASET_SQL } },
        redis: { url: redis.url, keyPrefix: `bench${Date.now()}:` },
        maxAge,
        port: 0,
        frameAncestors: [],
        statsRoute: true,
      };
      const hosts: HostProcess[] = await Promise.all(['a', 'b', 'c'].map((name) => startHostProcess(folder, `${name}-${maxAge}`, config, BENCH_SECRET)));
      const balancer = await startHaproxy(hosts.map((host) => host.port));
      try {
        const signed = await distinctTokens(tokens);
        const view = async (token: string) => {
          const started = performance.now();
          const response = await fetch(`${balancer.url}/d/${OVERVIEW}/?embed_token=${token}`);
          await response.arrayBuffer();
          return { ms: performance.now() - started, ok: response.status === 200 };
        };
        // Every token once on every instance first: the runs of first views are not what is measured.
        await Promise.all(signed.flatMap((token) => [view(token), view(token), view(token)]));
        const latencies: number[] = [];
        let failed = 0;
        const end = performance.now() + duration;
        await Promise.all(
          Array.from({ length: viewers }, async (_, viewer) => {
            for (let i = viewer; performance.now() < end; i += viewers) {
              const { ms, ok } = await view(signed[i % tokens]!);
              latencies.push(ms);
              if (!ok) failed++;
            }
          }),
        );
        const stats = await Promise.all(hosts.map(async (host) => (await (await fetch(`${host.url}/stats`)).json()) as { queryRuns: number }));
        const runs = stats.reduce((sum, s) => sum + s.queryRuns, 0) - tokens;
        latencies.sort((a, b) => a - b);
        rows.push({
          name: `maxAge ${JSON.stringify(maxAge)}`,
          value: quantile(latencies, 0.99),
          unit: 'ms p99',
          extra: {
            'query runs after the first views': runs,
            expected: maxAge === 'exp' ? 0 : `≈ ${tokens * Math.floor(duration / 1000 / maxAge)}`,
            p50: `${quantile(latencies, 0.5).toFixed(2)} ms`,
            views: latencies.length,
            'not 200': failed,
          },
        });
      } finally {
        await balancer.stop();
        await Promise.all(hosts.map((host) => host.terminate()));
      }
    }
    printTable(`Max age under load: 3 instances, Redis, haproxy, ${tokens} tokens viewed for ${duration / 1000} s by ${viewers} viewers`, rows, {
      baseline: 'maxAge "exp"',
      higherIsBetter: false,
      targets: { 'maxAge 10': { ratio: 1.2, label: 'p99 ≤ 1.2× "exp"' } },
    });
  } finally {
    await redis.stop();
    await rm(folder, { recursive: true, force: true });
  }
}
