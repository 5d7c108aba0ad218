/**
 * The Redis store: this process's LRU in front, the shared Redis behind it (see `redis-cache.ts`
 * for what is kept there). A page one instance renders is a hit on every other until the
 * token's `exp`; concurrent first requests spread over instances make one run:
 * - `claim` sets the token's lock (`SET NX PX`); the winner renews it while its run lasts, stores
 *   the page and frees the lock in one script, and announces the page on the `done` channel;
 * - the others wait for that announcement, and check the lock when its time is up, so a winner
 *   that died (no renewal) is replaced within `lockTtlMs`: the lock expires, a waiter claims it.
 * - `claimRerun` sets `{age|ask}:{hash}` (`SET NX PX` the window, never freed): one instance
 *   re-runs a cached token's queries per window, and `replace` stores the newer page over the old.
 * Redis down or slow: every operation is bounded by the client's command timeout, and a failed
 * one answers as the local store would (a miss, a won claim, nothing stored); the host logs the
 * first failure and the recovery, once each, and counts every failure.
 * @module
 */
import { createHash } from 'node:crypto';
import { PageCache } from './page-cache.js';
import { RerunWindows } from './rerun-windows.js';
import type { HeldClaim, LocalStoreOptions, PageStore, RunClaim, StoreCounts, WonClaim } from './page-store.js';
import type { RedisCache } from './redis-cache.js';
import type { RenderedPage, StoredPage } from './rendered-page.js';
import { errorDetail } from '../observability/host-log.js';
import type { HostLogEntry } from '../types.js';

/** What the Redis store needs besides the connection. */
export interface RedisStoreOptions extends LocalStoreOptions {
  /** Turns a stored record back into a page with this instance's head (undefined: a dashboard not served here). */
  revive(stored: StoredPage): RenderedPage | undefined;
  log(entry: HostLogEntry): void;
}

