/**
 * Prometheus metrics of a dashboard host, through `prom-client` (an optional peer dependency,
 * imported only when {@link createHostMetrics} is called). prom-client because it is what
 * Prometheus's own client list names for Node, it writes the text format exactly, and an app that
 * already exports metrics can merge its registry with the host's.
 *
 * Two kinds of metric: those counted as things happen (requests by status, query runs and their
 * durations by dashboard, refused tokens by code), and those read from the host's counters when
 * Prometheus scrapes (cache hits and misses, joined runs, queue depth, store errors), so the
 * path of a cached page gains no work for them.
 * @module
 */
import { importOptionalPeer } from '../sources/optional-peer.js';
import type { QueueCounts } from '../sources/run-queue.js';
import type { HostStats } from '../types.js';

/** Options of {@link createHostMetrics}. */
export interface HostMetricsOptions {
  /** Prefix of every metric's name (default `chartio_host_`). */
  prefix?: string;
  /** Also export Node's process metrics (CPU, memory, event loop lag) with prom-client's defaults (default true). */
  defaultMetrics?: boolean;
  /** Upper bounds of the query-run duration histogram's buckets, in seconds. */
  runBuckets?: readonly number[];
}

/** A host's metrics: give it to `createDashboardHost({ metrics })`, serve {@link HostMetrics.metrics} on `/metrics`. */
export interface HostMetrics {
  /** The Prometheus text of every metric: what `/metrics` serves. */
  metrics(): Promise<string>;
  /** The `Content-Type` of that text. */
  readonly contentType: string;
  /** prom-client's `Registry` the metrics live in (to merge with an app's own: `Registry.merge`). */
  readonly registry: unknown;
}

/** What a host tells its metrics as things happen. */
export interface MetricsRecorder {
  /** A request was answered: its route (`page`, `data`, `stats`, …) and status. */
  request(route: string, status: number): void;
  /** A dashboard's queries ran, for `seconds`; `failed` when a query in it failed. */
  run(dashboard: number, seconds: number, failed: boolean): void;
  /** A token was refused, with this code (`token_expired`, `token_revoked`, …). */
  refused(code: string): void;
}

/** What the metrics read from a host when scraped. */
export interface MetricsSource {
  stats(): HostStats;
  /** Each data source's queue counters, by the source's name. */
  queues(): Iterable<[string, QueueCounts]>;
  /** Whether the run-time revocation cut-offs cannot be read now, and what the host does meanwhile. */
  revocation?(): { readonly unreadable: boolean; readonly onUnavailable: 'serve' | 'refuse' };
}

/** Binds metrics to the one host that reports to them (module-private: hosts call {@link bindHostMetrics}). */
const binders = new WeakMap<HostMetrics, (source: MetricsSource) => MetricsRecorder>();

