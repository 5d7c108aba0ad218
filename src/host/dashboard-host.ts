/**
 * `createDashboardHost`: the reference dashboard host (the Chartio side of the protocol), as a
 * Fetch-API handler. This file only wires the parts together, in the order that lets every
 * option fail before anything starts:
 * - the options, checked whole: `host-options.ts`;
 * - the dashboards, prepared once, and how a token becomes its dashboard (cached → joined → new
 *   run) for the page and the data route alike: `token-pages/`, over a store (`store/`);
 * - the audit log and the metrics (`observability/`), told by `serve/view-reports.ts`;
 * - the routes, the admin routes and the counters: `serve/request-handler.ts`.
 *
 * A new token's page streams its head and a "Loading…" line at once, then the dashboard when
 * its queries are done; the complete page, without Loading, is cached until the token's `exp`.
 * @module
 */
import { createAuditLog } from './observability/audit-log.js';
import { checkHostOptions, type DashboardHostOptions } from './host-options.js';
import { bindHostMetrics, type MetricsRecorder } from './observability/host-metrics.js';
import { HEALTH_PATH, METRICS_PATH, STATS_PATH } from './serve/host-routes.js';
import { RequestHandler } from './serve/request-handler.js';
import { viewReports } from './serve/view-reports.js';
import { createLocalPageStore } from './store/page-store.js';
import { createRedisPageStore } from './store/redis-page-store.js';
import { watchRevocations } from './store/redis-revocations.js';
import { PageRuns } from './token-pages/page-runs.js';
import { revivePage, serveDashboards } from './token-pages/served-dashboard.js';
import type { HostStats } from './types.js';

export { HEALTH_PATH, METRICS_PATH, STATS_PATH };

/** A Fetch-API handler with the host's extra methods. */
export interface DashboardHost {
  (request: Request): Promise<Response>;
  /** A snapshot of the counters. */
  stats(): HostStats;
  /**
   * The operator's routes, for a port of their own that only the operator can reach (never the
   * public one): `GET /stats`, `GET /metrics` (with `metrics`), `GET /healthz`; 404 otherwise.
   */
  readonly admin: (request: Request) => Promise<Response>;
  /** Refuses new requests (503), waits for runs under way, empties the cache, closes the audit file. */
  close(): Promise<void>;
}

/**
 * Creates the dashboard host: a Fetch-API handler (serve it on Node with `toNodeHandler`) that
 * also carries `stats()` and `close()`. Routes, under `basePath`:
 * - `GET /d/{dashboard}/?embed_token={JWT}`: the dashboard page (see the module doc);
 * - `GET /d/{dashboard}/data` with `Authorization: Bearer {JWT}`: the same dashboard as JSON,
 *   `{dashboard, main, charts, dataTime, stale}`, for in-place updates (the same cache entry and
 *   run as the page); `?refresh` runs its queries again (at most once per token per 10 s);
 * - `GET /d/{dashboard}/charts/{n}.csv` with `Authorization: Bearer {JWT}`: chart `n`'s rows as
 *   CSV, under the token's env, through the data source's queue (`download-route.ts`);
 * - `GET /stats`: the counters as JSON (only with `statsRoute: true`);
 * - `GET /metrics`: Prometheus metrics (only with `metrics` and `metricsRoute: true`);
 * - `GET /healthz`: 200 when every data source answers, else 503 (unless `healthRoute: false`).
 * `host.admin` serves `/stats`, `/metrics` and `/healthz` whatever those flags say, for a port of
 * its own that only the operator reaches.
 * Other methods get 405, other paths 404. Throws at once on a bad option: a short secret
 * (`EmbedError` `secret_too_short`), a bad origin, two dashboards with one id, echarts missing (for a dashboard with a drawn chart).
 *
 * @example
 * import { createServer } from 'node:http';
 * import { toNodeHandler } from 'chartio-embed/server';
 * import { createDashboardHost, createDuckDbDataSource, loadDashboardFiles } from 'chartio-embed/host';
 *
 * const database = await createDuckDbDataSource({ path: 'analytics.duckdb', config: { access_mode: 'READ_ONLY' } });
 * const host = createDashboardHost({
 *   organization: 16417,
 *   secret: process.env.CHARTIO_EMBED_SECRET!,
 *   dashboards: await loadDashboardFiles('dashboards'),
 *   database,
 *   frameAncestors: ['https://app.example.com'],
 * });
 * createServer(toNodeHandler(host)).listen(8080);
 * // later: await host.close(); await database.close();
 */
export function createDashboardHost(options: DashboardHostOptions): DashboardHost {
  const settings = checkHostOptions(options);
  const { log, sharedCache } = settings;
  const dashboards = serveDashboards(settings);

  // The last options that can throw, before anything is started: the audit sink (a file is
  // opened only once its options are good), then the metrics (bound to this host alone; they
  // read the handler's counters only when scraped, once it exists).
  const audit = settings.audit ? createAuditLog(settings.audit, log) : undefined;
  let recorder: MetricsRecorder | undefined;
  const sourceNames = new Map([...settings.dataSources].map(([name, source]) => [source, name]));
  try {
    if (settings.metrics) {
      recorder = bindHostMetrics(settings.metrics, {
        stats: () => handler.stats(),
        queues: () => [...settings.queues].map(([source, queue]) => [sourceNames.get(source)!, queue.counts()]),
        revocation: () => ({ unreadable: settings.revocations.unreadable(), onUnavailable: settings.revocations.onUnavailable }),
      });
    }
  } catch (error) {
    void audit?.close();
    throw error;
  }

  const bounds = { maxEntries: settings.maxEntries, maxBytes: settings.maxBytes, now: settings.now };
  const store = sharedCache
    ? createRedisPageStore(sharedCache, { ...bounds, log, revive: (stored) => revivePage(dashboards, stored) })
    : createLocalPageStore(bounds);
  const revocationWatch = sharedCache
    ? watchRevocations(sharedCache, { organization: settings.organization, revocations: settings.revocations, refreshMs: settings.revocationRefreshMs, log })
    : undefined;
  const runs = new PageRuns({
    verifier: settings.verifier,
    revocations: settings.revocations,
    revocationsReady: revocationWatch?.ready,
    onRun: (dashboard, seconds, failed) => recorder?.run(dashboard, seconds, failed),
    store,
    queryTimeoutMs: settings.queryTimeoutMs,
    failedPageTtlSeconds: settings.failedPageTtlSeconds,
    now: settings.now,
    log,
  });
  const reports = viewReports({ metrics: recorder, audit, organization: settings.organization, now: settings.now });
  const revocationErrors = () => revocationWatch?.errors() ?? 0;
  const handler = new RequestHandler({ settings, dashboards, runs, store, revocationErrors, recorder, reports });

  const host = ((request: Request) => handler.handle(request)) as DashboardHost;
  host.stats = () => handler.stats();
  Object.defineProperty(host, 'admin', { value: (request: Request) => handler.admin(request), enumerable: true });
  host.close = async () => {
    handler.close();
    revocationWatch?.close();
    await runs.close();
    await store.close();
    await audit?.close();
  };
  return host;
}
