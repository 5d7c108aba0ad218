/**
 * `createDashboardHost`: the reference dashboard host (the Chartio side of the protocol), as a
 * Fetch-API handler. This file wires the parts together and routes requests:
 * - options: `host-options.ts`;
 * - routes: `host-routes.ts`;
 * - how a token becomes its dashboard (cached → joined → new run), for the page and the data
 *   route alike: `page-runs.ts`, over a store (`page-store.ts`);
 * - the answers: `page-responses.ts`.
 *
 * A new token's page streams its head and a "Loading…" line at once, then the dashboard when
 * its queries are done; the complete page, without Loading, is cached until the token's `exp`.
 * Only the token's `env` feeds the queries; the URL's other query parameters are ignored.
 * @module
 */
import { serveDownload, type DownloadReport, type DownloadRouteOptions } from './serve/download-route.js';
import { checkHealth, type HealthReport } from './serve/health-check.js';
import { checkHostOptions, type DashboardHostOptions } from './host-options.js';
import { bearerToken, HEALTH_PATH, METRICS_PATH, pageToken, routeOf, STATS_PATH, type Route } from './serve/host-routes.js';
import { bindHostMetrics, type MetricsRecorder } from './host-metrics.js';
import { createAuditLog } from './audit-log.js';
import { errorDetail } from './host-log.js';
import { bytesResponse } from './serve/bytes-response.js';
import { dataError, dataResponse, PageResponses } from './serve/page-responses.js';
import type { PageOutcome } from './token-pages/page-outcome.js';
import { PageRuns } from './token-pages/page-runs.js';
import { revivePage, serveDashboards } from './token-pages/served-dashboard.js';
import { watchRevocations } from './store/redis-revocations.js';
import { createLocalPageStore } from './store/page-store.js';
import { createRedisPageStore } from './store/redis-page-store.js';
import { contentSecurityPolicy, pageHeaders } from './page/security-headers.js';
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
  const { log } = settings;
  const dashboards = serveDashboards(settings);

  // The last options that can throw, before anything is started: the audit sink (a file is
  // opened only once its options are good), then the metrics (bound to this host alone).
  const audit = settings.audit ? createAuditLog(settings.audit, log) : undefined;
  let metrics: MetricsRecorder | undefined;
  const sourceNames = new Map([...settings.dataSources].map(([name, source]) => [source, name]));
  try {
    if (settings.metrics) {
      metrics = bindHostMetrics(settings.metrics, {
        stats,
        queues: () => [...settings.queues].map(([source, queue]) => [sourceNames.get(source)!, queue.counts()]),
        revocation: () => ({ unreadable: settings.revocations.unreadable(), onUnavailable: settings.revocations.onUnavailable }),
      });
    }
  } catch (error) {
    void audit?.close();
    throw error;
  }
  const bounds = { maxEntries: settings.maxEntries, maxBytes: settings.maxBytes, now: settings.now };
  const store = settings.sharedCache
    ? createRedisPageStore(settings.sharedCache, { ...bounds, log, revive: (stored) => revivePage(dashboards, stored) })
    : createLocalPageStore(bounds);
  const revocationWatch = settings.sharedCache
    ? watchRevocations(settings.sharedCache, { organization: settings.organization, revocations: settings.revocations, refreshMs: settings.revocationRefreshMs, log })
    : undefined;
  const runs = new PageRuns({
    verifier: settings.verifier,
    revocations: settings.revocations,
    revocationsReady: revocationWatch?.ready,
    onRun: (dashboard, seconds, failed) => metrics?.run(dashboard, seconds, failed),
    store,
    queryTimeoutMs: settings.queryTimeoutMs,
    failedPageTtlSeconds: settings.failedPageTtlSeconds,
    now: settings.now,
    log,
  });
  const downloads: DownloadRouteOptions = {
    runs,
    queryTimeoutMs: settings.queryTimeoutMs,
    maxBytes: settings.downloadMaxBytes,
    retryAfterSeconds: settings.retryAfterSeconds,
    log,
    ...(metrics || audit ? { report: (download: DownloadReport) => reportDownload(download) } : {}),
  };
  const responses = new PageResponses(pageHeaders(contentSecurityPolicy(settings.frameAncestors)), settings.retryAfterSeconds, settings.parentOrigins);
  /** Told about every dashboard view, when metrics or the audit log listen. */
  const viewed = metrics || audit ? (view: ViewReport) => reportView(view) : undefined;
  let closed = false;

  async function handle(request: Request, url: URL, route: Route): Promise<Response> {
    // The routes a page script fetches answer in JSON, errors included.
    const isData = route.kind === 'data' || route.kind === 'download';
    if (route.kind === 'health' && settings.healthRoute && request.method === 'GET') return healthResponse();
    if (closed) return isData ? dataError('host_closed') : responses.error('host_closed');
    if (request.method !== 'GET') {
      const allow: [string, string][] = [['allow', 'GET']];
      return isData ? dataError('method_not_allowed', undefined, allow) : responses.error('method_not_allowed', undefined, allow);
    }
    switch (route.kind) {
      case 'page': {
        const served = dashboards.get(route.dashboard);
        if (!served) return responses.error('not_found');
        const token = pageToken(url);
        if (token === undefined) return responses.page(refuseMissingToken(), served.headWithLoading);
        const started = viewed && performance.now();
        const outcome = await runs.serve(token, served);
        const response = responses.page(outcome, served.headWithLoading);
        viewed?.({ route: 'page', token, dashboard: route.dashboard, outcome, status: response.status, started: started! });
        return response;
      }
      case 'data': {
        const served = dashboards.get(route.dashboard);
        if (!served) return dataError('not_found');
        const token = bearerToken(request.headers.get('authorization'));
        if (token === undefined) return dataResponse(refuseMissingToken(), settings.retryAfterSeconds);
        const started = viewed && performance.now();
        // `?refresh`: the viewer asked for fresh data (refresh()): run again, at most once per 10 s.
        const outcome = url.searchParams.has('refresh') ? await runs.refresh(token, served) : await runs.serve(token, served);
        const response = await dataResponse(outcome, settings.retryAfterSeconds, served.maxAgeMs, settings.now);
        viewed?.({ route: 'data', token, dashboard: route.dashboard, outcome, status: response.status, started: started! });
        return response;
      }
      case 'download': {
        const served = dashboards.get(route.dashboard);
        if (!served) return dataError('not_found');
        const token = bearerToken(request.headers.get('authorization'));
        // Counted with the other requests that carried no token.
        if (token === undefined) refuseMissingToken();
        return serveDownload(token, served, route.chart, downloads);
      }
      case 'stats':
        if (!settings.statsRoute) break;
        return statsResponse();
      case 'metrics':
        if (!settings.metricsRoute) break;
        return metricsResponse();
      case 'health':
        break;
      case 'not-found':
        break;
    }
    return responses.error('not_found');
  }

  /** The operator's routes, whatever the public flags say: for a port only the operator reaches. */
  async function admin(request: Request): Promise<Response> {
    const route = routeOf(new URL(request.url).pathname, '');
    let response: Response;
    if (request.method !== 'GET') response = adminAnswer(405, 'text/plain; charset=utf-8', 'This address answers GET requests only.\n');
    else if (route.kind === 'health') response = await healthResponse();
    else if (route.kind === 'stats') response = statsResponse();
    else if (route.kind === 'metrics' && settings.metrics) response = await metricsResponse();
    else response = adminAnswer(404, 'text/plain; charset=utf-8', 'Not found: the admin port serves /stats, /metrics and /healthz.\n');
    metrics?.request(`admin-${route.kind}`, response.status);
    return response;
  }

  function statsResponse(): Response {
    return adminAnswer(200, 'application/json; charset=utf-8', JSON.stringify(stats()));
  }

  async function metricsResponse(): Promise<Response> {
    return adminAnswer(200, settings.metrics!.contentType, await settings.metrics!.metrics());
  }

  async function healthResponse(): Promise<Response> {
    const report: HealthReport = closed ? { status: 'closing', dataSources: {} } : await checkHealth(settings.dataSources);
    return adminAnswer(report.status === 'ready' ? 200 : 503, 'application/json; charset=utf-8', JSON.stringify(report));
  }

  /** A request with no token is refused like a bad one, and counted with them. */
  function refuseMissingToken() {
    rejectedWithoutToken++;
    metrics?.refused('token_missing');
    return { kind: 'refused', code: 'token_missing' } as const;
  }
  let rejectedWithoutToken = 0;

  /** Metrics' refusals by code, and the audit line, once the view's answer is complete. */
  function reportView(view: ViewReport): void {
    const { outcome } = view;
    if (outcome.kind === 'refused') metrics?.refused(outcome.code);
    if (!audit) return;
    const time = new Date(settings.now()).toISOString();
    const write = (code: string, status: number) =>
      audit.write({
        time,
        organization: settings.organization,
        dashboard: view.dashboard,
        route: view.route,
        rawToken: view.token,
        env: outcome.kind === 'ready' ? outcome.page.claims.env : outcome.claims?.env,
        served: outcome.kind === 'refused' ? 'refused' : outcome.via,
        durationMs: Math.round((performance.now() - view.started) * 1000) / 1000,
        status,
        code,
      });
    if (outcome.kind === 'refused') write(outcome.code, view.status);
    else if (outcome.kind === 'ready' || view.route === 'data') write(view.status === 200 ? 'ok' : 'internal_error', view.status);
    // A streamed page: complete when its run ends (its status was 200 from the start).
    else outcome.page.then(() => write('ok', view.status), () => write('internal_error', view.status));
  }

  /** A download's refusal in the metrics (as a page's), and its audit line, once it has ended. */
  function reportDownload(download: DownloadReport): void {
    if (download.refused && (download.code.startsWith('token_') || download.code === 'queue_full')) metrics?.refused(download.code);
    if (!audit) return;
    const { progress } = download;
    audit.write({
      time: new Date(settings.now()).toISOString(),
      organization: settings.organization,
      dashboard: download.dashboard,
      route: 'download',
      chart: download.chart,
      rawToken: download.token,
      env: download.claims?.env,
      served: download.refused ? 'refused' : 'run',
      durationMs: Math.round((performance.now() - download.started) * 1000) / 1000,
      status: download.status,
      code: download.code,
      ...(progress ? { rows: progress.rows, bytes: progress.bytes, truncated: progress.truncated !== undefined } : {}),
    });
  }

  function stats(): HostStats {
    const counts = runs.counts();
    const queues = { runsRunning: 0, runsQueued: 0, queueFull: 0 };
    for (const queue of settings.queues.values()) {
      const { running, queued, refused } = queue.counts();
      queues.runsRunning += running;
      queues.runsQueued += queued;
      queues.queueFull += refused;
    }
    const stored = store.counts();
    return {
      ...counts,
      rejectedTokens: counts.rejectedTokens + rejectedWithoutToken,
      ...stored,
      storeErrors: stored.storeErrors + (revocationWatch?.errors() ?? 0),
      ...queues,
    };
  }

  const host = (async (request: Request): Promise<Response> => {
    let route: Route | undefined;
    let response: Response;
    try {
      const url = new URL(request.url);
      route = routeOf(url.pathname, settings.basePath);
      response = await handle(request, url, route);
    } catch (error) {
      log({ level: 'error', event: 'request_failed', message: 'a request failed unexpectedly', detail: errorDetail(error) });
      response = responses.error('internal_error');
    }
    metrics?.request(route?.kind ?? 'not-found', response.status);
    return response;
  }) as DashboardHost;
  host.stats = stats;
  Object.defineProperty(host, 'admin', { value: admin, enumerable: true });
  host.close = async () => {
    closed = true;
    revocationWatch?.close();
    await runs.close();
    await store.close();
    await audit?.close();
  };
  return host;
}

/** A dashboard view as the handler reports it. */
interface ViewReport {
  readonly route: 'page' | 'data';
  readonly token: string;
  readonly dashboard: number;
  readonly outcome: PageOutcome;
  /** The status sent. */
  readonly status: number;
  /** `performance.now()` when the request arrived. */
  readonly started: number;
}

/** An answer of the operator's routes: never cached, never sniffed. */
function adminAnswer(status: number, contentType: string, body: string): Response {
  return bytesResponse(status, [['content-type', contentType], ['cache-control', 'no-store'], ['x-content-type-options', 'nosniff']], body);
}
