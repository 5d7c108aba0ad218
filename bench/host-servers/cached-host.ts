// The dashboard host as the demo runs it (demo dataset in DuckDB, the demo's dashboards) behind
// toNodeHandler on node:http, in a process of its own. Options: --redis URL shares pages through
// Redis; --local-entries N bounds this instance's own cache (1: nearly every hit comes from Redis);
// --queue C,Q[,W] sets the run queue (concurrency, maxQueued, maxWaitMs). Tokens are signed by the parent with BENCH_SECRET.
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createDashboardHost, createRedisCache, loadDashboardFiles } from '../../src/host/index.js';
import { toNodeHandler } from '../../src/server/index.js';
import { createDemoDatabase } from '../../demo/dataset/demo-dataset.js';
import { BENCH_SECRET, ORGANIZATION, announce } from '../servers/session.js';

const { values } = parseArgs({ options: { redis: { type: 'string' }, 'local-entries': { type: 'string' }, queue: { type: 'string' } } });
const [database, dashboards] = await Promise.all([
  createDemoDatabase(),
  loadDashboardFiles(fileURLToPath(new URL('../../demo/dashboards/', import.meta.url))),
]);
const sharedCache = values.redis ? await createRedisCache({ url: values.redis }) : undefined;
const [concurrency, maxQueued, maxWaitMs] = (values.queue ?? '4,64').split(',').map(Number);
const host = createDashboardHost({
  organization: ORGANIZATION,
  secret: BENCH_SECRET,
  dashboards,
  database,
  frameAncestors: ['http://127.0.0.1:8080'],
  ...(sharedCache ? { sharedCache } : {}),
  cache: { maxEntries: Number(values['local-entries'] ?? 1000) },
  queue: { concurrency: concurrency!, maxQueued: maxQueued!, ...(maxWaitMs === undefined ? {} : { maxWaitMs }) },
  log: () => undefined,
  // The benchmark reads the counters at /stats (off by default).
  statsRoute: true,
});
announce(createServer(toNodeHandler(host)));
