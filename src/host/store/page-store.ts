/**
 * Where rendered dashboards are kept between requests, and who runs a token's queries: the one
 * interface the page-runs layer talks to. Two stores plug in behind it:
 * - the in-process store ({@link createLocalPageStore}, the default): an LRU of pages in this
 *   process, and every run claimed at once (one process has no one to share with);
 * - the Redis store (`createRedisPageStore`): the same LRU in front, Redis behind it, shared by
 *   every instance, with a lock per token so concurrent first requests on several instances
 *   make one run.
 *
 * The runs layer never sees a store's failures: a shared store that cannot reach its server
 * answers as the local store would (a miss, a won claim) and logs it, so a page is never lost to
 * the store.
 * @module
 */
import { PageCache, type PageCacheCounts } from './page-cache.js';
import type { RenderedPage } from './rendered-page.js';
import { RerunWindows } from './rerun-windows.js';

/**
 * The outcome of {@link PageStore.claim}: this instance runs the queries (`won`), or another
 * instance already does and this one waits for its page (`held`).
 */
export type RunClaim = WonClaim | HeldClaim;

/** This instance runs the token's queries; it must call `release` once, whatever happens. */
export interface WonClaim {
  readonly won: true;
  /**
   * Ends the claim: with the page (kept everywhere, and the instances waiting for it get it),
   * or `undefined` when the run failed (the waiting instances then claim again).
   */
  release(page: RenderedPage | undefined): Promise<void>;
}

/** Another instance runs the token's queries. */
export interface HeldClaim {
  readonly won: false;
  /**
   * Resolves to the page once the other instance has stored it, or to `undefined` when its
   * claim lapsed without a page (it died or failed): then claim again. Never rejects.
   */
  wait(): Promise<RenderedPage | undefined>;
}

/** Why a cached token's queries run again: its page passed its max age, or a viewer asked for fresh data. */
export type RerunReason = 'age' | 'ask';

/** Counters a store keeps, merged into the host's stats. */
export interface StoreCounts extends PageCacheCounts {
  /** Pages found in the shared store that this process had not rendered or seen. */
  sharedHits: number;
  /** Runs this process waited for while another instance ran them. */
  awaitedRuns: number;
  /** Operations on the shared store that failed or timed out (the host carried on without it). */
  storeErrors: number;
}

/**
 * Where rendered pages are kept, by token. Every method is safe to call at any time and never
 * rejects: a shared store that fails behaves as the local store would.
 */
export interface PageStore {
  /** The page this process holds for `token`, at once (the path of every cached page). */
  peek(token: string): RenderedPage | undefined;
  /** The page another instance stored for `token` (then kept here too), or `undefined`. */
  lookup(token: string): Promise<RenderedPage | undefined>;
  /** Claims the run of `token`'s queries. A store without other instances always answers `won`. */
  claim(token: string): Promise<RunClaim>;
  /**
   * Claims a re-run of a cached token's queries, for `windowMs`, across every instance sharing
   * the store: `true` for the one caller that may run them now; every other call for the same
   * `token` and `reason` within the window is `false`. The claim is never released: it lapses, so
   * a token is re-run at most once per window (`age`: its max age; `ask`: a viewer's refresh).
   */
  claimRerun(token: string, reason: RerunReason, windowMs: number): Promise<boolean>;
  /** Keeps `page` as `token`'s newest page, here and in the shared store, in place of the older one. */
  replace(token: string, page: RenderedPage): Promise<void>;
  counts(): StoreCounts;
  /** Empties this process's pages and closes any connection. The shared pages stay. */
  close(): Promise<void>;
}

/** Bounds of the in-process tier, which every store has. */
export interface LocalStoreOptions {
  maxEntries: number;
  maxBytes: number;
  now: () => number;
}

/**
 * The in-process store: pages in an LRU bounded in entries and bytes, each until it expires. A
 * claim is always won, and a released page is kept here.
 *
 * @example
 * const store = createLocalPageStore({ maxEntries: 1000, maxBytes: 64 << 20, now: Date.now });
 * const claim = await store.claim(token);
 * if (claim.won) await claim.release(page); // store.peek(token) === page
 */
export function createLocalPageStore(options: LocalStoreOptions): PageStore {
  const cache = new PageCache<RenderedPage>(options);
  const reruns = new RerunWindows(options.now);
  return {
    peek: (token) => cache.get(token),
    lookup: async () => undefined,
    async claim(token) {
      return {
        won: true,
        async release(page) {
          if (page) cache.set(token, page);
        },
      };
    },
    claimRerun: async (token, reason, windowMs) => reruns.claim(`${reason}:${token}`, windowMs),
    async replace(token, page) {
      cache.set(token, page);
    },
    counts: () => ({ ...cache.counts(), sharedHits: 0, awaitedRuns: 0, storeErrors: 0 }),
    async close() {
      cache.clear();
      reruns.clear();
    },
  };
}
