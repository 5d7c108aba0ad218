/**
 * The page's token cache, shared by every `<chartio-embed>`: a valid token per
 * (endpoint, dashboard, canonical filters) until shortly before it expires, and at most one
 * request in flight per key. Every new token costs the dashboard host a full query run and the
 * viewer a "Loading" screen, so going back to filters seen before must cost nothing.
 * @module
 */
import { clock } from './clock.js';
import { checkAnswer, type TokenAnswer } from './token-request.js';

/** A token with the monotonic time (see {@link clock}) until which it may be used. */
export interface CachedToken {
  answer: TokenAnswer;
  until: number;
  /** `true` when it came from the cache, with no request. */
  reused: boolean;
}

interface Flight {
  promise: Promise<CachedToken>;
  waiters: number;
  abort: AbortController;
}

/** Keys kept at most; the oldest goes first. */
const MAX_ENTRIES = 50;
const cache = new Map<string, CachedToken>();
const flights = new Map<string, Flight>();

/**
 * A token for `key`: from the cache when still valid, else from the request in flight for the
 * same key, else from a new `load(signal)` (its answer checked by {@link checkAnswer}). Aborting
 * `signal` (newer filters, a timeout, a disconnect) withdraws this caller at once, with
 * `signal.reason`; the request itself is aborted when its last waiter has left. `fresh`: neither
 * the cache nor a request in flight (which may bring the token a host just refused) is used.
 *
 * @example
 * const { answer, reused } = await getToken(key, (signal) => requestToken(url, 1, {}, signal), controller.signal);
 */
export function getToken(
  key: string,
  load: (signal: AbortSignal) => Promise<TokenAnswer>,
  signal: AbortSignal,
  fresh?: boolean,
): CachedToken | Promise<CachedToken> {
  const hit = cache.get(key);
  if (!fresh && hit && clock.now() < hit.until) return { ...hit, reused: true };
  let flight = fresh ? undefined : flights.get(key);
  if (!flight) {
    const abort = new AbortController();
    // async: a `load` that throws at once rejects like one that fails later.
    const promise = (async () => checkAnswer(await load(abort.signal)))()
      .then((answer) => {
        const token = { answer, until: clock.now() + lifetime(answer), reused: false };
        cache.set(key, token);
        if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
        return token;
      })
      .finally(() => {
        if (flights.get(key) == flight) flights.delete(key);
      });
    flights.set(key, (flight = { promise, waiters: 0, abort }));
  }
  const joined = flight;
  joined.waiters++;
  return abortable(joined.promise, signal).finally(() => {
    if (!--joined.waiters && flights.get(key) == joined) {
      flights.delete(key);
      joined.abort.abort();
    }
  });
}

/**
 * Forgets the token kept for `key`, so the next {@link getToken} asks for a new one.
 *
 * @example
 * dropToken(key); // refresh(): bypass the cache for this key
 */
export function dropToken(key: string): void {
  cache.delete(key);
}

/**
 * Forgets every kept token (tests, or an app whose user signs out).
 *
 * @example
 * clearTokens();
 */
export function clearTokens(): void {
  cache.clear();
}

/**
 * How long, in ms from now, a fresh token may be used: 85 % of its own lifetime `exp − iat`
 * (read from the payload, so a skewed client clock does not matter). The 15 % margin covers a
 * signer that hands out a token issued earlier (this project's signer reuses one for up to a
 * tenth of its lifetime, so its `iat` may be that old) plus the time a dashboard takes to load.
 * 0 when the payload says nothing usable: such a token is not kept.
 */
function lifetime(answer: TokenAnswer): number {
  try {
    const { exp, iat } = JSON.parse(atob(answer.token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')));
    if (exp - iat > 0) return (exp - iat) * 850;
  } catch {
    // Not a JSON payload: not kept.
  }
  return 0;
}

/** `promise`, or `signal.reason` as soon as `signal` aborts. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    promise.then(resolve, reject);
  });
}
