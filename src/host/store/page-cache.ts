/**
 * The rendered-page cache: one entry per token, kept until the token's `exp`, bounded in entries
 * and bytes, least recently used out first. Time comes from an injected clock, so expiry is
 * tested without waiting, and no timer keeps the process alive.
 * @module
 */
/** What the cache keeps: a page's bytes (counted against the bound) and when it expires. */
export interface Cacheable {
  readonly bytes: Uint8Array;
  /** Milliseconds since the epoch. */
  readonly expiresAt: number;
}

/** Bounds of a {@link PageCache}. */
export interface PageCacheOptions {
  maxEntries: number;
  maxBytes: number;
  /** Milliseconds since the epoch. */
  now: () => number;
}

/** Counters a {@link PageCache} keeps. */
export interface PageCacheCounts {
  entries: number;
  bytes: number;
  evictions: number;
  expirations: number;
  uncacheable: number;
}

/** How often at most the whole cache is swept for expired entries, in milliseconds. */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * A least-recently-used map from token to rendered page. A `Map` keeps insertion order, so
 * moving an entry to the end on each hit makes the first key the least recently used.
 *
 * @example
 * const cache = new PageCache({ maxEntries: 1000, maxBytes: 64 << 20, now: Date.now });
 * cache.set(token, page);
 * cache.get(token)?.bytes; // until page.expiresAt
 */
export class PageCache<Page extends Cacheable = Cacheable> {
  readonly #entries = new Map<string, { page: Page; bytes: number }>();
  readonly #options: PageCacheOptions;
  #bytes = 0;
  #evictions = 0;
  #expirations = 0;
  #uncacheable = 0;
  #lastSweep = 0;

  constructor(options: PageCacheOptions) {
    for (const key of ['maxEntries', 'maxBytes'] as const) {
      if (!Number.isSafeInteger(options[key]) || options[key] < 1) {
        throw new TypeError(`cache.${key} must be a positive integer, got ${String(options[key])}`);
      }
    }
    this.#options = options;
  }

  /**
   * The page cached for `token`, or `undefined` when there is none or it has expired (then it is
   * dropped). A hit makes the entry the most recently used.
   *
   * @example
   * const cached = cache.get(token);
   */
  get(token: string): Page | undefined {
    const entry = this.#entries.get(token);
    if (!entry) return undefined;
    if (this.#options.now() >= entry.page.expiresAt) {
      this.#delete(token, entry.bytes);
      this.#expirations++;
      return undefined;
    }
    this.#entries.delete(token);
    this.#entries.set(token, entry);
    return entry.page;
  }

  /**
   * Keeps `page` for `token` until `page.expiresAt`, dropping least recently used entries to stay
   * within bounds. Returns false (and keeps nothing) when the page alone exceeds `maxBytes` or
   * has already expired.
   *
   * @example
   * cache.set(token, RenderedPage.create(head, { claims, expiresAt: claims.exp * 1000, main, charts }));
   */
  set(token: string, page: Page): boolean {
    const now = this.#options.now();
    const previous = this.#entries.get(token);
    if (previous) this.#delete(token, previous.bytes);
    // The token's text is kept as the key too: count it (UTF-16) with the page.
    const bytes = page.bytes.byteLength + token.length * 2;
    if (bytes > this.#options.maxBytes) {
      this.#uncacheable++;
      return false;
    }
    if (now >= page.expiresAt) return false;
    if (now - this.#lastSweep >= SWEEP_INTERVAL_MS) this.#sweep(now);
    while (this.#entries.size >= this.#options.maxEntries || this.#bytes + bytes > this.#options.maxBytes) {
      const oldest = this.#entries.entries().next().value;
      if (!oldest) break;
      this.#delete(oldest[0], oldest[1].bytes);
      this.#evictions++;
    }
    this.#entries.set(token, { page, bytes });
    this.#bytes += bytes;
    return true;
  }

  /** Empties the cache (the counters stay). */
  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }

  /** A snapshot of the counters. */
  counts(): PageCacheCounts {
    return {
      entries: this.#entries.size,
      bytes: this.#bytes,
      evictions: this.#evictions,
      expirations: this.#expirations,
      uncacheable: this.#uncacheable,
    };
  }

  /** Drops every expired entry; run now and then from `set`, so expired pages do not sit in memory. */
  #sweep(now: number): void {
    this.#lastSweep = now;
    for (const [token, entry] of this.#entries) {
      if (now >= entry.page.expiresAt) {
        this.#delete(token, entry.bytes);
        this.#expirations++;
      }
    }
  }

  /**
   * Drops the page kept for `token`, if any.
   *
   * @example
   * cache.delete(token);
   */
  delete(token: string): void {
    const entry = this.#entries.get(token);
    if (entry) this.#delete(token, entry.bytes);
  }

  #delete(token: string, bytes: number): void {
    this.#entries.delete(token);
    this.#bytes -= bytes;
  }
}
