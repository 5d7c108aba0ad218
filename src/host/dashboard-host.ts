/**
 * `createDashboardHost`: the reference dashboard host (the Chartio side of the protocol), as a
 * Fetch-API handler.
 *
 * How a page is served (`GET /d/{dashboard}/?embed_token={JWT}`):
 * 1. a token already cached for this dashboard → the complete page from memory: no verification
 *    (it was verified once, when its page was made), no query, no Loading;
 * 2. a token whose run is under way (a concurrent first request) → joins that run;
 * 3. otherwise the token is verified (organization, the dashboard in the path, HS256, expiry);
 *    a failure is a 401/403 page naming the rule. Then one run starts: the response streams the
 *    page head and a "Loading…" line at once, the queries run, and the rest follows (a style
 *    that hides Loading, the dashboard, its chart data). The complete page, without Loading, is
 *    cached until the token's `exp`.
 * Only the token's `env` feeds the queries; the URL's other query parameters are ignored.
 * @module
 */
import { EMBED_TOKEN_PARAM, isPositiveId, type EmbedClaims } from '../protocol/index.js';
import { EmbedError } from '../server/errors.js';
import { secretBytes } from '../server/secret.js';
import { verifyEmbedToken } from '../server/verify.js';
import { loadChartLibrary, serveAsset, type StaticAsset } from './chart-library.js';
import { renderErrorPage, type HostErrorCode } from './error-page.js';
import { assertUniqueIds } from './load-dashboards.js';
import { PageCache } from './page-cache.js';
import { HIDE_LOADING_HTML, LOADING_HTML, needsChartLibrary, PAGE_TAIL, renderPageBody, renderPageHead } from './render-page.js';
import { runDashboard } from './run-dashboard.js';
import { checkFrameAncestors, checkParentOrigins, contentSecurityPolicy, isExactOrigin, pageHeaders } from './security-headers.js';
import type { DashboardDefinition, DashboardHost, DashboardHostOptions, HostLogEntry, HostStats } from './types.js';

/** Where the chart library is served, under the host's `basePath`. */
export const CHART_LIBRARY_PATH = '/assets/chart.js';
/** Where the counters are served as JSON, under the host's `basePath`. */
export const STATS_PATH = '/stats';

const DASHBOARD_PATH = /^\/d\/([1-9][0-9]{0,15})\/?$/;
const encoder = new TextEncoder();
const HIDE_LOADING_BYTES = encoder.encode(HIDE_LOADING_HTML);

/** What the host prepares once per dashboard at start-up. */
interface ServedDashboard {
  readonly definition: DashboardDefinition;
  /** The page head, for cached pages. */
  readonly head: Uint8Array;
  /** The page head and the Loading line: the first chunk a new token gets. */
  readonly headWithLoading: Uint8Array;
}

/** A run under way, shared by every request for its token. */
interface Run {
  readonly dashboard: number;
  /** Resolves to the page's body and tail (encoded), or rejects if rendering failed. */
  readonly body: Promise<Uint8Array>;
}

