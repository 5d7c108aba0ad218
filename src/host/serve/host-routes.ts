/**
 * The host's routes, as data: which route a request path is (under the host's `basePath`), and
 * where a route's token comes from. The page route reads it from the URL, as the protocol says;
 * the data and download routes only from `Authorization: Bearer`, so the token stays out of logged URLs.
 * @module
 */
import { EMBED_TOKEN_PARAM } from '../../protocol/index.js';

/** Where the counters are served as JSON, under the host's `basePath`. */
export const STATS_PATH = '/stats';
/** Where Prometheus scrapes the metrics, under the host's `basePath` (or on the admin handler). */
export const METRICS_PATH = '/metrics';
/** Where balancers ask whether the host is ready, under the host's `basePath`. */
export const HEALTH_PATH = '/healthz';

/** A request path, resolved. */
export type Route =
  | { readonly kind: 'page'; readonly dashboard: number }
  | { readonly kind: 'data'; readonly dashboard: number }
  | { readonly kind: 'download'; readonly dashboard: number; readonly chart: number }
  | { readonly kind: 'stats' }
  | { readonly kind: 'metrics' }
  | { readonly kind: 'health' }
  | { readonly kind: 'not-found' };

const DASHBOARD_PATH = /^\/d\/([1-9][0-9]{0,15})(\/data|\/charts\/(0|[1-9][0-9]?)\.csv|\/?)$/;
const NOT_FOUND: Route = { kind: 'not-found' };

/**
 * Resolves a path (`URL.pathname`) under `basePath`.
 *
 * @example
 * routeOf('/dash/d/38727/data', '/dash'); // { kind: 'data', dashboard: 38727 }
 * routeOf('/d/38727/', ''); // { kind: 'page', dashboard: 38727 }
 * routeOf('/d/38727/charts/4.csv', ''); // { kind: 'download', dashboard: 38727, chart: 4 }
 */
export function routeOf(pathname: string, basePath: string): Route {
  let path = pathname;
  if (basePath) {
    if (!path.startsWith(`${basePath}/`)) return NOT_FOUND;
    path = path.slice(basePath.length);
  }
  if (path === STATS_PATH) return { kind: 'stats' };
  if (path === METRICS_PATH) return { kind: 'metrics' };
  if (path === HEALTH_PATH) return { kind: 'health' };
  const match = DASHBOARD_PATH.exec(path);
  if (!match) return NOT_FOUND;
  const dashboard = Number(match[1]);
  if (match[3] !== undefined) return { kind: 'download', dashboard, chart: Number(match[3]) };
  return match[2] === '/data' ? { kind: 'data', dashboard } : { kind: 'page', dashboard };
}

/**
 * The page route's token: the `embed_token` query parameter, exactly once and not empty.
 *
 * @example
 * pageToken(new URL('https://h/d/1/?embed_token=abc')); // 'abc'
 */
export function pageToken(url: URL): string | undefined {
  const tokens = url.searchParams.getAll(EMBED_TOKEN_PARAM);
  return tokens.length === 1 && tokens[0] !== '' ? tokens[0] : undefined;
}

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

/**
 * The data route's token: `Authorization: Bearer {token}` (RFC 6750 §2.1). A token in the URL
 * does not count.
 *
 * @example
 * bearerToken('Bearer eyJhbGciOi…'); // 'eyJhbGciOi…'
 */
export function bearerToken(authorization: string | null): string | undefined {
  return authorization === null ? undefined : BEARER.exec(authorization)?.[1];
}
