/**
 * Token reuse in time: the issue time is rounded down to a window, so the same payload signed
 * again within that window gives the byte-identical token. Every new token costs the dashboard
 * host a full query run and the viewer a "Loading" screen; the host caches per token, so reuse
 * is what makes the cache hit.
 * @module
 */

/** The longest reuse window, in seconds: one hour. */
export const MAX_REUSE_WINDOW_SECONDS = 3_600;

/**
 * The reuse window for a token lifetime: a tenth of the lifetime, at least 1 s, at most 1 h.
 *
 * Why these bounds: a reused token was issued up to `W − 1` seconds ago, so its remaining
 * lifetime is never below `ttl − W`. A tenth keeps that at ≥ 90 % of what the caller asked
 * for (a 15-minute token lives at least 13.5 minutes), which is well inside the margin a session
 * length is estimated with. The hour cap bounds how stale a 24-hour token's `iat` may be, and
 * still means at most 24 query runs a day per distinct payload instead of one per page view.
 * Below 10 s the window is 1 s: such tokens are tests or demos, and reuse hardly matters there.
 *
 * @example
 * reuseWindowSeconds(86_400); // 3600
 * reuseWindowSeconds(900);    // 90
 * reuseWindowSeconds(5);      // 1
 */
export function reuseWindowSeconds(ttl: number): number {
  return Math.max(1, Math.min(MAX_REUSE_WINDOW_SECONDS, Math.floor(ttl / 10)));
}

/**
 * The `iat` to sign at `nowSeconds` for a token living `ttl` seconds: rounded down to the reuse
 * window, so every sign within one window agrees on it (and hence on `exp = iat + ttl`).
 *
 * @example
 * issuedAt(1_700_000_123, 900); // 1700000100 (90-second windows)
 */
export function issuedAt(nowSeconds: number, ttl: number): number {
  const window = reuseWindowSeconds(ttl);
  return Math.floor(nowSeconds / window) * window;
}
