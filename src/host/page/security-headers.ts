/**
 * The response headers of the host's pages: who may frame them (CSP `frame-ancestors`), what may
 * run in them (hashed inline blocks, scripts from the host itself), and that the token-bearing
 * URL is never sent on as a Referer nor kept in a shared cache.
 * @module
 */
import { cspHash, HEAD_SCRIPT, HIDE_LOADING_STYLE, PAGE_SCRIPT, PAGE_STYLE } from './page-assets.js';

const WILDCARD_ORIGIN = /^https?:\/\/\*\.[a-z0-9-]+(?:\.[a-z0-9-]+)*(?::\d{1,5})?$/;

/**
 * Checks `frameAncestors` entries: exact origins (`https://app.example.com`), host wildcards
 * (`https://*.example.com`) or `'self'`. Anything else (paths, spaces, `;`, `*` alone) would
 * widen or break the policy, so it is an error naming the entry.
 *
 * @example
 * checkFrameAncestors(['https://app.example.com', "'self'"]); // returns them
 * checkFrameAncestors(['https://app.example.com/page']); // throws
 */
export function checkFrameAncestors(entries: readonly string[]): string[] {
  if (!Array.isArray(entries)) throw new TypeError('frameAncestors must be a list of origins, like ["https://app.example.com"]');
  return entries.map((entry) => {
    if (entry === "'self'" || isExactOrigin(entry) || (typeof entry === 'string' && WILDCARD_ORIGIN.test(entry))) return entry;
    throw new TypeError(`frameAncestors: ${JSON.stringify(entry)} is not an origin like "https://app.example.com", a wildcard like "https://*.example.com", or "'self'"`);
  });
}

/**
 * Checks `parentOrigins`: exact origins only, because `postMessage` needs one target origin and
 * the page never posts to `'*'`.
 *
 * @example
 * checkParentOrigins(['https://app.example.com']); // returns them
 * checkParentOrigins(['*']); // throws
 */
export function checkParentOrigins(entries: readonly string[]): string[] {
  if (!Array.isArray(entries)) throw new TypeError('parentOrigins must be a list of origins, like ["https://app.example.com"]');
  return entries.map((entry) => {
    if (isExactOrigin(entry)) return entry;
    throw new TypeError(`parentOrigins: ${JSON.stringify(entry)} is not an exact origin like "https://app.example.com" (no path, no wildcard, never "*")`);
  });
}

/**
 * Tells whether `value` is exactly an http(s) origin, as `URL.origin` writes it.
 *
 * @example
 * isExactOrigin('http://127.0.0.1:8080'); // true
 * isExactOrigin('https://example.com/'); // false
 */
export function isExactOrigin(value: unknown): value is string {
  // WHATWG URL accepts "*" in a host name; an exact origin never has one.
  if (typeof value !== 'string' || value.includes('*')) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}

/**
 * The Content-Security-Policy of every page: `default-src 'self'`, the inline script and styles
 * by hash, no plugins, no `<base>`, no forms, and `frame-ancestors` from the configuration
 * (`'none'` when the list is empty).
 *
 * @example
 * contentSecurityPolicy(['https://app.example.com']);
 * // "default-src 'self'; script-src 'self' 'sha256-…'; … frame-ancestors https://app.example.com"
 */
export function contentSecurityPolicy(frameAncestors: readonly string[]): string {
  return [
    "default-src 'self'",
    `script-src 'self' ${cspHash(HEAD_SCRIPT)} ${cspHash(PAGE_SCRIPT)}`,
    `style-src ${cspHash(PAGE_STYLE)} ${cspHash(HIDE_LOADING_STYLE)}`,
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${frameAncestors.length > 0 ? frameAncestors.join(' ') : "'none'"}`,
  ].join('; ');
}

/**
 * Headers for an HTML page of the host (a dashboard or an error page).
 *
 * @example
 * new Response(html, { status: 200, headers: pageHeaders(contentSecurityPolicy(['https://app.example.com'])) });
 */
export function pageHeaders(csp: string): [string, string][] {
  return [
    ['content-type', 'text/html; charset=utf-8'],
    ['content-security-policy', csp],
    // The URL carries the token: never send it on to anything the page loads.
    ['referrer-policy', 'no-referrer'],
    // One viewer's data: no shared cache, and no copy on disk.
    ['cache-control', 'private, no-store'],
    ['x-content-type-options', 'nosniff'],
    // A cached dashboard is sent brotli-compressed to a browser that accepts it.
    ['vary', 'accept-encoding'],
  ];
}