/**
 * Creates the dashboard host: a Fetch-API handler (serve it on Node with `toNodeHandler`) that
 * also carries `stats()` and `close()`. Routes, under `basePath`:
 * - `GET /d/{dashboard}/?embed_token={JWT}`: the dashboard (see the module doc);
 * - `GET /assets/chart.js`: the chart library (when a dashboard has a line or bar chart);
 * - `GET /stats`: the counters as JSON (unless `statsRoute: false`).
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
  const settings = checkOptions(options);
  const { organization, database, now, log } = settings;
  const headers = pageHeaders(contentSecurityPolicy(settings.frameAncestors));
  const chartLibrary: StaticAsset | undefined = options.dashboards.some(needsChartLibrary) ? loadChartLibrary() : undefined;
  const chartScriptUrl = chartLibrary ? `${settings.basePath}${CHART_LIBRARY_PATH}?v=${chartLibrary.version}` : undefined;

  const dashboards = new Map<number, ServedDashboard>();
  for (const definition of options.dashboards) {
    const head = renderPageHead(definition, {
      parentOrigins: settings.parentOrigins,
      chartScriptUrl: needsChartLibrary(definition) ? chartScriptUrl : undefined,
    });
    dashboards.set(definition.id, { definition, head: encoder.encode(head), headWithLoading: encoder.encode(head + LOADING_HTML) });
  }

  const cache = new PageCache({ maxEntries: settings.maxEntries, maxBytes: settings.maxBytes, now });
  const runs = new Map<string, Run>();
  const counters = { hits: 0, misses: 0, queryRuns: 0, queries: 0, joinedRuns: 0, rejectedTokens: 0 };
  let closed = false;

  const page = (status: number, body: BodyInit, extra: [string, string][] = []): Response =>
    new Response(body, { status, headers: extra.length === 0 ? headers : [...headers, ...extra] });
  const errorPage = (code: HostErrorCode, detail?: string, extra?: [string, string][]): Response => {
    const rendered = renderErrorPage(code, detail);
    return page(rendered.status, rendered.html, extra);
  };

  async function serveDashboard(url: URL, served: ServedDashboard): Promise<Response> {
    const id = served.definition.id;
    const tokens = url.searchParams.getAll(EMBED_TOKEN_PARAM);
    if (tokens.length !== 1 || tokens[0] === '') {
      counters.rejectedTokens++;
      return errorPage('token_missing');
    }
    const token = tokens[0]!;
    const cached = cache.get(token);
    if (cached && cached.dashboard === id) {
      counters.hits++;
      return page(200, cached.page);
    }
    let run = runs.get(token);
    if (run && run.dashboard === id) return join(served, run);

    let claims: EmbedClaims;
    try {
      claims = await verifyEmbedToken(token, { secret: settings.secret, organization, dashboard: id, clockTolerance: settings.clockTolerance, now });
      // The verifier's clock tolerance is for signing servers whose clock runs ahead (iat); a
      // page is served until exp by this host's clock, exactly as long as it stays cached.
      if (now() >= claims.exp * 1000) throw new EmbedError('token_expired', `the token expired at ${new Date(claims.exp * 1000).toISOString()}; sign a new one`);
    } catch (error) {
      counters.rejectedTokens++;
      if (error instanceof EmbedError && error.code.startsWith('token_')) return errorPage(error.code, error.message);
      log({ level: 'error', event: 'verify_failed', message: 'verifying a token failed unexpectedly', dashboard: id, detail: describe(error) });
      return errorPage('internal_error');
    }
    // Another request for this token may have started (or even finished) while this one verified.
    const cachedMeanwhile = cache.get(token);
    if (cachedMeanwhile && cachedMeanwhile.dashboard === id) {
      counters.hits++;
      return page(200, cachedMeanwhile.page);
    }
    run = runs.get(token);
    if (run && run.dashboard === id) return join(served, run);

    counters.misses++;
    counters.queryRuns++;
    run = { dashboard: id, body: render(served, token, claims) };
    runs.set(token, run);
    run.body.then(
      () => runs.delete(token),
      () => runs.delete(token),
    );
    return stream(served, run);
  }

  function join(served: ServedDashboard, run: Run): Response {
    counters.misses++;
    counters.joinedRuns++;
    return stream(served, run);
  }

  /** Runs the queries, renders, caches the complete page; resolves to the body for streaming. */
  async function render(served: ServedDashboard, token: string, claims: EmbedClaims): Promise<Uint8Array> {
    const { definition } = served;
    try {
      const result = await runDashboard(definition, claims.env, database, { timeoutMs: settings.queryTimeoutMs, log });
      counters.queries += result.queries;
      const body = encoder.encode(renderPageBody(definition, result) + PAGE_TAIL);
      const complete = new Uint8Array(served.head.byteLength + body.byteLength);
      complete.set(served.head, 0);
      complete.set(body, served.head.byteLength);
      const exp = claims.exp * 1000;
      const expiresAt = result.failed ? Math.min(exp, now() + settings.failedPageTtlSeconds * 1000) : exp;
      if (!closed) cache.set(token, { dashboard: definition.id, claims, page: complete, expiresAt });
      return body;
    } catch (error) {
      log({ level: 'error', event: 'page_failed', message: 'rendering a dashboard failed', dashboard: definition.id, detail: describe(error) });
      throw error;
    }
  }

  /** The streamed answer for a new token: head + Loading now, the dashboard when its run ends. */
  function stream(served: ServedDashboard, run: Run): Response {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(served.headWithLoading);
        run.body.then(
          (bytes) => finish(controller, [HIDE_LOADING_BYTES, bytes]),
          () => finish(controller, [HIDE_LOADING_BYTES, encoder.encode(failedRunHtml())]),
        );
      },
    });
    return page(200, body);
  }

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    let path = url.pathname;
    if (settings.basePath) {
      if (!path.startsWith(`${settings.basePath}/`)) return errorPage('not_found');
      path = path.slice(settings.basePath.length);
    }
    if (closed) return errorPage('host_closed');
    if (request.method !== 'GET') return errorPage('method_not_allowed', undefined, [['allow', 'GET']]);
    if (path === STATS_PATH && settings.statsRoute) {
      return new Response(JSON.stringify(stats()), {
        status: 200,
        headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
      });
    }
    if (path === CHART_LIBRARY_PATH && chartLibrary) return serveAsset(chartLibrary, request.headers, 'text/javascript; charset=utf-8');
    const match = DASHBOARD_PATH.exec(path);
    const served = match ? dashboards.get(Number(match[1])) : undefined;
    if (!served) return errorPage('not_found');
    return serveDashboard(url, served);
  }

  function stats(): HostStats {
    return { ...counters, ...cache.counts() };
  }

  const host = (async (request: Request): Promise<Response> => {
    try {
      return await handle(request);
    } catch (error) {
      log({ level: 'error', event: 'request_failed', message: 'a request failed unexpectedly', detail: describe(error) });
      return errorPage('internal_error');
    }
  }) as DashboardHost;
  host.stats = stats;
  host.close = async () => {
    closed = true;
    await Promise.allSettled([...runs.values()].map((run) => run.body));
    cache.clear();
  };
  return host;
}

