/**
 * The options of `createDashboardHost`: {@link DashboardHostOptions} as an application writes
 * them, and their check, once at start-up, with errors that name the option, filled in with
 * their defaults: the host's code reads only these settings.
 * @module
 */
import { isPositiveId } from '../protocol/index.js';
import { DATA_SOURCE_NAME } from './definition/dashboard-definition.js';
import { assertUniqueIds } from './definition/load-dashboards.js';
import { checkFrameAncestors, checkParentOrigins, isExactOrigin } from './page/security-headers.js';
import { createHostVerifier, DEFAULT_CLOCK_TOLERANCE_SECONDS, EmbedError, type EmbedKey, type HostVerifier } from './token-verifier.js';
import type { AuditOptions } from './observability/audit-log.js';
import { defaultLog } from './observability/host-log.js';
import type { HostMetrics } from './observability/host-metrics.js';
import type { RedisCache } from './store/redis-cache.js';
import { checkCutOff, Revocations, type RevocationOptions } from './store/revocation.js';
import { RunQueue, type QueueOptions } from './sources/run-queue.js';

/**
 * An option createDashboardHost refuses: a `TypeError`, as before, but its own class so that a
 * caller passing on a configuration (startHostServer) can tell "this value is wrong" from a bug.
 *
 * @example
 * if (error instanceof HostOptionsError) console.error(error.message); // 'queues.x: there is no data source …'
 */
export class HostOptionsError extends TypeError {
  override readonly name = 'HostOptionsError';
}
import type { DashboardDefinition, DataSource, HostLogEntry, MaxAge } from './types.js';
import { checkMaxAge, DEFAULT_MAX_AGE_SECONDS } from './definition/max-age.js';

