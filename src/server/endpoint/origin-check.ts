/**
 * Decides whether a token request may come from where it says it comes from, using the
 * `Origin` header and Fetch Metadata (`Sec-Fetch-Site`).
 *
 * Why a request with neither header is allowed: browsers attach `Origin` to every POST made by
 * `fetch` (and modern ones `Sec-Fetch-Site` as well), so a request with neither was not sent by a
 * web page and cannot be a cross-site forgery riding a victim's cookies. Such a client (curl, a
 * server-side job) holds whatever credentials it sends itself; the session check (`lockedEnv`)
 * decides what it gets. Refusing it would protect nothing, since such a client could forge any
 * `Origin` it likes.
 * @module
 */
import { errorResult, printable, type EndpointResult } from './response.js';

/** What the origin check reads from a request. */
export interface OriginInput {
  /** A request header by lower-case name. */
  header(name: string): string | null;
  /** The origin the request was addressed to, or `undefined` when it cannot be known. */
  ownOrigin(): string | undefined;
}

/** Returns `undefined` when the request may proceed, else the 403 answer. */
export type OriginCheck = (input: OriginInput) => EndpointResult | undefined;

/**
 * The per-request check for a set of allowed origins (from {@link allowedOriginSet}). Without a
 * set, only the request's own origin is allowed.
 *
 * @example
 * const check = createOriginCheck(allowedOriginSet(['https://app.example.com']));
 * check(input); // undefined when allowed, a 403 EndpointResult otherwise
 */
export function createOriginCheck(allowed: ReadonlySet<string> | undefined): OriginCheck {
  return (input) => {
    const origin = input.header('origin');
    if (origin === null) {
      // No Origin: only a browser's own cross-site or same-site (but other origin) request is
      // refused. `same-origin`, `none` (user-initiated) and no header at all (not a browser) pass.
      const site = input.header('sec-fetch-site');
      if (site === 'cross-site' || site === 'same-site') {
        return refuse(`A ${site} request without an Origin header cannot be checked and is refused.`);
      }
      return undefined;
    }
    if (allowed !== undefined) {
      if (allowed.has(origin.toLowerCase())) return undefined;
      return refuse(`Origin ${printable(origin)} may not request embed tokens; add it to allowedOrigins if it should.`);
    }
    const own = input.ownOrigin();
    if (own !== undefined && own.toLowerCase() === origin.toLowerCase()) return undefined;
    return refuse(
      `Origin ${printable(origin)} is not this endpoint's own origin${own === undefined ? '' : ` (${printable(own)})`}; ` +
        'list the origins that may ask in allowedOrigins (needed behind a proxy that rewrites Host).',
    );
  };
}

/**
 * Checks `allowedOrigins` (each must be a bare origin like `https://app.example.com`) and returns
 * them as a set of lower-case origins, as browsers send them. Throws a `TypeError` naming the
 * entry at fault.
 *
 * @example
 * allowedOriginSet(['HTTPS://App.Example.com']); // Set { 'https://app.example.com' }
 */
export function allowedOriginSet(list: readonly string[]): ReadonlySet<string> {
  if (!Array.isArray(list) || list.length === 0) {
    throw new TypeError(
      'allowedOrigins must be a non-empty array of origins like "https://app.example.com"; omit it to allow the same origin only.',
    );
  }
  const set = new Set<string>();
  for (const entry of list) {
    // A wildcard parses as a host name ("*.example.com") that no browser ever sends as an Origin:
    // accepted, it would never match. Refused here, with what to write instead.
    if (typeof entry === 'string' && entry.includes('*')) {
      throw new TypeError(
        `allowedOrigins: ${JSON.stringify(entry)} holds a wildcard, which never matches: an Origin is compared exactly. List each origin that may ask, like "https://app.example.com", or decide in code before calling the handler.`,
      );
    }
    let origin: string | undefined;
    if (typeof entry === 'string') {
      try {
        origin = new URL(entry).origin;
      } catch {
        origin = undefined;
      }
    }
    // `URL.origin` is "null" for opaque origins (file:, data:), and differs from the entry when
    // the entry has a path, query or trailing slash: all of those are configuration mistakes.
    if (origin === undefined || origin === 'null' || origin !== String(entry).toLowerCase()) {
      throw new TypeError(
        `allowedOrigins: ${JSON.stringify(entry)} is not a bare origin; write scheme://host[:port] with no path or trailing slash, like "https://app.example.com".`,
      );
    }
    set.add(origin);
  }
  return set;
}

function refuse(message: string): EndpointResult {
  return errorResult(403, 'origin_not_allowed', message);
}