/** The options, checked and with defaults filled in. */
interface Settings {
  organization: number;
  secret: Uint8Array;
  database: DashboardHostOptions['database'];
  frameAncestors: string[];
  parentOrigins: string[];
  maxEntries: number;
  maxBytes: number;
  failedPageTtlSeconds: number;
  now: () => number;
  clockTolerance: number | undefined;
  queryTimeoutMs: number;
  basePath: string;
  statsRoute: boolean;
  log: (entry: HostLogEntry) => void;
}

function checkOptions(options: DashboardHostOptions): Settings {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('createDashboardHost takes { organization, secret, dashboards, database, frameAncestors, … }');
  }
  if (!isPositiveId(options.organization)) {
    throw new EmbedError('invalid_organization', `organization must be a positive integer (the organization id tokens carry), got ${String(options.organization)}`);
  }
  const secret = secretBytes(options.secret);
  if (!Array.isArray(options.dashboards) || options.dashboards.length === 0) {
    throw new TypeError('dashboards must be a non-empty list of dashboard definitions (see loadDashboardFiles)');
  }
  assertUniqueIds(options.dashboards);
  if (!options.database || typeof options.database.query !== 'function' || typeof options.database.close !== 'function') {
    throw new TypeError('database must be a DataSource with query(sql, params) and close() (see createDuckDbDataSource)');
  }
  const frameAncestors = checkFrameAncestors(options.frameAncestors);
  const parentOrigins = checkParentOrigins(options.parentOrigins ?? frameAncestors.filter(isExactOrigin));
  const cache = options.cache ?? {};
  const failedPageTtlSeconds = cache.failedPageTtlSeconds ?? 60;
  if (typeof failedPageTtlSeconds !== 'number' || !(failedPageTtlSeconds >= 0)) {
    throw new TypeError(`cache.failedPageTtlSeconds must be a number of seconds ≥ 0, got ${String(failedPageTtlSeconds)}`);
  }
  const queryTimeoutMs = options.queryTimeoutMs ?? 30_000;
  if (!Number.isSafeInteger(queryTimeoutMs) || queryTimeoutMs < 1) {
    throw new TypeError(`queryTimeoutMs must be a positive integer of milliseconds, got ${String(queryTimeoutMs)}`);
  }
  const basePath = options.basePath ?? '';
  if (basePath !== '' && !/^(?:\/[A-Za-z0-9._~-]+)+$/.test(basePath)) {
    throw new TypeError(`basePath must look like "/dash" (no trailing slash), got ${JSON.stringify(basePath)}`);
  }
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') throw new TypeError('now must be a function returning milliseconds since the epoch');
  return {
    organization: options.organization,
    secret,
    database: options.database,
    frameAncestors,
    parentOrigins,
    maxEntries: cache.maxEntries ?? 1000,
    maxBytes: cache.maxBytes ?? 64 * 1024 * 1024,
    failedPageTtlSeconds,
    now,
    clockTolerance: options.clockTolerance,
    queryTimeoutMs,
    basePath,
    statsRoute: options.statsRoute ?? true,
    log: options.log ?? defaultLog,
  };
}

/** Ends a stream, unless the client has gone (then the controller is closed already). */
function finish(controller: ReadableStreamDefaultController<Uint8Array>, chunks: Uint8Array[]): void {
  try {
    for (const chunk of chunks) controller.enqueue(chunk);
    controller.close();
  } catch {
    // The reader cancelled: nobody to finish for. The page is cached all the same.
  }
}

/** What a streamed page ends with when its run failed after Loading was sent (status is 200 by then). */
function failedRunHtml(): string {
  const { html } = renderErrorPage('internal_error');
  const main = html.slice(html.indexOf('<main'), html.indexOf('</main>') + '</main>'.length);
  return `${main}${PAGE_TAIL}`;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function defaultLog(entry: HostLogEntry): void {
  console.error(JSON.stringify({ source: 'chartio-embed/host', ...entry }));
}
