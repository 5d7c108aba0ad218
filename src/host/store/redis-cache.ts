/**
 * The connection to a shared Redis that several dashboard hosts keep their pages in, through
 * `redis` (node-redis). node-redis rather than ioredis: it is the client Redis itself maintains
 * and recommends for new projects (ioredis's own README says so), with typed commands, a
 * per-command timeout and an offline queue that can be turned off, which is what lets a host
 * treat a slow or absent Redis as a miss instead of waiting on it. It is an optional peer
 * dependency, imported only when this connection is made.
 *
 * What is kept there, under a key prefix (`chartio:` by default), by the SHA-256 of the token
 * (never the token itself):
 * - `page:{hash}`: a rendered page (its body parts and the token's claims), until the token's
 *   `exp` (`PXAT`), if it is at most `maxPageBytes`;
 * - `lock:{hash}`: which instance is running the token's queries, for `lockTtlMs`, renewed while
 *   the run lasts, so an instance that dies frees it within `lockTtlMs`;
 * - `age:{hash}` and `ask:{hash}`: which instance re-runs a cached token's queries, for the
 *   window (its max age, or the 10 s between two refreshes a viewer asks for): set, never freed;
 * - the `done` channel: the hash of each page stored, so the instances waiting for it stop waiting.
 * Bound Redis's memory on the server too: `maxmemory` with `maxmemory-policy volatile-ttl` (every
 * key here expires); the host logs a warning at start when Redis reports no `maxmemory`.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { importOptionalPeer } from '../sources/optional-peer.js';

/** Options of {@link createRedisCache}. */
export interface RedisCacheOptions {
  /** `redis://[user:password@]host:6379[/db]` (or `rediss://` for TLS). */
  url: string;
  /** Prefix of every key and of the channel (default `chartio:`): hosts that share pages share it. */
  keyPrefix?: string;
  /** Milliseconds a run's lock lasts without renewal: how long an instance's death can hold others up (default 10 000). */
  lockTtlMs?: number;
  /** Milliseconds a Redis command may take before the host carries on without it (default 500). */
  commandTimeoutMs?: number;
  /** Largest page kept in Redis, in bytes (default 1 MiB); a larger one stays in the instance's own cache. */
  maxPageBytes?: number;
}

/** The few commands the store sends (any node-redis client has them). */
export interface RedisCommands {
  sendCommand<T = unknown>(args: readonly string[]): Promise<T>;
}

/** A connection to the shared Redis, for `createDashboardHost({ sharedCache })`. */
export interface RedisCache {
  readonly keyPrefix: string;
  readonly lockTtlMs: number;
  readonly maxPageBytes: number;
  /** This process's id in locks: random per connection. */
  readonly instanceId: string;
  /** Sends commands (bounded by `commandTimeoutMs`, refused at once while disconnected). */
  readonly commands: RedisCommands;
  /**
   * Resolves once the first connection is up (ready for commands); pending while Redis cannot be
   * reached, never rejected. What start-up work waits for, bounded by its own timer.
   */
  readonly connected: Promise<void>;
  /** Calls `listener` with each message on `channel` (re-subscribed after a reconnection). */
  subscribe(channel: string, listener: (message: string) => void): Promise<void>;
  /** Where connection errors go: set by the host that uses this cache. */
  onError: (error: Error) => void;
  /** Closes both connections. Pages stay in Redis until they expire. */
  close(): Promise<void>;
}

/**
 * Connects to Redis for a shared page cache. Resolves at once, connected or not: a Redis that is
 * down now is a miss for every page until it is back (the client reconnects in the background),
 * never an error for a viewer. Throws a message naming `npm install redis` when the package is
 * missing, and a `TypeError` naming a bad option.
 *
 * @example
 * const sharedCache = await createRedisCache({ url: process.env.REDIS_URL! });
 * const host = createDashboardHost({ organization, secret, dashboards, database, frameAncestors, sharedCache });
 * // at shutdown: await host.close(); await sharedCache.close();
 */
export async function createRedisCache(options: RedisCacheOptions): Promise<RedisCache> {
  if (options === null || typeof options !== 'object' || typeof options.url !== 'string' || !/^rediss?:\/\//.test(options.url)) {
    throw new TypeError('createRedisCache needs { url: "redis://host:6379" }');
  }
  const keyPrefix = options.keyPrefix ?? 'chartio:';
  if (typeof keyPrefix !== 'string' || !/^[A-Za-z0-9:_.-]{0,64}$/.test(keyPrefix)) {
    throw new TypeError(`keyPrefix must be letters, digits, ":", "_", "." or "-" (at most 64), got ${JSON.stringify(keyPrefix)}`);
  }
  const lockTtlMs = positive(options.lockTtlMs ?? 10_000, 'lockTtlMs');
  const commandTimeoutMs = positive(options.commandTimeoutMs ?? 500, 'commandTimeoutMs');
  const maxPageBytes = positive(options.maxPageBytes ?? 1024 * 1024, 'maxPageBytes');
  const { createClient } = await importOptionalPeer('redis', () => import('redis'), 'The shared Redis cache');

  const cache: RedisCache = {
    keyPrefix,
    lockTtlMs,
    maxPageBytes,
    instanceId: randomBytes(12).toString('base64url'),
    commands: undefined as unknown as RedisCommands,
    connected: undefined as unknown as Promise<void>,
    subscribe: undefined as unknown as RedisCache['subscribe'],
    onError: () => undefined,
    close: undefined as unknown as RedisCache['close'],
  };
  const client = createClient({
    url: options.url,
    // Fail fast while disconnected, and bound every command: the host then serves without Redis.
    disableOfflineQueue: true,
    commandOptions: { timeout: commandTimeoutMs },
    socket: {
      connectTimeout: Math.max(commandTimeoutMs, 1_000),
      // Keep trying, at most every 2 s, for as long as the host runs.
      reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2_000),
    },
  });
  const subscriber = client.duplicate();
  // Unhandled, an 'error' event would end the process; the host's store logs it (once).
  client.on('error', (error: Error) => cache.onError(error));
  subscriber.on('error', (error: Error) => cache.onError(error));
  // connect() resolves once the client is ready, after as many retries as it takes. Commands
  // sent before then fail at once ("The client is offline"): start-up reads wait for this instead
  // of taking a normal start for an outage. A connect given up (closed first) stays pending.
  const connected = client.connect().then(
    () => undefined,
    (error: Error) => {
      cache.onError(error);
      return new Promise<void>(() => undefined);
    },
  );
  const subscriberReady = subscriber.connect().catch((error: Error) => cache.onError(error));

  Object.assign(cache, {
    commands: { sendCommand: (args: readonly string[]) => withTimeout(client.sendCommand([...args]), commandTimeoutMs) } satisfies RedisCommands,
    connected,
    async subscribe(channel: string, listener: (message: string) => void) {
      await subscriberReady;
      await subscriber.subscribe(channel, (message: string) => listener(message));
    },
    async close() {
      await Promise.allSettled([client.close(), subscriber.close()]);
    },
  });
  return cache;
}

/**
 * `promise`, or a rejection after `ms`. node-redis's own command timeout stops only commands not
 * yet written; a command already sent waits for its reply however long Redis takes (its replies
 * come in order), so a slow Redis is bounded here, and the late reply is dropped.
 */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

function positive(value: unknown, name: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 1) throw new TypeError(`${name} must be a positive integer, got ${String(value)}`);
  return value as number;
}