/** Options of {@link createDashboardHost}. */
export interface DashboardHostOptions {
  /** The organization id tokens must carry. */
  organization: number;
  /** The organization's Embed Secret (at least 32 bytes). Give this or `keys`. */
  secret?: string | Uint8Array;
  /**
   * The keys tokens may be signed with, while the secret rotates: `[{ kid?, secret }, …]`. A token
   * whose header names a `kid` is checked with that key only (`token_key_unknown` when none has
   * it); a token without one (every token signed before key ids) with each key that has no `kid`.
   * Rotate in three steps: hosts accept both keys, signers switch to the new one with its `kid`,
   * hosts drop the old one once its tokens have expired (24 h at most).
   */
  keys?: readonly EmbedKey[];
  /**
   * Public keys the signers publish as a JWKS (`https://app.example.com/.well-known/jwks.json`):
   * fetched when a token names a key id the host has not seen, at most once a minute, and every
   * ten minutes in the background; cached pages never wait for it, and the keys last fetched
   * stay in use while it is down. Alone, or beside `keys` or the old `secret` during a move.
   */
  jwksUrl?: string;
  /** The dashboards served, by id (see {@link loadDashboardFiles}). */
  dashboards: readonly DashboardDefinition[];
  /**
   * Where the queries run, when there is one database: the same as `dataSources: { default:
   * database }`. The host does not close it: its owner does, after `host.close()`.
   */
  database?: DataSource;
  /**
   * Several databases, by name: a dashboard names its own in its `dataSource` field (a dashboard
   * that names none uses the only one). Give this or `database`. The host does not close them.
   */
  dataSources?: Readonly<Record<string, DataSource>>;
  /**
   * Who may frame the dashboards: origins such as `https://app.example.com` (or `'self'`), written
   * into `Content-Security-Policy: frame-ancestors`. Empty means nobody (`'none'`).
   */
  frameAncestors: readonly string[];
  /**
   * Origins the page posts its height to (for `<chartio-embed sizing="auto">`); default: the exact
   * origins in `frameAncestors`. Never `'*'`.
   */
  parentOrigins?: readonly string[];
  cache?: CacheOptions;
  /**
   * A shared Redis (see {@link createRedisCache}) that several hosts keep their pages in: a page
   * rendered by one is a hit on all, and concurrent first requests spread over them make one run.
   * Without it, each host keeps its pages in its own memory. The host does not close it.
   */
  sharedCache?: RedisCache;
  /**
   * Bounds of each data source's run queue: how many new tokens' dashboards run at once, how many
   * more may wait, and how long (`maxWaitMs`, default 3 000); one more, or one whose turn does not
   * come in time, gets 503 with `Retry-After` (cached pages never queue).
   */
  queue?: QueueOptions & {
    /** Seconds a 503 for a full queue asks the client to wait (default 2). */
    retryAfterSeconds?: number;
  };
  /**
   * Per data source (by name, `default` for `database`), bounds that override `queue`'s field by
   * field: `{ warehouse: { maxWaitMs: 1_000 } }`.
   */
  queues?: Readonly<Record<string, QueueOptions>>;
  /**
   * Revocation cut-offs: tokens issued before `before` (the whole organization) or before a
   * dashboard's own cut-off are refused as `token_revoked` (401), cached or not. With
   * `sharedCache`, `chartio-embed revoke` adds cut-offs at run time for every instance.
   */
  revocation?: RevocationOptions;
  /**
   * Seconds a token's page is served before its queries run again (default 900): a view of an
   * older page gets it at once, and the host re-runs that token's queries in the background (once
   * across the instances sharing a Redis), through the data source's queue; the page then swaps
   * the fresh data in place. `"exp"`: one run per token, kept until the token expires. A
   * dashboard's own `maxAge` overrides this.
   */
  maxAge?: MaxAge;
  /** Milliseconds since the epoch (default `Date.now`); tests inject a clock. */
  now?: () => number;
  /** Seconds of clock skew tolerated when verifying (default: the verifier's). */
  clockTolerance?: number;
  /** Milliseconds a chart's query may run before it shows a timeout message (default 30 000). */
  queryTimeoutMs?: number;
  /** CSV downloads: `maxBytes`, the most bytes one file holds (default {@link DEFAULT_DOWNLOAD_MAX_BYTES}). */
  download?: DownloadOptions;
  /** A path prefix the host is mounted under, like `/dash` (default: none). */
  basePath?: string;
  /**
   * Serve `GET /stats` on the host's own routes (default false): cache and query counters as
   * JSON, no token data. Off by default so a public host tells nobody its traffic; the
   * {@link DashboardHost.admin} handler always serves it, for a port of its own.
   */
  statsRoute?: boolean;
  /**
   * Prometheus metrics (see {@link createHostMetrics}): requests by status, cache hits and misses,
   * joined runs, query runs and their durations by dashboard, queue depth, store errors.
   */
  metrics?: HostMetrics;
  /** Serve `GET /metrics` on the host's own routes (default false; needs `metrics`). The admin handler always does. */
  metricsRoute?: boolean;
  /**
   * An audit line per dashboard view (JSON lines): time, organization, dashboard, the token's
   * SHA-256 (never the token), its env (values of `redact` names replaced), how it was served,
   * duration, status. The sink: `'stdout'`, `{ file }` or a function.
   */
  audit?: AuditOptions;
  /** Serve `GET /healthz` (default true): 200 when every data source answers, 503 otherwise or while closing. */
  healthRoute?: boolean;
  /** Where warnings go (default: one JSON line on stderr). */
  log?: (entry: HostLogEntry) => void;
}

/**
 * The most bytes one CSV download holds unless `download.maxBytes` says otherwise: 100 MiB, a
 * spreadsheet's worth (Excel stops at 1,048,576 rows) and minutes of a slow link, yet a bound on
 * what one viewer's click costs the host and its database.
 */
export const DEFAULT_DOWNLOAD_MAX_BYTES = 100 * 1024 * 1024;

/** Options of the host's CSV downloads. */
export interface DownloadOptions {
  /**
   * The most bytes one CSV file holds (default {@link DEFAULT_DOWNLOAD_MAX_BYTES}): rows stop
   * before the first one that would pass it, and the file ends with a line saying so.
   */
  maxBytes?: number;
}

/** The host's cache bounds. */
export interface CacheOptions {
  /** Most pages kept (default 1000). */
  maxEntries?: number;
  /** Most bytes of rendered pages kept (default 64 MiB). A larger page is served, not kept. */
  maxBytes?: number;
  /**
   * Seconds a page whose query failed is kept (default 60), so a passing database outage does not
   * stick to a token for its whole life. Pages that rendered fine live until the token's `exp`.
   */
  failedPageTtlSeconds?: number;
}