/** Stores the page (PXAT its expiry), frees the lock if it is still ours, and announces the page. */
const RELEASE_WITH_PAGE = `
redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[2])
if redis.call('GET', KEYS[2]) == ARGV[3] then redis.call('DEL', KEYS[2]) end
redis.call('PUBLISH', ARGV[4], ARGV[5])
return 1`;
/** Frees the lock if it is still ours, and says so on the channel (the waiters then claim again). */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
redis.call('PUBLISH', ARGV[2], ARGV[3])
return 1`;
/**
 * Claims a token's run unless its page is already stored: returns the page, or `OK` when the
 * lock is now ours, or nothing when another instance holds it. One script, so a run that ends
 * between a lookup and a claim cannot be run again.
 */
const CLAIM = `
local page = redis.call('GET', KEYS[1])
if page then return page end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return 'OK' end
return false`;
/** Extends the lock only while it is still ours. */
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

/**
 * Creates the store of one host over a shared Redis connection.
 *
 * @example
 * const store = createRedisPageStore(sharedCache, { maxEntries, maxBytes, now, revive, log });
 */
export function createRedisPageStore(redis: RedisCache, options: RedisStoreOptions): PageStore {
  const local = new PageCache<RenderedPage>(options);
  const { commands, keyPrefix, lockTtlMs, maxPageBytes, instanceId } = redis;
  const channel = `${keyPrefix}done`;
  const counts = { sharedHits: 0, awaitedRuns: 0, storeErrors: 0 };
  /** Local waiters by token hash, woken by the channel. */
  const waiters = new Map<string, Set<() => void>>();
  /** This instance's re-run claims, checked before Redis's. */
  const reruns = new RerunWindows(options.now);
  let unavailable = false;
  let closed = false;

  redis.onError = (error) => failed(error);
  // Once connected (at start, or whenever Redis first answers), say so if nothing bounds its memory.
  void redis.connected.then(() => warnWithoutMaxmemory());
  void redis
    .subscribe(channel, (hash) => {
      for (const wake of waiters.get(hash) ?? []) wake();
    })
    .catch((error: Error) => failed(error));

  const hashOf = (token: string) => createHash('sha256').update(token).digest('base64url');
  const pageKey = (hash: string) => `${keyPrefix}page:${hash}`;
  const lockKey = (hash: string) => `${keyPrefix}lock:${hash}`;

  /** Runs a Redis command; on failure logs (once until it works again) and resolves to `fallback`. */
  async function attempt<T>(work: () => Promise<T>, fallback: T): Promise<T> {
    if (closed) return fallback;
    try {
      const result = await work();
      if (unavailable) {
        unavailable = false;
        options.log({ level: 'warn', event: 'store_recovered', message: 'the shared Redis cache answers again' });
      }
      return result;
    } catch (error) {
      failed(error as Error);
      return fallback;
    }
  }

  function failed(error: Error): void {
    counts.storeErrors++;
    if (unavailable || closed) return;
    unavailable = true;
    options.log({
      level: 'warn',
      event: 'store_unavailable',
      message: 'the shared Redis cache does not answer: serving from this instance’s cache and running queries here until it does',
      detail: errorDetail(error),
    });
  }

  async function warnWithoutMaxmemory(): Promise<void> {
    if (closed) return;
    try {
      const reply = await commands.sendCommand(['CONFIG', 'GET', 'maxmemory']);
      if (configValue(reply, 'maxmemory') === '0') {
        options.log({
          level: 'warn',
          event: 'store_unbounded',
          message: 'Redis has no maxmemory: set maxmemory (e.g. 256mb) with maxmemory-policy volatile-ttl so shared pages cannot fill its memory (volatile-ttl evicts only keys that expire: pages and locks, never the revocation cut-offs)',
        });
      }
    } catch {
      // Not connected yet, or CONFIG is disabled (managed Redis): nothing to say.
    }
  }

  async function fetchPage(hash: string, token: string): Promise<RenderedPage | undefined> {
    const text = await attempt(() => commands.sendCommand<string | null>(['GET', pageKey(hash)]), null);
    return text === null ? undefined : revive(text, token);
  }

  /** A stored page, kept here too; undefined when it is unusable or expired. */
  function revive(text: string, token: string): RenderedPage | undefined {
    let page: RenderedPage | undefined;
    try {
      page = options.revive(JSON.parse(text) as StoredPage);
    } catch (error) {
      failed(error as Error);
      return undefined;
    }
    if (!page || options.now() >= page.expiresAt) return undefined;
    // Never an older page in place of a newer one this instance ran (a re-run whose store failed).
    const mine = local.get(token);
    if (mine && mine.dataTime > page.dataTime) return mine;
    local.set(token, page);
    return page;
  }

  function won(token: string, hash: string, locked: boolean): WonClaim {
    // Renew the lock while the run lasts, so no other instance takes over a run that is alive.
    const renewal = locked
      ? setInterval(() => void attempt(() => commands.sendCommand(['EVAL', RENEW, '1', lockKey(hash), instanceId, String(lockTtlMs)]), 0), Math.max(lockTtlMs / 3, 1))
      : undefined;
    renewal?.unref();
    return {
      won: true,
      async release(page) {
        clearInterval(renewal);
        if (page) local.set(token, page);
        const json = page ? JSON.stringify(page.toStored()) : undefined;
        if (json !== undefined && Buffer.byteLength(json) <= maxPageBytes) {
          await attempt(() => commands.sendCommand(['EVAL', RELEASE_WITH_PAGE, '2', pageKey(hash), lockKey(hash), json, String(Math.floor(page!.expiresAt)), instanceId, channel, hash]), 0);
        } else if (locked) {
          await attempt(() => commands.sendCommand(['EVAL', RELEASE, '1', lockKey(hash), instanceId, channel, hash]), 0);
        }
      },
    };
  }

  function held(token: string, hash: string): HeldClaim {
    return {
      won: false,
      wait: () => {
        counts.awaitedRuns++;
        return new Promise<RenderedPage | undefined>((resolve) => {
          let timer: ReturnType<typeof setTimeout> | undefined;
          let settled = false;
          const set = waiters.get(hash) ?? new Set<() => void>();
          waiters.set(hash, set);
          const finish = (page: RenderedPage | undefined) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            set.delete(wake);
            if (set.size === 0 && waiters.get(hash) === set) waiters.delete(hash);
            resolve(page);
          };
          // Woken by the channel: the page is stored (or the run failed: then claim again).
          const wake = () => void fetchPage(hash, token).then(finish);
          set.add(wake);
          // Woken by the lock's time running out: a page whose announcement was missed, a run
          // still alive (renewed: wait again), or a lock gone without a page (claim again).
          const check = async () => {
            if (settled) return;
            const page = await fetchPage(hash, token);
            if (page) return finish(page);
            const ttl = await attempt(() => commands.sendCommand<number>(['PTTL', lockKey(hash)]), -3);
            if (ttl < 0 || closed) return finish(undefined);
            timer = setTimeout(check, ttl + 10);
          };
          void check();
        });
      },
    };
  }

  return {
    peek: (token) => local.get(token),
    async lookup(token) {
      const page = await fetchPage(hashOf(token), token);
      if (page) counts.sharedHits++;
      return page;
    },
    async claim(token): Promise<RunClaim> {
      const hash = hashOf(token);
      const reply = await attempt(() => commands.sendCommand<string | null>(['EVAL', CLAIM, '2', pageKey(hash), lockKey(hash), instanceId, String(lockTtlMs)]), 'unavailable');
      if (reply === 'OK') return won(token, hash, true);
      // Redis does not answer: run here (the local flight still makes it one run per instance).
      if (reply === 'unavailable') return won(token, hash, false);
      if (reply !== null) {
        // Stored since the lookup: the run is over, its page is here.
        const page = revive(reply, token);
        if (page) return { won: false, wait: async () => page };
      }
      return held(token, hash);
    },
    async claimRerun(token, reason, windowMs) {
      // Claimed here already (or lately): no need to ask Redis; and the bound holds while it is down.
      if (!reruns.claim(`${reason}:${token}`, windowMs)) return false;
      const key = `${keyPrefix}${reason}:${hashOf(token)}`;
      const reply = await attempt(() => commands.sendCommand<string | null>(['SET', key, instanceId, 'NX', 'PX', String(windowMs)]), 'unavailable');
      // 'OK': ours; null: another instance's; 'unavailable': run here (the local window still bounds it).
      return reply !== null;
    },
    async replace(token, page) {
      local.set(token, page);
      const json = JSON.stringify(page.toStored());
      if (Buffer.byteLength(json) > maxPageBytes) return;
      await attempt(() => commands.sendCommand(['SET', pageKey(hashOf(token)), json, 'PXAT', String(Math.floor(page.expiresAt))]), null);
    },
    counts: (): StoreCounts => ({ ...local.counts(), ...counts }),
    async close() {
      closed = true;
      for (const set of waiters.values()) for (const wake of set) wake();
      local.clear();
    },
  };
}

/**
 * A value from a `CONFIG GET` reply. node-redis 6 (RESP2) answers an object,
 * `{ maxmemory: '0' }`; a flat `['maxmemory', '0']` (the reply as Redis sends it, which other
 * clients pass on) and a Map (RESP3) are read too, so the check does not go silent again when the
 * client changes.
 */
function configValue(reply: unknown, name: string): string | undefined {
  if (Array.isArray(reply)) {
    const at = reply.indexOf(name);
    return at >= 0 && at % 2 === 0 && at + 1 < reply.length ? String(reply[at + 1]) : undefined;
  }
  if (reply instanceof Map) return reply.has(name) ? String(reply.get(name)) : undefined;
  if (reply !== null && typeof reply === 'object' && Object.hasOwn(reply, name)) return String((reply as Record<string, unknown>)[name]);
  return undefined;
}
