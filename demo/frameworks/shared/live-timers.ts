/**
 * Counts the element's live timers (set, neither fired nor cleared). Every timer of
 * `<chartio-embed>` goes through its `clock` (src/element/clock.ts), so wrapping that one object
 * sees them all. The framework tests read the count after unmounting to prove nothing was left behind.
 * @module
 */
import type { Clock } from '../../../src/element/clock.js';

declare global {
  interface Window {
    /** The number of `<chartio-embed>` timers still pending on this page. */
    chartioLiveTimers?: () => number;
  }
}

/**
 * Wraps `clock.setTimeout` / `clock.clearTimeout` to track pending timers and exposes the count
 * as `window.chartioLiveTimers()`. Returns the counter too.
 * @example
 * import { clock } from '../../../src/element/clock.js';
 * const live = countLiveTimers(clock);
 * live(); // 0 once every element is idle or gone
 */
export function countLiveTimers(clock: Clock): () => number {
  const live = new Set<unknown>();
  const set = clock.setTimeout;
  const clear = clock.clearTimeout;
  clock.setTimeout = (callback, ms) => {
    const handle = set(() => {
      live.delete(handle);
      callback();
    }, ms);
    live.add(handle);
    return handle;
  };
  clock.clearTimeout = (handle) => {
    live.delete(handle);
    clear(handle);
  };
  const count = () => live.size;
  window.chartioLiveTimers = count;
  return count;
}
