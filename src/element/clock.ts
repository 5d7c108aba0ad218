/**
 * The element's only source of time. Token lifetimes, request and frame timeouts, retry backoff
 * and proactive refresh all go through this one object, so tests (and apps that need to) can
 * replace its methods and control time instead of waiting for it.
 * @module
 */

/** Monotonic time and timers, as the element uses them. */
export interface Clock {
  /** Milliseconds on a monotonic clock (`performance.now()`): a skewed wall clock cannot move it. */
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * The clock every `<chartio-embed>` on the page shares. Replace its methods to control time.
 *
 * @example
 * const saved = { ...clock };
 * let now = 0;
 * clock.now = () => now; // timers too: clock.setTimeout = …
 * // … run the test, then:
 * Object.assign(clock, saved);
 */
export const clock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as number),
};
