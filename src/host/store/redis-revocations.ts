/**
 * Run-time revocation cut-offs in the shared Redis: `chartio-embed revoke` writes one, every host
 * sharing the Redis enforces it.
 * - Kept in one hash per organization, `{keyPrefix}revoked:{organization}`: field `*` holds the
 *   organization's cut-off, field `{dashboard}` a dashboard's, each in milliseconds since the
 *   epoch. The hash has no expiry, so `maxmemory-policy volatile-ttl` never evicts it (it holds
 *   one short field per dashboard at most).
 * - Written by one script that only ever raises a cut-off, and announces the change on the
 *   `{keyPrefix}revoked` channel.
 * - Each host reads the hash at start (before its first new token is served, bounded), again at
 *   once when the channel announces a change, and every `refreshMs` whatever happens: an instance
 *   enforces a new cut-off within `refreshMs` plus a command timeout even if it missed the
 *   announcement.
 * - Redis down, by default (`onUnavailable: 'serve'`): the host keeps enforcing every cut-off it
 *   has read (they never move earlier) and those of its configuration, logs once that it cannot
 *   read newer ones, and serves on: the shared cache's promise is that Redis down is never an
 *   outage, and a new cut-off cannot be set while Redis is down anyway (the command fails and
 *   says so). See the README's "Revoking tokens" for the one gap this leaves. With
 *   `onUnavailable: 'refuse'` the host fails closed instead: from the first failed read (at start,
 *   or within `refreshMs` of Redis going down) until the next good one, every token gets 503
 *   `revocation_unavailable`. The log says which, and the metrics too.
 * @module
 */
import { importOptionalPeer } from '../sources/optional-peer.js';
import type { RedisCache } from './redis-cache.js';
import type { CutOffs, Revocations } from './revocation.js';
import { errorDetail } from '../observability/host-log.js';
import type { HostLogEntry } from '../types.js';

/** The hash field of the organization's own cut-off. */
const ORGANIZATION_FIELD = '*';

/**
 * Sets a cut-off unless a later one is there already, and announces a change. Returns the
 * cut-off in force for the field and the whole hash, in one atomic step.
 */
const RAISE = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if not (current and tonumber(current) >= tonumber(ARGV[2])) then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  redis.call('PUBLISH', ARGV[3], ARGV[4])
  current = ARGV[2]
