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
import { loadChartLibrary, serveAsset, type StaticAsset } from './chart-library.js';
import { assertEveryChartFiltered } from './dashboard-definition.js';
import { serveDownload } from './download-route.js';
import { checkHealth, type HealthReport } from './health-check.js';
import { checkHostOptions } from './host-options.js';
import { bearerToken, CHART_LIBRARY_PATH, HEALTH_PATH, pageToken, routeOf, STATS_PATH } from './host-routes.js';
import { dataError, dataResponse, PageResponses } from './page-responses.js';
import { describe, PageRuns, type ServedDashboard } from './page-runs.js';
import { createLocalPageStore } from './page-store.js';
import { createRedisPageStore } from './redis-page-store.js';
import { RenderedPage, type StoredPage } from './rendered-page.js';
import { LOADING_HTML, needsChartLibrary, renderPageHead } from './render-page.js';
import { contentSecurityPolicy, pageHeaders } from './security-headers.js';
import type { DashboardHost, DashboardHostOptions, HostStats } from './types.js';

export { CHART_LIBRARY_PATH, HEALTH_PATH, STATS_PATH };

const encoder = new TextEncoder();

/**
 * Creates the dashboard host: a Fetch-API handler (serve it on Node with `toNodeHandler`) that
 * also carries `stats()` and `close()`. Routes, under `basePath`:
 * - `GET /d/{dashboard}/?embed_token={JWT}`: the dashboard page (see the module doc);
 * - `GET /d/{dashboard}/data` with `Authorization: Bearer {JWT}`: the same dashboard as JSON,
 *   `{dashboard, main, charts}`, for in-place updates (the same cache entry and run as the page);
 * - `GET /d/{dashboard}/charts/{n}.csv` with `Authorization: Bearer {JWT}`: chart `n`'s rows as
 *   CSV, under the token's env, through the data source's queue (`download-route.ts`);
 * - `GET /assets/chart.js`: the chart library (when a dashboard has a line or bar chart);
 * - `GET /stats`: the counters as JSON (unless `statsRoute: false`);
 * - `GET /healthz`: 200 when every data source answers, else 503 (unless `healthRoute: false`).
 * Other methods get 405, other paths 404. Throws at once on a bad option: a short secret
 * (`EmbedError` `secret_too_short`), a bad origin, two dashboards with one id, chart.js missing.
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
  const chartLibrary: StaticAsset | undefined = settings.dashboards.some(needsChartLibrary) ? loadChartLibrary() : undefined;
  const chartScriptUrl = chartLibrary ? `${settings.basePath}${CHART_LIBRARY_PATH}?v=${chartLibrary.version}` : undefined;

  const dashboards = new Map<number, ServedDashboard>();
  for (const definition of settings.dashboards) {
    // Files were checked when parsed; a definition made or changed in code is checked here, downloads included.
    assertEveryChartFiltered(definition);
    const head = renderPageHead(definition, {
      parentOrigins: settings.parentOrigins,
      chartScriptUrl: needsChartLibrary(definition) ? chartScriptUrl : undefined,
    });
    const database = settings.sourceOf.get(definition.id)!;
    const queue = settings.queues.get(database)!;
    dashboards.set(definition.id, { definition, head: encoder.encode(head), headWithLoading: encoder.encode(head + LOADING_HTML), database, queue });
  }

  const bounds = { maxEntries: settings.maxEntries, maxBytes: settings.maxBytes, now: settings.now };
  const store = settings.sharedCache
    ? createRedisPageStore(settings.sharedCache, { ...bounds, log, revive: (stored) => revive(dashboards, stored) })
    : createLocalPageStore(bounds);
  const runs = new PageRuns({
    verifier: settings.verifier,
    store,
    queryTimeoutMs: settings.queryTimeoutMs,
    failedPageTtlSeconds: settings.failedPageTtlSeconds,
    now: settings.now,
    log,
  });
  const downloads = { verifier: settings.verifier, queryTimeoutMs: settings.queryTimeoutMs, retryAfterSeconds: settings.retryAfterSeconds, log };
  const responses = new PageResponses(pageHeaders(contentSecurityPolicy(settings.frameAncestors)), settings.retryAfterSeconds, settings.parentOrigins);
  let closed = false;

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const route = routeOf(url.pathname, settings.basePath);
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
        return responses.page(await runs.serve(token, served), served.headWithLoading);
      }
      case 'data': {
        const served = dashboards.get(route.dashboard);
        if (!served) return dataError('not_found');
        const token = bearerToken(request.headers.get('authorization'));
        if (token === undefined) return dataResponse(refuseMissingToken(), settings.retryAfterSeconds);
        return dataResponse(await runs.serve(token, served), settings.retryAfterSeconds);
      }
      case 'download': {
        const served = dashboards.get(route.dashboard);
        if (!served) return dataError('not_found');
        return serveDownload(bearerToken(request.headers.get('authorization')), served, route.chart, downloads);
      }
      case 'stats':
        if (!settings.statsRoute) break;
        return new Response(JSON.stringify(stats()), {
          status: 200,
          headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
        });
      case 'health':
        break;
      case 'chart-library':
        if (!chartLibrary) break;
        return serveAsset(chartLibrary, request.headers, 'text/javascript; charset=utf-8');
      case 'not-found':
        break;
    }
    return responses.error('not_found');
  }

  async function healthResponse(): Promise<Response> {
    const report: HealthReport = closed ? { status: 'closing', dataSources: {} } : await checkHealth(settings.dataSources);
    return new Response(JSON.stringify(report), {
      status: report.status === 'ready' ? 200 : 503,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
    });
  }

  /** A request with no token is refused like a bad one, and counted with them. */
  function refuseMissingToken() {
    rejectedWithoutToken++;
    return { kind: 'refused', code: 'token_missing' } as const;
  }
  let rejectedWithoutToken = 0;

  function stats(): HostStats {
    const counts = runs.counts();
    const queues = { runsRunning: 0, runsQueued: 0, queueFull: 0 };
    for (const queue of settings.queues.values()) {
      const { running, queued, refused } = queue.counts();
      queues.runsRunning += running;
      queues.runsQueued += queued;
      queues.queueFull += refused;
    }
    return { ...counts, rejectedTokens: counts.rejectedTokens + rejectedWithoutToken, ...store.counts(), ...queues };
  }

  const host = (async (request: Request): Promise<Response> => {
    try {
      return await handle(request);
    } catch (error) {
      log({ level: 'error', event: 'request_failed', message: 'a request failed unexpectedly', detail: describe(error) });
      return responses.error('internal_error');
    }
  }) as DashboardHost;
  host.stats = stats;
  host.close = async () => {
    closed = true;
    await runs.close();
    await store.close();
  };
  return host;
}

/** A page from the shared cache, with this host's head for its dashboard (undefined: not served here). */
function revive(dashboards: ReadonlyMap<number, ServedDashboard>, stored: StoredPage): RenderedPage | undefined {
  const served = dashboards.get(stored?.claims?.dashboard);
  if (!served || typeof stored.main !== 'string' || typeof stored.charts !== 'string' || typeof stored.expiresAt !== 'number') return undefined;
  return RenderedPage.create(served.head, stored);
}
