/**
 * The absolute URL a Node request is for, read once by one rule for every handler: the origin
 * from `Host` (or HTTP/2's `:authority`), `https` when the socket is TLS or a proxy says so in
 * `X-Forwarded-Proto`, and the path (Express's unmounted `originalUrl` when mounted). A request no
 * Fetch `Request` can represent gets the reason instead, which the listener answers with a 4xx.
 *
 * Why trusting `X-Forwarded-Proto` is safe for the token endpoint, which compares `Origin` with
 * this URL's origin when `allowedOrigins` is not set: such an endpoint grants no CORS preflight
 * (`OPTIONS` is a 405), so a page on another origin cannot send a request carrying a header of
 * its choosing. With `allowedOrigins` the own origin is not used at all. A non-browser client can
 * send any `Origin` anyway.
 * @module
 */
import type { IncomingMessage } from 'node:http';
import type { FrameworkRequest } from './framework-request.js';

/** Why a request cannot become a `Request`: the status and a line for the client. */
export interface Refusal {
  readonly status: 400 | 405;
  readonly message: string;
}

/** Methods the Fetch standard forbids in a `Request` (`new Request` throws on them). */
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);
/** RFC 9110 `Host`: an IP literal or a reg-name (no `@`, no space), then an optional port. */
const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~!$&'()*+,;=%]+)(?::([0-9]{0,5}))?$/;

/**
 * The request's absolute URL, or why there is none: a `Host` that is not a host (a space,
 * credentials such as `user@evil.example`, a port over 65535) or a target that is not a path is a
 * 400; `TRACE`, `TRACK` and `CONNECT`, which Fetch forbids, are a 405.
 *
 * @example
 * requestTarget(req); // 'https://app.example.com/api/embed-token'
 */
export function requestTarget(req: IncomingMessage): string | Refusal {
  const method = req.method ?? 'GET';
  if (FORBIDDEN_METHODS.has(method.toUpperCase())) return { status: 405, message: `${method} requests are not served here.` };
  const host = (req.headers.host ?? (req.headers[':authority'] as string | undefined)) || 'localhost';
  const match = HOST.exec(host);
  if (!match || (match[1] !== undefined && match[1] !== '' && Number(match[1]) > 65_535)) {
    return { status: 400, message: 'The Host header is not a host name with an optional port.' };
  }
  let path = (req as FrameworkRequest).originalUrl ?? req.url ?? '/';
  if (path.charCodeAt(0) !== 47 /* / */) {
    // The absolute form (`GET http://host/path`), which proxies send: keep its path.
    let absolute: URL;
    try {
      absolute = new URL(path);
    } catch {
      return { status: 400, message: 'The request target is not a path.' };
    }
    if (absolute.protocol !== 'http:' && absolute.protocol !== 'https:') return { status: 400, message: 'The request target is not a path.' };
    path = absolute.pathname + absolute.search;
  }
  try {
    return new URL(`${requestScheme(req)}://${host}${path}`).href;
  } catch {
    return { status: 400, message: 'The request target is not a URL path.' };
  }
}

/** `https` when the socket is TLS or the first `X-Forwarded-Proto` a proxy set says so. */
function requestScheme(req: IncomingMessage): 'http' | 'https' {
  if ((req.socket as { encrypted?: boolean } | null)?.encrypted === true) return 'https';
  const forwarded = req.headers['x-forwarded-proto'];
  if (typeof forwarded === 'string') {
    const comma = forwarded.indexOf(',');
    const first = (comma === -1 ? forwarded : forwarded.slice(0, comma)).trim().toLowerCase();
    if (first === 'https') return 'https';
  }
  return 'http';
}
