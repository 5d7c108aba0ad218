/**
 * What the framework tests wait on instead of sleeping: a log whose entries can be awaited, and
 * a gate that holds requests until the test lets them go.
 * @module
 */

/**
 * An append-only list; `next` resolves with the first matching entry from an index on, now or later.
 * @example
 * const log = new Log<number>(); const seen = log.next(0, (n) => n > 1); log.push(2); await seen; // 2
 */
export class Log<T> {
  readonly items: T[] = [];
  #waiters: Array<{ from: number; match: (item: T) => boolean; resolve: (item: T) => void }> = [];

  push(item: T): void {
    const index = this.items.push(item) - 1;
    this.#waiters = this.#waiters.filter((waiter) => {
      if (index < waiter.from || !waiter.match(item)) return true;
      waiter.resolve(item);
      return false;
    });
  }

  /** Entries from `from` on. */
  since(from: number): T[] {
    return this.items.slice(from);
  }

  /**
   * The first entry at or after `from` that matches.
   * @example
   * const mark = log.items.length; await action(); await log.next(mark, (entry) => entry.aborted);
   */
  next(from: number, match: (item: T) => boolean = () => true): Promise<T> {
    const found = this.items.slice(from).find(match);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve) => this.#waiters.push({ from, match, resolve }));
  }
}

/**
 * Holds requests while armed; `held` logs each one as it starts waiting.
 * @example
 * gate.arm(); await action(); await gate.held.next(mark); … gate.release();
 */
export class Gate {
  readonly held = new Log<string>();
  #armed = false;
  #waiting: Array<() => void> = [];

  /** Holds every request from now until {@link release}. */
  arm(): void {
    this.#armed = true;
  }

  /** Lets every held request go and stops holding. */
  release(): void {
    this.#armed = false;
    for (const open of this.#waiting.splice(0)) open();
  }

  /** Resolves at once when disarmed, else when released. */
  pass(what: string): Promise<void> {
    if (!this.#armed) return Promise.resolve();
    return new Promise((resolve) => {
      this.#waiting.push(resolve);
      this.held.push(what);
    });
  }
}