end
return {current, redis.call('HGETALL', KEYS[1])}`;

/**
 * The key of an organization's cut-offs.
 *
 * @example
 * revocationKey('chartio:', 16417); // 'chartio:revoked:16417'
 */
export function revocationKey(keyPrefix: string, organization: number): string {
  return `${keyPrefix}revoked:${organization}`;
}

/** The channel a change is announced on (the message: the organization id). */
function revocationChannel(keyPrefix: string): string {
  return `${keyPrefix}revoked`;
}

/**
 * Cut-offs from an `HGETALL` reply (a flat `[field, value, …]` list, or a map under RESP3);
 * fields or values that are not ours are skipped.
 *
 * @example
 * parseCutOffs(['*', '1772366400000', '38727', '1772370000000']); // { organization: 1772366400000, dashboards: Map { 38727 => 1772370000000 } }
 */
export function parseCutOffs(reply: unknown): CutOffs {
  const entries: [string, unknown][] = [];
  if (Array.isArray(reply)) for (let i = 0; i + 1 < reply.length; i += 2) entries.push([String(reply[i]), reply[i + 1]]);
  else if (reply instanceof Map) for (const [field, value] of reply) entries.push([String(field), value]);
  else if (reply !== null && typeof reply === 'object') entries.push(...Object.entries(reply));
  let organization: number | undefined;
  const dashboards = new Map<number, number>();
  for (const [field, value] of entries) {
    const ms = Number(String(value));
    if (!Number.isSafeInteger(ms) || ms <= 0) continue;
    if (field === ORGANIZATION_FIELD) organization = ms;
    else if (/^[1-9][0-9]{0,15}$/.test(field)) dashboards.set(Number(field), ms);
  }
  return { ...(organization === undefined ? {} : { organization }), dashboards };
}

/** What {@link watchRevocations} needs. */
export interface RevocationWatchOptions {
  readonly organization: number;
  readonly revocations: Revocations;
  /** Milliseconds between two reads (see the module doc). */
  readonly refreshMs: number;
  readonly log: (entry: HostLogEntry) => void;
}

/** A host's watch over the run-time cut-offs. */
export interface RevocationWatch {
  /** Resolves once the cut-offs have been read at start, or the start-up bound has passed. */
  readonly ready: Promise<void>;
  /** Reads that failed (counted with the host's store errors). */
  errors(): number;
  /** Stops reading. */
  close(): void;
}

/**
 * Starts enforcing the run-time cut-offs of `organization` in `redis`: read at start, on each
 * announcement, and every `refreshMs`.
 *
 * @example
 * const watch = watchRevocations(sharedCache, { organization: 16417, revocations, refreshMs: 5_000, log });
 * await watch.ready; // before deciding on a new token
 */
export function watchRevocations(redis: RedisCache, options: RevocationWatchOptions): RevocationWatch {
  const { organization, revocations, refreshMs, log } = options;
  const key = revocationKey(redis.keyPrefix, organization);
  let errors = 0;
  let unavailable = false;
  let closed = false;

  /** Reads the hash and raises what moved; false when Redis did not answer. */
  async function refresh(): Promise<boolean> {
    if (closed) return true;
    let reply: unknown;
    try {
      reply = await redis.commands.sendCommand(['HGETALL', key]);
    } catch (error) {
      errors++;
      revocations.setReadable(false);
      if (!unavailable) {
        unavailable = true;
        const refusing = revocations.onUnavailable === 'refuse';
        log({
          level: refusing ? 'error' : 'warn',
          event: 'revocation_unavailable',
          message: refusing
            ? 'cannot read the run-time revocation cut-offs from Redis: refusing every token (503 revocation_unavailable) until it answers (revocation.onUnavailable is "refuse")'
            : 'cannot read the run-time revocation cut-offs from Redis: enforcing the ones read last and the configured ones until it answers (revocation.onUnavailable is "serve")',
          detail: errorDetail(error),
        });
      }
      return false;
    }
    revocations.setReadable(true);
    if (unavailable) {
      unavailable = false;
      log({
        level: 'info',
        event: 'revocation_recovered',
        message: revocations.onUnavailable === 'refuse' ? 'the run-time revocation cut-offs can be read from Redis again: tokens are served again' : 'the run-time revocation cut-offs can be read from Redis again',
      });
    }
    const cutOffs = parseCutOffs(reply);
    for (const moved of revocations.raise(cutOffs)) {
      const at = new Date(moved === 'organization' ? cutOffs.organization! : cutOffs.dashboards.get(moved)!).toISOString();
      log({
        level: 'info',
        event: 'revocation_updated',
        message: moved === 'organization' ? `tokens of organization ${organization} issued before ${at} are refused` : `tokens for dashboard ${moved} issued before ${at} are refused`,
        ...(moved === 'organization' ? {} : { dashboard: moved }),
      });
    }
    return true;
  }

  void redis
    .subscribe(revocationChannel(redis.keyPrefix), (message) => {
      if (message === String(organization)) void refresh();
    })
    .catch(() => undefined);
  let timer: ReturnType<typeof setInterval> | undefined;
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());
  // At start the connection is not up yet, and commands fail at once until it is: wait for it
  // (bounded), so that a normal start is not logged as an outage (`revocation_unavailable` is
  // what operators alert on), then read, trying again shortly while the bound lasts, so a new
  // instance does not serve a revoked token in its first seconds. Redis still unreachable at the
  // bound: the failed read logs the outage, and the periodic read takes over. The periodic read
  // starts only then, so that it cannot fail on a connection still being made.
  const ready = (async () => {
    const bound = Math.min(2_000, refreshMs);
    const until = Date.now() + bound;
    await Promise.race([redis.connected, pause(bound)]);
    while (!(await refresh()) && Date.now() < until && !closed) await pause(50);
    if (closed) return;
    timer = setInterval(() => void refresh(), refreshMs);
    timer.unref();
  })();

  return {
    ready,
    errors: () => errors,
    close() {
      closed = true;
      clearInterval(timer);
    },
  };
}

/** Options of {@link raiseRevocationCutOff}. */
export interface RaiseCutOffOptions {
  /** The hosts' Redis: `redis://[user:password@]host:6379[/db]`. */
  url: string;
  /** The hosts' key prefix (default `chartio:`). */
  keyPrefix?: string;
  organization: number;
  /** The dashboard, or none for the whole organization. */
  dashboard?: number;
  /** The cut-off, in milliseconds since the epoch. */
  before: number;
  /** Milliseconds to connect and answer before giving up (default 5 000). */
  timeoutMs?: number;
}

