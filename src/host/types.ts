/**
 * Public types of `chartio-embed/host`: dashboards as data, the data-source interface a database
 * plugs in through, and the host's options, stats and handler.
 * @module
 */
import type { AuditOptions } from './audit-log.js';
import type { ColumnFormat } from './format-definition.js';
import type { HostMetrics } from './host-metrics.js';
import type { EmbedKey } from './from-server.js';
import type { RedisCache } from './redis-cache.js';
import type { RevocationOptions } from './revocation.js';
import type { QueueOptions } from './run-queue.js';

/** How a Hidden Variable is read from the token's `env` and bound to the queries. */
export type VariableKind = 'text' | 'integer' | 'list' | 'integer_list' | 'date_range';

/** A Hidden Variable a dashboard reads, as written in its JSON file. */
export interface VariableDefinition {
  /** Upper snake case, as in the token's `env`: `ACCT_ID`. */
  readonly name: string;
  /**
   * - `text`: one string, bound as `$NAME` (VARCHAR);
   * - `integer`: one whole number in the 64-bit range, written as a string (`"42"`), bound as
   *   `$NAME` (BIGINT), so SQL compares it with an integer column as is: `account_id = $ACCT_ID`;
   * - `list`: a list of strings, bound as `$NAME` (a `VARCHAR[]` list; a single string counts as
   *   a one-item list);
   * - `integer_list`: a list of such whole numbers, bound as `$NAME` (a `BIGINT[]` list; a single
   *   string counts as a one-item list);
   * - `date_range`: two ISO dates `[start, end]`, bound as `$NAME_START` and `$NAME_END` (DATE).
   */
  readonly kind: VariableKind;
  /** When true, a chart that uses the variable shows a message instead of running without it. */
  readonly required: boolean;
  /**
   * When true, every chart's SQL must use the variable (the tenant filter, typically `ACCT_ID`):
   * a dashboard with a chart that does not is refused at load, naming the chart. Implies
   * `required`.
   */
  readonly everywhere?: boolean;
}

/** The kinds of chart a dashboard can hold. */
export type ChartType = 'number' | 'line' | 'bar' | 'table';

/** One chart: a title, a type and one SQL query with `$NAME` parameters. */
export interface ChartDefinition {
  readonly title: string;
  /**
   * - `number`: the first column of the first row;
   * - `line` / `bar`: the first column gives the labels, each further column one series;
   * - `table`: every column and row (up to `maxRows`).
   */
  readonly type: ChartType;
  readonly sql: string;
  /** Rows read at most (default 1000 for line/bar, 100 for table, 1 for number). */
  readonly maxRows: number;
  /** The Hidden Variables this chart's SQL uses (derived from its `$` parameters at load). */
  readonly variables: readonly string[];
  /** How columns are shown, by column name (no entry: numbers as `number`, the rest as is). */
  readonly formats?: Readonly<Record<string, ColumnFormat>>;
  /** Line and bar charts: whether the value axis starts at zero (default true). */
  readonly beginAtZero?: boolean;
  /**
   * The chart's CSV download: `false` when turned off; otherwise what it runs. Absent: the chart's
   * own query, up to {@link DEFAULT_DOWNLOAD_ROWS} rows.
   */
  readonly download?: false | ChartDownload;
}

/** What a chart's CSV download runs, under the token's env like the chart itself. */
export interface ChartDownload {
  /** The chart's own SQL, or a download query of its own (held to the same `everywhere` rule). */
  readonly sql: string;
  /** Rows the download holds at most. */
  readonly maxRows: number;
  /** The Hidden Variables `sql` uses. */
  readonly variables: readonly string[];
}

/** A dashboard, validated: what {@link parseDashboardDefinition} returns. */
export interface DashboardDefinition {
  /** The dashboard id tokens carry in their `dashboard` claim. */
  readonly id: number;
  readonly title: string;
  /** The name of the host's data source its queries run on (default: the host's only one). */
  readonly dataSource?: string;
  readonly variables: readonly VariableDefinition[];
  readonly charts: readonly ChartDefinition[];
  /** `false` turns every chart's CSV download off (default: on). */
  readonly downloads?: boolean;
  /** Where it came from (a file name), for messages. */
  readonly source: string;
}

/** A value bound to one query parameter, typed so any database can bind it natively. */
export type BoundValue =
  | { readonly type: 'text'; readonly value: string | null }
  | { readonly type: 'integer'; readonly value: bigint | null }
  | { readonly type: 'list'; readonly value: readonly string[] | null }
  | { readonly type: 'integer_list'; readonly value: readonly bigint[] | null }
  | { readonly type: 'date'; readonly value: string | null };

/** Query parameters by name, without the `$`: `{ ACCT_ID: { type: 'text', value: '1' } }`. */
export type QueryParams = Readonly<Record<string, BoundValue>>;

/** A cell of a query result, already in a shape that JSON and HTML can carry. */
export type CellValue = string | number | boolean | null;

