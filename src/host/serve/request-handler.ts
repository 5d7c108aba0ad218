/**
 * The host's request handling: the public routes (a dashboard's page, its data and its CSV
 * downloads, and `/stats`, `/metrics`, `/healthz` where the host's flags allow them) and the
 * operator's routes on the admin handler, each answer counted in the metrics; the requests that
 * carried no token, refused and counted with the rejected tokens; the host's counters; and the
 * closing state (new requests refused with 503, `/healthz` answering `closing`).
 *
 * A page or data request asks the token → page service (`token-pages/`) for its dashboard and
 * turns the outcome into HTML or JSON (`page-responses.ts`); only the token's `env` feeds the
 * queries, the URL's other query parameters are ignored.
 * @module
 */
import { acceptsBrotli } from './accept-encoding.js';
import { errorDetail } from '../observability/host-log.js';
import type { HostSettings } from '../host-options.js';
import type { MetricsRecorder } from '../observability/host-metrics.js';
import { contentSecurityPolicy, pageHeaders } from '../page/security-headers.js';
import type { PageStore } from '../store/page-store.js';
import type { PageOutcome } from '../token-pages/page-outcome.js';
import type { PageRuns } from '../token-pages/page-runs.js';
import type { ServedDashboard } from '../token-pages/served-dashboard.js';
import type { HostStats } from '../types.js';
import { adminMethodNotAllowed, adminNotFound, healthAnswer, metricsAnswer, statsAnswer } from './admin-answers.js';
import { serveDownload, type DownloadRouteOptions } from './download-route.js';
import { sumHostStats } from './host-stats.js';
import { bearerToken, pageToken, routeOf, type Route } from './host-routes.js';
import { dataError, dataResponse, PageResponses } from './page-responses.js';
import type { ViewReport, ViewReports } from './view-reports.js';

/** What the handler reads of the host's checked settings. */
export type HandlerSettings = Pick<
  HostSettings,
  | 'basePath'
  | 'statsRoute'
  | 'metricsRoute'
  | 'healthRoute'
  | 'metrics'
  | 'dataSources'
  | 'queues'
  | 'frameAncestors'
  | 'parentOrigins'
  | 'retryAfterSeconds'
  | 'queryTimeoutMs'
  | 'downloadMaxBytes'
  | 'now'
  | 'log'
>;

/** The parts of one host the handler answers with. */
export interface RequestHandlerParts {
  readonly settings: HandlerSettings;
  readonly dashboards: ReadonlyMap<number, ServedDashboard>;
  readonly runs: PageRuns;
  readonly store: Pick<PageStore, 'counts'>;
  /** Failed reads of the run-time revocation cut-offs so far (0 without a shared store). */
  readonly revocationErrors: () => number;
  /** The host's metrics, bound to it (undefined: none). */
  readonly recorder: MetricsRecorder | undefined;
  readonly reports: ViewReports;
}

/**
 * The request handler of one host.
 *
 * @example
 * const handler = new RequestHandler({ settings, dashboards, runs, store, revocationErrors: () => 0, recorder: undefined, reports });
 * const response = await handler.handle(new Request('https://dash.example.com/d/38727/?embed_token=' + token));
 */
export class RequestHandler {
  readonly #parts: RequestHandlerParts;
  readonly #settings: HandlerSettings;
  readonly #responses: PageResponses;
  readonly #downloads: DownloadRouteOptions;
  #closed = false;
  #rejectedWithoutToken = 0;