/** The options, checked and with defaults filled in. */
export interface HostSettings {
  readonly organization: number;
  /** The secret, checked and ready: verifies tokens for this organization. */
  readonly verifier: HostVerifier;
  readonly dashboards: readonly DashboardDefinition[];
  /** The data sources by name (`default` for the `database` option). */
  readonly dataSources: ReadonlyMap<string, DataSource>;
  /** Each dashboard's data source, by dashboard id. */
  readonly sourceOf: ReadonlyMap<number, DataSource>;
  /** Each data source's run queue, by the source. */
  readonly queues: ReadonlyMap<DataSource, RunQueue>;
  readonly retryAfterSeconds: number;
  readonly frameAncestors: readonly string[];
  readonly parentOrigins: readonly string[];
  readonly maxEntries: number;
  readonly maxBytes: number;
  readonly failedPageTtlSeconds: number;
  /** The host-wide max age (a dashboard's own overrides it). */
  readonly maxAge: MaxAge;
  readonly now: () => number;
  readonly queryTimeoutMs: number;
  readonly downloadMaxBytes: number;
  readonly basePath: string;
  readonly statsRoute: boolean;
  readonly metricsRoute: boolean;
  readonly healthRoute: boolean;
  readonly metrics: HostMetrics | undefined;
  readonly audit: AuditOptions | undefined;
  readonly sharedCache: RedisCache | undefined;
  /** The cut-offs of the options (run-time ones are added to the same object). */
  readonly revocations: Revocations;
  /** Milliseconds between two reads of the run-time cut-offs in the shared Redis. */
  readonly revocationRefreshMs: number;
  readonly log: (entry: HostLogEntry) => void;
}

/**
 * Checks `options` and returns the settings. Throws a `TypeError` (or an `EmbedError` for the
 * organization and the secret) naming the option at fault; nothing is half applied.
 *
 * @example
 * const settings = checkHostOptions({ organization: 16417, secret, dashboards, database, frameAncestors: [] });
 * settings.queryTimeoutMs; // 30000
 */
