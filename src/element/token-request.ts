/**
 * Getting a token: the built-in request to the token endpoint, the check every answer passes
 * (built-in or from an app's own `fetchToken`), and the error both report.
 * @module
 */
import { isCompactJws } from '../protocol/claims.js';
import type { Env } from '../protocol/env.js';

/** What a token source answers: the endpoint's JSON, or an app's own `fetchToken`. */
export interface TokenAnswer {
  /** The signed embed token (a compact JWS). */
  token: string;
  /** Its `exp`, seconds since the epoch. */
  expiresAt?: number;
  /** The full iframe URL, used when the element has no `base-url`. */
  url?: string;
}

/** What the element passes to `fetchToken`. */
export interface FetchTokenInput {
  dashboard: number;
  filters: Env;
  /** Aborted when the answer is no longer wanted (newer filters, disconnect, timeout). */
  signal: AbortSignal;
  /**
   * `true` on the element's one automatic retry after the dashboard host refused the token it
   * had (`token_expired`, `token_key_unknown`, `token_lifetime`, `token_revoked`): ask your
   * endpoint for a token issued now (the built-in request sends `"fresh": true`), not the one
   * its reuse window would give again.
   */
  fresh?: boolean;
}

/** A replacement for the built-in request (custom headers, CSRF tokens, GraphQL, …). */
export type FetchToken = (input: FetchTokenInput) => Promise<TokenAnswer>;

/**
 * Why no token came: `code` is the endpoint's `error.code` or the element's own (`network`,
 * `timeout`, `bad_answer`, `http_error`); `status` is the HTTP status when there was one.
 *
 * @example
 * throw new TokenError('The token endpoint answered 503', 'http_error', 503);
 */
export class TokenError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/**
 * The built-in request: `POST` JSON `{"dashboard","filters"}` (with `"fresh": true` when `fresh`:
 * a token issued now, see docs/token-endpoint.md), with the page's cookies when the
 * endpoint is on its origin (`credentials: 'same-origin'`), or on any origin with `'include'`
 * (an endpoint on another origin must then allow it with CORS).
 * Rejects with a {@link TokenError} on a network failure or a non-2xx status (carrying the
 * endpoint's `{"error":{"code","message"}}` when present). Callers race it against `signal`
 * (see `getToken`) and check the answer with {@link checkAnswer}.
 *
 * @example
 * const answer = await requestToken('/embed-token', 38727, { USER_ID: '1' }, signal);
 * answer.token; // 'eyJhbGciOiJIUzI1NiIs…'
 */
export async function requestToken(
  endpoint: string,
  dashboard: number,
  filters: Env,
  signal: AbortSignal,
  credentials?: string,
  fresh?: boolean,
): Promise<TokenAnswer> {
  // An abort also lands in these catches; the caller has settled with `signal.reason` by then.
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fresh ? { dashboard, filters, fresh } : { dashboard, filters }),
    // Anything but `include` is the safe default.
    credentials: credentials == 'include' ? credentials : 'same-origin',
    signal,
  }).catch(() => {
    throw new TokenError('Token endpoint unreachable', 'network');
  });
  const body = await response.json().catch(() => {});
  if (!response.ok) {
    const error = body?.error;
    throw new TokenError(error?.message || `Token endpoint answered ${response.status}`, error?.code || 'http_error', response.status);
  }
  return body;
}

/**
 * Returns `answer` when it carries a token of compact-JWS shape, else throws a
 * {@link TokenError} (`bad_answer`), so a bad answer never reaches the iframe.
 *
 * @example
 * checkAnswer({ token: 'a.b.c' }); // { token: 'a.b.c' }
 * checkAnswer({ token: '<html>' }); // throws TokenError
 */
export function checkAnswer(answer: unknown): TokenAnswer {
  if (isCompactJws((answer as TokenAnswer | null)?.token)) return answer as TokenAnswer;
  throw new TokenError('No valid token in the answer', 'bad_answer');
}