  constructor(parts: RequestHandlerParts) {
    const { settings, reports } = parts;
    this.#parts = parts;
    this.#settings = settings;
    this.#responses = new PageResponses(pageHeaders(contentSecurityPolicy(settings.frameAncestors)), settings.retryAfterSeconds, settings.parentOrigins);
    this.#downloads = {
      runs: parts.runs,
      queryTimeoutMs: settings.queryTimeoutMs,
      maxBytes: settings.downloadMaxBytes,
      retryAfterSeconds: settings.retryAfterSeconds,
      log: settings.log,
      ...(reports.download ? { report: reports.download } : {}),
    };
  }

  /**
   * The public handler: routes under `basePath` (see `createDashboardHost`), never rejects (an
   * unexpected error is logged and answered with the `internal_error` page).
   *
   * @example
   * createServer(toNodeHandler((request) => handler.handle(request)));
   */
  async handle(request: Request): Promise<Response> {
    let route: Route | undefined;
    let response: Response;
    try {
      const url = new URL(request.url);
      route = routeOf(url.pathname, this.#settings.basePath);
      response = await this.#answer(request, url, route);
    } catch (error) {
      this.#settings.log({ level: 'error', event: 'request_failed', message: 'a request failed unexpectedly', detail: errorDetail(error) });
      response = this.#responses.error('internal_error');
    }
    this.#parts.recorder?.request(route?.kind ?? 'not-found', response.status);
    return response;
  }

  /**
   * The operator's routes, whatever the public flags say: for a port only the operator reaches.
   *
   * @example
   * createServer(toNodeHandler((request) => handler.admin(request))).listen(9464, '127.0.0.1');
   */
  async admin(request: Request): Promise<Response> {
    const route = routeOf(new URL(request.url).pathname, '');
    const { metrics, dataSources } = this.#settings;
    let response: Response;
    if (request.method !== 'GET') response = adminMethodNotAllowed();
    else if (route.kind === 'health') response = await healthAnswer(dataSources, this.#closed);
    else if (route.kind === 'stats') response = statsAnswer(this.stats());
    else if (route.kind === 'metrics' && metrics) response = await metricsAnswer(metrics);
    else response = adminNotFound();
    this.#parts.recorder?.request(`admin-${route.kind}`, response.status);
    return response;
  }

  /** A snapshot of the host's counters. */
  stats(): HostStats {
    const { runs, store, revocationErrors } = this.#parts;
    const queues = [...this.#settings.queues.values()].map((queue) => queue.counts());
    return sumHostStats({ runs: runs.counts(), stored: store.counts(), queues, rejectedWithoutToken: this.#rejectedWithoutToken, revocationErrors: revocationErrors() });
  }

  /** From now on new requests get 503 `host_closed`, and `/healthz` answers 503 `closing`. */
  close(): void {
    this.#closed = true;
  }

  async #answer(request: Request, url: URL, route: Route): Promise<Response> {
    const { dashboards, runs } = this.#parts;
    const settings = this.#settings;
    const responses = this.#responses;
    // The routes a page script fetches answer in JSON, errors included.
    const isData = route.kind === 'data' || route.kind === 'download';
    if (route.kind === 'health' && settings.healthRoute && request.method === 'GET') return healthAnswer(settings.dataSources, this.#closed);
    if (this.#closed) return isData ? dataError('host_closed') : responses.error('host_closed');
    if (request.method !== 'GET') {
      const allow: [string, string][] = [['allow', 'GET']];
      return isData ? dataError('method_not_allowed', undefined, allow) : responses.error('method_not_allowed', undefined, allow);
    }
    switch (route.kind) {
      case 'page': {
        const served = dashboards.get(route.dashboard);
        if (!served) return responses.error('not_found');
        const token = pageToken(url);
        if (token === undefined) return responses.page(this.#refuseMissingToken(), served.headWithLoading);
        const brotli = acceptsBrotli(request.headers.get('accept-encoding'));
        return this.#view('page', token, served, () => runs.serve(token, served), (outcome) => responses.page(outcome, served.headWithLoading, brotli));
      }
      case 'data': {
        const served = dashboards.get(route.dashboard);
        if (!served) return dataError('not_found');
        const token = bearerToken(request.headers.get('authorization'));
        if (token === undefined) return dataResponse(this.#refuseMissingToken(), settings.retryAfterSeconds);
        // `?refresh`: the viewer asked for fresh data (refresh()): run again, at most once per 10 s.
        const asked = () => (url.searchParams.has('refresh') ? runs.refresh(token, served) : runs.serve(token, served));
        return this.#view('data', token, served, asked, (outcome) => dataResponse(outcome, settings.retryAfterSeconds, served.maxAgeMs, settings.now));
      }
      case 'download': {
        const served = dashboards.get(route.dashboard);
        if (!served) return dataError('not_found');
        const token = bearerToken(request.headers.get('authorization'));
        // Counted with the other requests that carried no token.
        if (token === undefined) this.#refuseMissingToken();
        return serveDownload(token, served, route.chart, this.#downloads);
      }
      case 'stats':
        if (!settings.statsRoute) break;
        return statsAnswer(this.stats());
      case 'metrics':
        if (!settings.metricsRoute) break;
        return metricsAnswer(settings.metrics!);
      case 'health':
        break;
      case 'not-found':
        break;
    }
    return responses.error('not_found');
  }

  /**
   * A dashboard view: its outcome from the page runs, the answer made of it, and the report of
   * both (timed from the request's arrival) when metrics or the audit log listen.
   */
  async #view(
    route: ViewReport['route'],
    token: string,
    served: ServedDashboard,
    outcomeOf: () => Promise<PageOutcome>,
    answer: (outcome: PageOutcome) => Response | Promise<Response>,
  ): Promise<Response> {
    const viewed = this.#parts.reports.view;
    const started = viewed && performance.now();
    const outcome = await outcomeOf();
    const response = await answer(outcome);
    viewed?.({ route, token, dashboard: served.definition.id, outcome, status: response.status, started: started! });
    return response;
  }

  /** A request with no token is refused like a bad one, and counted with them. */
  #refuseMissingToken() {
    this.#rejectedWithoutToken++;
    this.#parts.recorder?.refused('token_missing');
    return { kind: 'refused', code: 'token_missing' } as const;
  }
}
