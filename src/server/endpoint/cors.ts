/**
 * Credentialed CORS for a token endpoint on another origin than the page (`api.example.com`
 * serving `app.example.com`): with `allowedOrigins`, a preflight (`OPTIONS`) from a listed origin
 * is answered 204, and every answer to a listed origin carries `Access-Control-Allow-Origin` (that
 * exact origin, never `*`), `Access-Control-Allow-Credentials: true` (the session cookie comes
 * along) and `Vary: Origin`. A request from any other origin gets none of these: the browser then
 * keeps the answer from the page. Without `allowedOrigins` nothing here applies (same origin only).
 * @module
 */
import { headerSet, type EndpointResult, type HeaderSet } from './response.js';

/** How long a browser may reuse a preflight's answer, in seconds (Chromium caps it at 7,200). */
export const PREFLIGHT_MAX_AGE_SECONDS = 600;

/** The preflight's own headers; the CORS ones are added per origin like on any answer. */
const PREFLIGHT_HEADERS = headerSet({
  'cache-control': 'no-store',
  allow: 'POST, OPTIONS',
  'access-control-allow-methods': 'POST',
  'access-control-allow-headers': 'Content-Type',
  'access-control-max-age': String(PREFLIGHT_MAX_AGE_SECONDS),
});

/** 204 to a preflight the origin check let through. */
export const PREFLIGHT: EndpointResult = Object.freeze({ status: 204, headers: PREFLIGHT_HEADERS, body: '', code: 'preflight' });

/** Adds the CORS headers an answer needs for the request's `Origin`. */
export type CorsHeaders = (result: EndpointResult, origin: string | null) => EndpointResult;

/**
 * The function that adds CORS headers to answers for `allowed` origins (lower case, from
 * `allowedOriginSet`). Header sets are built once per (answer kind, origin) and reused.
 *
 * @example
 * const withCors = corsHeaders(allowedOriginSet(['https://app.example.com']));
 * withCors(result, request.headers.get('origin'));
 */
export function corsHeaders(allowed: ReadonlySet<string>): CorsHeaders {
  const merged = new WeakMap<HeaderSet, Map<string, HeaderSet>>();
  return (result, origin) => {
    if (origin === null) return result;
    // Browsers send origins in lower case; the allowed entry itself is what is echoed, so no
    // text of the request's choosing reaches a header, and the set of variants stays bounded.
    const listed = origin.toLowerCase();
    if (!allowed.has(listed)) return result;
    let byOrigin = merged.get(result.headers);
    if (byOrigin === undefined) merged.set(result.headers, (byOrigin = new Map()));
    let headers = byOrigin.get(listed);
    if (headers === undefined) {
      headers = headerSet({
        ...result.headers.record,
        'access-control-allow-origin': listed,
        'access-control-allow-credentials': 'true',
        vary: 'Origin',
      });
      byOrigin.set(listed, headers);
    }
    return { ...result, headers };
  };
}