/**
 * Sets a run-time cut-off for every host sharing the Redis, and announces it. Resolves to the
 * cut-off now in force for that scope (`raised: false` when a later one was there already, which
 * stays) and every cut-off of the organization; rejects when Redis cannot be reached (then
 * nothing changed).
 *
 * @example
 * const { cutOff, raised } = await raiseRevocationCutOff({ url: process.env.REDIS_URL!, organization: 16417, before: Date.now() });
 */
export async function raiseRevocationCutOff(options: RaiseCutOffOptions): Promise<{ cutOff: number; raised: boolean; all: CutOffs }> {
  const keyPrefix = options.keyPrefix ?? 'chartio:';
  return withClient(options.url, options.timeoutMs ?? 5_000, async (send) => {
    const field = options.dashboard === undefined ? ORGANIZATION_FIELD : String(options.dashboard);
    const wanted = String(Math.floor(options.before));
    const [inForce, hash] = (await send(['EVAL', RAISE, '1', revocationKey(keyPrefix, options.organization), field, wanted, revocationChannel(keyPrefix), String(options.organization)])) as [unknown, unknown];
    return { cutOff: Number(String(inForce)), raised: String(inForce) === wanted, all: parseCutOffs(hash) };
  });
}

/**
 * The run-time cut-offs of an organization, as every host sharing the Redis reads them.
 *
 * @example
 * const { organization, dashboards } = await readRevocationCutOffs({ url, organization: 16417 });
 */
export async function readRevocationCutOffs(options: Omit<RaiseCutOffOptions, 'before' | 'dashboard'>): Promise<CutOffs> {
  return withClient(options.url, options.timeoutMs ?? 5_000, async (send) => parseCutOffs(await send(['HGETALL', revocationKey(options.keyPrefix ?? 'chartio:', options.organization)])));
}

/** Connects once (no retry: a command-line tool says at once that Redis cannot be reached), runs `work`, disconnects. */
async function withClient<T>(url: string, timeoutMs: number, work: (send: (args: string[]) => Promise<unknown>) => Promise<T>): Promise<T> {
  const { createClient } = await importOptionalPeer('redis', () => import('redis'), 'Revoking tokens');
  const client = createClient({ url, socket: { connectTimeout: timeoutMs, reconnectStrategy: false }, commandOptions: { timeout: timeoutMs } });
  let failure: Error | undefined;
  client.on('error', (error: Error) => (failure ??= error));
  try {
    await client.connect();
    return await work((args) => client.sendCommand(args));
  } catch (error) {
    // Never the URL: it may carry a password.
    throw new Error(`Redis could not be reached or did not answer (${(failure ?? (error as Error)).message.replace(url, 'the configured URL')}); nothing was changed`);
  } finally {
    await client.close().catch(() => undefined);
  }
}