export function checkHostOptions(options: DashboardHostOptions): HostSettings {
  if (options === null || typeof options !== 'object') {
    throw new HostOptionsError('createDashboardHost takes { organization, secret, dashboards, database, frameAncestors, … }');
  }
  if (!isPositiveId(options.organization)) {
    throw new EmbedError('invalid_organization', `organization must be a positive integer (the organization id tokens carry), got ${String(options.organization)}`);
  }
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') throw new HostOptionsError('now must be a function returning milliseconds since the epoch');
  const log = options.log ?? defaultLog;
  const verifier = createHostVerifier({
    secret: options.secret,
    keys: options.keys,
    jwksUrl: options.jwksUrl,
    onJwksProblem: (message) => log({ level: 'warn', event: 'jwks_unavailable', message }),
    organization: options.organization,
    clockTolerance: options.clockTolerance,
    now,
  });
  if (!Array.isArray(options.dashboards) || options.dashboards.length === 0) {
    throw new HostOptionsError('dashboards must be a non-empty list of dashboard definitions (see loadDashboardFiles)');
  }
  assertUniqueIds(options.dashboards);
  const { dataSources, sourceOf } = checkDataSources(options);
  const queues = new Map<DataSource, RunQueue>();
  const { retryAfterSeconds = 2, ...defaults } = options.queue ?? {};
  if (!Number.isSafeInteger(retryAfterSeconds) || retryAfterSeconds < 1) {
    throw new HostOptionsError(`queue.retryAfterSeconds must be a positive integer of seconds, got ${String(retryAfterSeconds)}`);
  }
  for (const name of Object.keys(options.queues ?? {})) {
    if (!dataSources.has(name)) throw new HostOptionsError(`queues.${name}: there is no data source named "${name}" (${[...dataSources.keys()].join(', ')})`);
  }
  for (const [name, source] of dataSources) {
    const own = options.queues?.[name];
    try {
      // A data source's own bounds override the shared ones field by field.
      queues.set(source, new RunQueue({ ...defaults, ...own }));
    } catch (error) {
      const field = own === undefined ? 'queue' : `queues.${name}`;
      throw new HostOptionsError(`${(error as Error).message.replace(/^queue\./, `${field}.`)}`);
    }
  }
  const frameAncestors = checkFrameAncestors(options.frameAncestors);
  const parentOrigins = checkParentOrigins(options.parentOrigins ?? frameAncestors.filter(isExactOrigin));
  const cache = options.cache ?? {};
  const failedPageTtlSeconds = cache.failedPageTtlSeconds ?? 60;
  if (typeof failedPageTtlSeconds !== 'number' || !(failedPageTtlSeconds >= 0)) {
    throw new HostOptionsError(`cache.failedPageTtlSeconds must be a number of seconds ≥ 0, got ${String(failedPageTtlSeconds)}`);
  }
  const maxAge = checkMaxAge(options.maxAge ?? DEFAULT_MAX_AGE_SECONDS, 'maxAge', (field, problem) => {
    throw new HostOptionsError(`${field} ${problem}`);
  });
  const maxEntries = positiveInteger(cache.maxEntries ?? 1000, 'cache.maxEntries');
  const maxBytes = positiveInteger(cache.maxBytes ?? 64 * 1024 * 1024, 'cache.maxBytes');
  const queryTimeoutMs = options.queryTimeoutMs ?? 30_000;
  if (!Number.isSafeInteger(queryTimeoutMs) || queryTimeoutMs < 1) {
    throw new HostOptionsError(`queryTimeoutMs must be a positive integer of milliseconds, got ${String(queryTimeoutMs)}`);
  }
  if (options.download !== undefined && (options.download === null || typeof options.download !== 'object')) {
    throw new HostOptionsError('download must be { maxBytes? }');
  }
  const downloadMaxBytes = positiveInteger(options.download?.maxBytes ?? DEFAULT_DOWNLOAD_MAX_BYTES, 'download.maxBytes');
  const basePath = options.basePath ?? '';
  if (basePath !== '' && !/^(?:\/[A-Za-z0-9._~-]+)+$/.test(basePath)) {
    throw new HostOptionsError(`basePath must look like "/dash" (no trailing slash), got ${JSON.stringify(basePath)}`);
  }
  const { revocations, revocationRefreshMs } = checkRevocation(options, now());
  return {
    organization: options.organization,
    verifier,
    dashboards: options.dashboards,
    dataSources,
    sourceOf,
    queues,
    retryAfterSeconds,
    frameAncestors,
    parentOrigins,
    maxEntries,
    maxBytes,
    failedPageTtlSeconds,
    maxAge,
    now,
    queryTimeoutMs,
    downloadMaxBytes,
    basePath,
    statsRoute: flag(options.statsRoute, 'statsRoute', false),
    metricsRoute: checkMetricsRoute(options),
    healthRoute: flag(options.healthRoute, 'healthRoute', true),
    metrics: options.metrics,
    audit: options.audit,
    sharedCache: checkSharedCache(options.sharedCache),
    revocations,
    revocationRefreshMs,
    log,
  };
}

/**
 * Tells whether `value` has the two methods of a {@link DataSource}.
 *
 * @example
 * isDataSource(await createDuckDbDataSource()); // true
 */
export function isDataSource(value: unknown): value is DataSource {
  const source = value as Partial<DataSource> | null | undefined;
  return typeof source?.query === 'function' && typeof source.close === 'function';
}