/** A query's answer. */
export interface QueryResult {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly CellValue[])[];
  /** True when the query had more rows than `maxRows` asked for. */
  readonly truncated: boolean;
}

/** Options of one {@link DataSource.query} call. */
export interface QueryOptions {
  /** Read at most this many rows. */
  readonly maxRows?: number;
  /** Aborts the query (the DuckDB source interrupts it, the PostgreSQL source cancels it on the server). */
  readonly signal?: AbortSignal;
  /**
   * Milliseconds the query may run: a source that can bound it on the server itself does (the
   * PostgreSQL source's `statement_timeout`). The host also aborts it through `signal`.
   */
  readonly timeoutMs?: number;
}

/**
 * Where the charts' data comes from. DuckDB ({@link createDuckDbDataSource}) and PostgreSQL
 * ({@link createPostgresDataSource}) are shipped; another database plugs in by implementing
 * these methods. `query` must bind `params` as parameters, never splice them into the SQL text.
 */
export interface DataSource {
  query(sql: string, params: QueryParams, options?: QueryOptions): Promise<QueryResult>;
  /** Stops the queries under way (they reject), then releases the database. */
  close(): Promise<void>;
  /** Resolves when the database answers (for `GET /healthz`); without it the host runs `SELECT 1`. */
  ping?(): Promise<void>;
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

/** One line of the host's log. Never carries the secret or a token. */
export interface HostLogEntry {
  level: 'info' | 'warn' | 'error';
  /**
   * `query_failed`, `query_timeout`, `page_failed`, `verify_failed`, `store_unavailable`,
   * `store_recovered`, `revocation_updated`, `revocation_unavailable`, `revocation_recovered`,
   * `audit_failed`, …
   */
  event: string;
  message: string;
  dashboard?: number;
  chart?: string;
  /** The underlying error's text (the database's message), for the operator only. */
  detail?: string;
}

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
   * more may wait; one more gets 503 with `Retry-After` (cached pages never queue).
   */
  queue?: QueueOptions & {
    /** Seconds a 503 for a full queue asks the client to wait (default 2). */
    retryAfterSeconds?: number;
  };
  /** Per data source (by name, `default` for `database`), bounds that replace `queue`'s. */
  queues?: Readonly<Record<string, QueueOptions>>;
  /**
   * Revocation cut-offs: tokens issued before `before` (the whole organization) or before a
   * dashboard's own cut-off are refused as `token_revoked` (401), cached or not. With
   * `sharedCache`, `chartio-embed revoke` adds cut-offs at run time for every instance.
   */
  revocation?: RevocationOptions;
  /** Milliseconds since the epoch (default `Date.now`); tests inject a clock. */
  now?: () => number;
  /** Seconds of clock skew tolerated when verifying (default: the verifier's). */
  clockTolerance?: number;
  /** Milliseconds a chart's query may run before it shows a timeout message (default 30 000). */
  queryTimeoutMs?: number;
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

/** Counters of a host since it started. */
export interface HostStats {
  /** Requests answered from the cache at once. */
  hits: number;
  /** Requests with a verified token not in the cache (including those that joined a run). */
  misses: number;
  /** Dashboard query runs (one per new token; concurrent first requests share one). */
  queryRuns: number;
  /** Single SQL queries executed. */
  queries: number;
  /** Requests that joined a run already under way for the same token. */
  joinedRuns: number;
  /** Requests refused because their token failed verification (or had none), revoked ones included. */
  rejectedTokens: number;
  /** Requests refused because their token was issued before a revocation cut-off. */
  revokedTokens: number;
  /** Pages in the cache now, and their bytes. */
  entries: number;
  bytes: number;
  /** Pages dropped to stay within bounds, and pages dropped because their token expired. */
  evictions: number;
  expirations: number;
  /** Pages too large for the cache, served but not kept. */
  uncacheable: number;
  /** Pages found in the shared cache (rendered by another instance). */
  sharedHits: number;
  /** Runs this instance waited for while another instance ran them. */
  awaitedRuns: number;
  /** Operations on the shared cache that failed or timed out (the host carried on without it). */
  storeErrors: number;
  /** Dashboard runs under way, and waiting their turn, over every data source. */
  runsRunning: number;
  runsQueued: number;
  /** New tokens refused with 503 because their data source's queue was full. */
  queueFull: number;
}

/** A Fetch-API handler with the host's extra methods. */
export interface DashboardHost {
  (request: Request): Promise<Response>;
  /** A snapshot of the counters. */
  stats(): HostStats;
  /**
   * The operator's routes, for a port of their own that only the operator can reach (never the
   * public one): `GET /stats`, `GET /metrics` (with `metrics`), `GET /healthz`; 404 otherwise.
   */
  readonly admin: (request: Request) => Promise<Response>;
  /** Refuses new requests (503), waits for runs under way, empties the cache, closes the audit file. */
  close(): Promise<void>;
}
