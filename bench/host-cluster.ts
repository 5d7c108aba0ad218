/**
 * Three dashboard hosts (`chartio-embed host`, the built CLI) behind haproxy round-robin, 200
 * concurrent first requests for 20 new tokens: how many query runs they cost, with the shared
 * Redis (goal: exactly 20, one per token) and without it (each instance runs what reaches it).
 * Loopback only; each instance holds the demo dataset in its own DuckDB.
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

/**
 * Runs the cluster benchmark and prints its table.
 * @example
 * await benchCluster(); // "## Three instances behind haproxy: …"
 */
export async function benchCluster(requests = 200, tokens = 20): Promise<void> {
  const folder = await mkdtemp(join(tmpdir(), 'chartio-bench-cluster-'));
  const redis = await startRedis();
  try {
    const rows: Row[] = [];
    for (const shared of [false, true]) {
      const config = {
        organization: ORGANIZATION,
        dashboards: DEMO_DASHBOARDS,
        dataSources: { demo: { type: 'duckdb', path: ':memory:', setup: DEMO_DATASET_SQL } },
        ...(shared ? { redis: { url: redis.url, keyPrefix: `bench${Date.now()}:` } } : {}),
        port: 0,
        frameAncestors: [],
        statsRoute: true,
      };
      const hosts: HostProcess[] = await Promise.all(['a', 'b', 'c'].map((name) => startHostProcess(folder, `${name}-${shared}`, config, BENCH_SECRET)));
      const balancer = await startHaproxy(hosts.map((host) => host.port));
      try {
        const signed = await distinctTokens(tokens);
        const started = performance.now();
        const answers = await Promise.all(
          Array.from({ length: requests }, async (_, i) => {
            const response = await fetch(`${balancer.url}/d/${OVERVIEW}/?embed_token=${signed[i % tokens]}`);
            await response.arrayBuffer();
            return response.status;
          }),
        );
        const ms = performance.now() - started;
        const stats = await Promise.all(hosts.map(async (host) => (await (await fetch(`${host.url}/stats`)).json()) as { queryRuns: number }));
        rows.push({
          name: shared ? 'with Redis (one shared cache)' : 'without Redis (a cache per instance)',
          value: stats.reduce((sum, s) => sum + s.queryRuns, 0),
          unit: 'query runs',
          extra: { 'all 200': answers.every((status) => status === 200) ? 'yes' : `no (${answers.filter((s) => s !== 200).length} not)`, 'all answered in': `${Math.round(ms)} ms` },
        });
      } finally {
        await balancer.stop();
        await Promise.all(hosts.map((host) => host.terminate()));
      }
    }
    printTable(`Three instances behind haproxy: ${requests} concurrent first requests for ${tokens} tokens`, rows, {
      baseline: 'without Redis (a cache per instance)',
      higherIsBetter: false,
    });
    console.log(`(goal with Redis: exactly ${tokens} runs, one per token)`);
  } finally {
    await redis.stop();
    await rm(folder, { recursive: true, force: true });
  }
}