const DEFAULT_RUN_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Creates a host's metrics in a registry of their own. Throws a message naming `npm install
 * prom-client` when it is missing, and a `TypeError` for a bad option.
 *
 * @example
 * import { createServer } from 'node:http';
 * const metrics = await createHostMetrics();
 * const host = createDashboardHost({ organization, secret, dashboards, database, frameAncestors, metrics });
 * // /metrics on a port of its own, never public:
 * createServer(toNodeHandler(host.admin)).listen(9464, '127.0.0.1');
 */
export async function createHostMetrics(options: HostMetricsOptions = {}): Promise<HostMetrics> {
  const prefix = options.prefix ?? 'chartio_host_';
  if (typeof prefix !== 'string' || !/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(prefix)) {
    throw new TypeError(`metrics prefix must be a Prometheus name start like "chartio_host_", got ${JSON.stringify(prefix)}`);
  }
  const buckets = options.runBuckets ?? DEFAULT_RUN_BUCKETS;
  if (!Array.isArray(buckets) || buckets.length === 0 || buckets.some((bucket, i) => !(bucket > 0) || (i > 0 && bucket <= buckets[i - 1]!))) {
    throw new TypeError('runBuckets must be increasing positive numbers of seconds');
  }
  const client = await importOptionalPeer('prom-client', () => import('prom-client'), 'Serving metrics');
  const { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } = client;
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const requests = new Counter({ name: `${prefix}requests_total`, help: 'Requests answered, by route and HTTP status', labelNames: ['route', 'status'] as const, registers });
  const runs = new Counter({ name: `${prefix}query_runs_total`, help: 'Dashboard query runs made here, by dashboard and result (failed: a query in it failed)', labelNames: ['dashboard', 'result'] as const, registers });
  const runSeconds = new Histogram({ name: `${prefix}query_run_seconds`, help: 'Time a dashboard’s queries took to run, by dashboard', labelNames: ['dashboard'] as const, buckets: [...buckets], registers });
  const refusals = new Counter({ name: `${prefix}token_refusals_total`, help: 'Tokens refused, by code (token_expired, token_revoked, token_key_unknown, …)', labelNames: ['code'] as const, registers });

  let source: MetricsSource | undefined;
  const stats = (): HostStats | undefined => source?.stats();
  /** A counter whose value is read from the host's counters when scraped. */
  const pulled = (name: string, help: string, read: (stats: HostStats) => number) =>
    new Counter({
      name: `${prefix}${name}`,
      help,
      registers,
      collect() {
        const now = stats();
        this.reset();
        if (now) this.inc(read(now));
      },
    });
  new Counter({
    name: `${prefix}cache_hits_total`,
    help: 'Requests answered from a cache: this process’s (tier="local") or the shared Redis (tier="shared")',
    labelNames: ['tier'] as const,
    registers,
    collect() {
      const now = stats();
      this.reset();
      if (!now) return;
      this.inc({ tier: 'local' }, now.hits);
      this.inc({ tier: 'shared' }, now.sharedHits);
    },
  });
  pulled('cache_misses_total', 'Requests no cache could answer: a run of the dashboard’s queries, here or awaited from another instance', (now) => Math.max(0, now.misses - now.joinedRuns - now.sharedHits));
  pulled('joined_runs_total', 'Requests that joined a run already under way here for the same token', (now) => now.joinedRuns);
  pulled('awaited_runs_total', 'Runs this instance waited for while another instance ran them', (now) => now.awaitedRuns);
  pulled('store_errors_total', 'Operations on the shared Redis that failed or timed out (the host carried on without it)', (now) => now.storeErrors);
  new Gauge({
    name: `${prefix}queue_depth`,
    help: 'Dashboard runs per data source: running, and queued waiting their turn',
    labelNames: ['source', 'state'] as const,
    registers,
    collect() {
      this.reset();
      for (const [name, counts] of source?.queues() ?? []) {
        this.set({ source: name, state: 'running' }, counts.running);
        this.set({ source: name, state: 'queued' }, counts.queued);
      }
    },
  });
  new Counter({
    name: `${prefix}queue_full_total`,
    help: 'New tokens refused with 503 because their data source’s queue was full or their turn did not come in time',
    labelNames: ['source'] as const,
    registers,
    collect() {
      this.reset();
      for (const [name, counts] of source?.queues() ?? []) this.inc({ source: name }, counts.refused);
    },
  });
  new Counter({
    name: `${prefix}queue_wait_exceeded_total`,
    help: 'Of those, new tokens whose turn did not come within the queue’s maxWaitMs',
    labelNames: ['source'] as const,
    registers,
    collect() {
      this.reset();
      for (const [name, counts] of source?.queues() ?? []) this.inc({ source: name }, counts.timedOut);
    },
  });
  new Gauge({
    name: `${prefix}revocation_unavailable`,
    help: '1 while the run-time revocation cut-offs cannot be read from Redis; on_unavailable says whether tokens are served meanwhile (serve) or refused with 503 (refuse)',
    labelNames: ['on_unavailable'] as const,
    registers,
    collect() {
      this.reset();
      const now = source?.revocation?.();
      if (now) this.set({ on_unavailable: now.onUnavailable }, now.unreadable ? 1 : 0);
    },
  });
  new Gauge({
    name: `${prefix}cache_entries`,
    help: 'Pages in this process’s cache',
    registers,
    collect() {
      this.set(stats()?.entries ?? 0);
    },
  });
  new Gauge({
    name: `${prefix}cache_bytes`,
    help: 'Bytes of the pages in this process’s cache',
    registers,
    collect() {
      this.set(stats()?.bytes ?? 0);
    },
  });

  const metrics: HostMetrics = {
    metrics: () => registry.metrics(),
    contentType: registry.contentType,
    registry,
  };
  binders.set(metrics, (host) => {
    if (source) throw new TypeError('these metrics already report one host: call createHostMetrics() once per host');
    source = host;
    return {
      request: (route, status) => requests.inc({ route, status: String(status) }),
      run(dashboard, seconds, failed) {
        const label = String(dashboard);
        runs.inc({ dashboard: label, result: failed ? 'failed' : 'ok' });
        runSeconds.observe({ dashboard: label }, seconds);
      },
      refused: (code) => refusals.inc({ code }),
    };
  });
  return metrics;
}

/**
 * Connects metrics to the host that reports to them. Throws a `TypeError` for anything that is
 * not what {@link createHostMetrics} made, or metrics already bound to another host.
 *
 * @example
 * const recorder = bindHostMetrics(options.metrics, { stats, queues });
 */
export function bindHostMetrics(metrics: HostMetrics, source: MetricsSource): MetricsRecorder {
  const bind = binders.get(metrics);
  if (!bind) throw new TypeError('metrics must be what `await createHostMetrics()` resolves to');
  return bind(source);
}
