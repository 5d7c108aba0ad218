/**
 * The in-process side of "at most one re-run per token per window": the whole of it for the
 * local store, and the first check of the Redis store (so an instance does not ask Redis again for
 * a token it has claimed itself, and keeps the bound while Redis does not answer).
 * @module
 */

/** How many windows are kept before the lapsed ones are swept out. */
const SWEEP_AT = 10_000;

/**
 * Windows by key, each claimed by the first caller until it lapses.
 *
 * @example
 * const windows = new RerunWindows(Date.now);
 * windows.claim('ask:eyJ…', 10_000); // true: run now
 * windows.claim('ask:eyJ…', 10_000); // false, for 10 s
 */
export class RerunWindows {
  readonly #until = new Map<string, number>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  /** `true` (and the window is now taken for `windowMs`) unless `key`'s window is still open. */
  claim(key: string, windowMs: number): boolean {
    const now = this.#now();
    const until = this.#until.get(key);
    if (until !== undefined && now < until) return false;
    if (this.#until.size >= SWEEP_AT) for (const [other, end] of this.#until) if (now >= end) this.#until.delete(other);
    this.#until.set(key, now + windowMs);
    return true;
  }

  /** Opens `key`'s window again (a claim that could not be used: another may take it). */
  release(key: string): void {
    this.#until.delete(key);
  }

  clear(): void {
    this.#until.clear();
  }
}