/** The data sources by name, and which one each dashboard uses. */
function checkDataSources(options: DashboardHostOptions): { dataSources: Map<string, DataSource>; sourceOf: Map<number, DataSource> } {
  const dataSources = new Map<string, DataSource>();
  if (options.database !== undefined && options.dataSources !== undefined) {
    throw new HostOptionsError('give either database (one data source) or dataSources (several, by name), not both');
  }
  if (options.database !== undefined || options.dataSources === undefined) {
    if (!isDataSource(options.database)) {
      throw new HostOptionsError('database must be a DataSource with query(sql, params) and close() (see createDuckDbDataSource, createPostgresDataSource)');
    }
    dataSources.set('default', options.database);
  } else {
    if (options.dataSources === null || typeof options.dataSources !== 'object' || Object.keys(options.dataSources).length === 0) {
      throw new HostOptionsError('dataSources must name at least one data source, like { warehouse: await createPostgresDataSource(…) }');
    }
    for (const [name, source] of Object.entries(options.dataSources)) {
      if (!DATA_SOURCE_NAME.test(name)) throw new HostOptionsError(`dataSources: ${JSON.stringify(name)} is not a name (letters, digits, "_" and "-", starting with a letter)`);
      if (!isDataSource(source)) throw new HostOptionsError(`dataSources.${name} must be a DataSource with query(sql, params) and close()`);
      dataSources.set(name, source);
    }
  }
  const names = [...dataSources.keys()];
  const sourceOf = new Map<number, DataSource>();
  for (const dashboard of options.dashboards) {
    const name = dashboard.dataSource ?? (names.length === 1 ? names[0]! : undefined);
    if (name === undefined) {
      throw new HostOptionsError(`${dashboard.source}: dataSource is required, since the host has several data sources (${names.join(', ')})`);
    }
    const source = dataSources.get(name);
    if (!source) throw new HostOptionsError(`${dashboard.source}: dataSource "${name}" is not one of the host's data sources (${names.join(', ')})`);
    sourceOf.set(dashboard.id, source);
  }
  return { dataSources, sourceOf };
}

/** The configured cut-offs, each a past moment, each dashboard one the host serves. */
function checkRevocation(options: DashboardHostOptions, now: number): { revocations: Revocations; revocationRefreshMs: number } {
  const revocation = options.revocation ?? {};
  if (revocation === null || typeof revocation !== 'object') throw new HostOptionsError('revocation must be { before?, dashboards?, refreshMs?, onUnavailable? }');
  const onUnavailable = revocation.onUnavailable ?? 'serve';
  if (onUnavailable !== 'serve' && onUnavailable !== 'refuse') {
    throw new HostOptionsError(`revocation.onUnavailable must be "serve" (keep the cut-offs read last) or "refuse" (503 while Redis cannot be read), got ${JSON.stringify(onUnavailable)}`);
  }
  // A signing server's clock may run a little ahead of this one, as the verifier allows.
  const tolerance = (options.clockTolerance ?? DEFAULT_CLOCK_TOLERANCE_SECONDS) * 1000;
  const organization = revocation.before === undefined ? undefined : checkCutOff(revocation.before, 'revocation.before', now, tolerance);
  const dashboards = new Map<number, number>();
  const served = new Set(options.dashboards.map((dashboard) => dashboard.id));
  for (const [id, moment] of Object.entries(revocation.dashboards ?? {})) {
    const field = `revocation.dashboards.${id}`;
    if (!isPositiveId(Number(id)) || !served.has(Number(id))) throw new HostOptionsError(`${field}: the host serves no dashboard ${id} (${[...served].join(', ')})`);
    dashboards.set(Number(id), checkCutOff(moment, field, now, tolerance));
  }
  const revocationRefreshMs = revocation.refreshMs ?? 5_000;
  if (!Number.isSafeInteger(revocationRefreshMs) || revocationRefreshMs < 100) {
    throw new HostOptionsError(`revocation.refreshMs must be an integer of milliseconds ≥ 100, got ${String(revocationRefreshMs)}`);
  }
  return { revocations: new Revocations({ ...(organization === undefined ? {} : { organization }), dashboards }, onUnavailable), revocationRefreshMs };
}

/** `/metrics` on the host's own port needs metrics to serve. */
function checkMetricsRoute(options: DashboardHostOptions): boolean {
  const metricsRoute = flag(options.metricsRoute, 'metricsRoute', false);
  if (metricsRoute && options.metrics === undefined) {
    throw new HostOptionsError('metricsRoute: true needs metrics to serve: createDashboardHost({ metrics: await createHostMetrics(), metricsRoute: true })');
  }
  return metricsRoute;
}

function flag(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new HostOptionsError(`${name} must be true or false, got ${String(value)}`);
  return value;
}

function checkSharedCache(cache: RedisCache | undefined): RedisCache | undefined {
  if (cache === undefined) return undefined;
  if (cache === null || typeof cache !== 'object' || typeof cache.commands?.sendCommand !== 'function') {
    throw new HostOptionsError('sharedCache must be what createRedisCache({ url }) resolves to');
  }
  return cache;
}

function positiveInteger(value: unknown, name: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 1) throw new HostOptionsError(`${name} must be a positive integer, got ${String(value)}`);
  return value as number;
}
