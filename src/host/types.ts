/**
 * Public types of `chartio-embed/host` that every part of the host shares: dashboards as data
 * (their column formats included), the data-source interface a database plugs in through, the
 * log line and the counters. It imports nothing of the host, so every folder may import it: the
 * options of `createDashboardHost` are with their check in host-options.ts, the handler's type
 * with `createDashboardHost` in dashboard-host.ts.
 * @module
 */

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

/** A column's display format: how its values become text on the page. */
export type ColumnFormat =
  /** A number with thousands separators: up to 2 decimals, or exactly `decimals`. */
  | { readonly type: 'number'; readonly decimals?: number }
  /** A whole number without separators, for ids: `2185`, not `2,185`. */
  | { readonly type: 'id' }
  /** An amount in `currency` (ISO 4217, like `USD`): the currency's own decimals, or `decimals`. */
  | { readonly type: 'currency'; readonly currency: string; readonly decimals?: number }
  /** A ratio shown as a percentage (`0.256` → `25.6%`): up to 1 decimal, or exactly `decimals`. */
  | { readonly type: 'percent'; readonly decimals?: number }
  /** A date (`YYYY-MM-DD`), a month (`YYYY-MM`) or a timestamp (ISO 8601), shown in UTC. */
  | { readonly type: 'date' };

/** The kinds of chart a dashboard can hold (one module each in src/host/definition/chart-types/). */
export type ChartType = 'number' | 'line' | 'area' | 'bar' | 'combo' | 'pie' | 'donut' | 'scatter' | 'funnel' | 'heatmap' | 'table' | 'pivot' | 'text';

/**
 * One chart: a title, a type and one SQL query with `$NAME` parameters (a `text` chart has none).
 * Its fields as a file writes them are the chart type's schema (src/host/definition/chart-types/);
 * definition/schema-types.ts checks at compile time that this type and the schemas agree.
 */
export interface ChartDefinition {
  readonly title: string;
  /**
   * - `number`: the first column of the first row (optionally a change and a sparkline);
   * - `line` / `area` / `bar` / `combo`: the first column gives the labels, each further column one series;
   * - `pie` / `donut` / `funnel`: a label and a value; `scatter`: x, y and a size; `heatmap`: x, y and a value;
   * - `table`: every column and row (up to `maxRows`), sortable by its headers;
   * - `pivot`: a cross table of `pivot.rows` by `pivot.columns`, summing `pivot.value`;
   * - `text`: `markdown`, no query.
   */
  readonly type: ChartType;
  /** The query (`''` for a `text` chart, which runs none). */
  readonly sql: string;
  /** Rows read at most (default 1000 for line/bar/pivot, 100 for table, 1 for number, 60 with a sparkline). */
  readonly maxRows: number;
  /** The Hidden Variables this chart's SQL uses (derived from its `$` parameters at load). */
  readonly variables: readonly string[];
  /** How columns are shown, by column name (no entry: numbers as `number`, the rest as is). */
  readonly formats?: Readonly<Record<string, ColumnFormat>>;
  /** Line and bar charts: whether the value axis starts at zero (default true). */
  readonly beginAtZero?: boolean;
  /** Bar charts: vertical (default) or horizontal bars. */
  readonly orientation?: 'vertical' | 'horizontal';
  /** Bar and area charts: the series stacked (default false). */
  readonly stacked?: boolean;
  /** Combo charts: the series columns drawn as lines (the others are bars). */
  readonly lines?: readonly string[];
  /** Combo charts: the series columns read on a second value axis, on the right. */
  readonly secondAxis?: readonly string[];
  /**
   * The chart's CSV download: `false` when turned off; otherwise what it runs. Absent: the chart's
   * own query, up to {@link DEFAULT_DOWNLOAD_ROWS} rows.
   */
  readonly download?: false | ChartDownload;
  /** Twelfths of the row the chart takes (a file's default: 3 for a number, 12 otherwise). */
  readonly width?: number;
  /** The chart's drawing height in CSS px (a multiple of 40 from 120 to 800); absent: the type's own. */
  readonly height?: number;
  /** Number charts: the column of the first row holding the value to compare with. */
  readonly comparison?: string;
  /** Number charts: the column drawn as a sparkline over the rows (newest first). */
  readonly sparkline?: string;
  /** Table and pivot charts: a totals row (and, for a pivot, a totals column). */
  readonly totals?: boolean;
  /** Pivot charts: the columns giving its rows, its columns and the value summed in each cell. */
  readonly pivot?: { readonly rows: string; readonly columns: string; readonly value: string };
  /** Text charts: the text, in the Markdown subset docs/dashboards.md describes. */
  readonly markdown?: string;
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
  /**
   * Seconds a token's page is served before its queries run again in the background (default:
   * the host's `maxAge`, 900); `"exp"` keeps a page until its token expires.
   */
  readonly maxAge?: MaxAge;
  /** Where it came from (a file name), for messages. */
  readonly source: string;
}

/** How long a cached page's data may be shown before it is run again: seconds, or `"exp"` (until the token expires). */
export type MaxAge = number | 'exp';

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

/** What a column holds, as far as a chart cares (`other`: a kind no rule reads, such as a list). */
export type ColumnKind = 'number' | 'text' | 'date' | 'boolean' | 'other';

/** One column of a query's result, as {@link DataSource.describe} tells it. */
export interface ResultColumn {
  readonly name: string;
  readonly kind: ColumnKind;
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
  /**
   * The `$NAME` parameters the statement was checked with when its dashboard was loaded: the
   * source refuses to run it (a `StatementParametersError`) when the database reads others.
   */
  readonly parameters?: readonly string[];
  /**
   * The token's Hidden Variables, whole: for a source that carries them into the database beyond
   * the query's own parameters (the PostgreSQL source's `transactionSettings`, for row-level
   * security). Other sources ignore it; the query's parameters are still `params`.
   */
  readonly env?: Readonly<Record<string, string | readonly string[]>>;
}

/**
 * A query's rows read a chunk at a time (a CSV download), so a large result never sits in memory
 * whole. The source holds a connection until {@link RowStream.close}, which the reader must call
 * whether it read every row or stopped early.
 */
export interface RowStream {
  readonly columns: readonly string[];
  /** The next rows (a chunk of a few thousand at most), or `undefined` once there are no more. */
  next(): Promise<readonly (readonly CellValue[])[] | undefined>;
  /** Stops the query if rows remain, and gives its connection back. Safe to call again. */
  close(): Promise<void>;
}

/** Options of one {@link DataSource.streamRows} call: as a query's, without a row bound (the reader stops). */
export type StreamOptions = Omit<QueryOptions, 'maxRows'>;

/**
 * Where the charts' data comes from. DuckDB ({@link createDuckDbDataSource}) and PostgreSQL
 * ({@link createPostgresDataSource}) are shipped; another database plugs in by implementing
 * these methods. `query` must bind `params` as parameters, never splice them into the SQL text.
 */
export interface DataSource {
  query(sql: string, params: QueryParams, options?: QueryOptions): Promise<QueryResult>;
  /**
   * The `$NAME` parameters the database itself reads in `sql`, as this source would send it with
   * `params` (values may be null: only their types count), without running it; a positional one
   * (`$1`, `?`) comes back as its number (`'1'`). Rejects when the database cannot prepare `sql`.
   * The host's load check compares this with its own reading; without it, only its own counts.
   */
  parameters?(sql: string, params: QueryParams): Promise<string[]>;
  /**
   * The columns `sql` would return with `params` (values may be null), by name and kind, without
   * reading its rows: what `chartio-embed check` compares with the chart type and the formats.
   * Rejects when the database cannot prepare `sql`. Without it, check stops at the parameters.
   */
  describe?(sql: string, params: QueryParams): Promise<ResultColumn[]>;
  /**
   * The same query's rows a chunk at a time, for downloads (the shipped sources have it); a source
   * without it is downloaded through `query`, whole.
   */
  streamRows?(sql: string, params: QueryParams, options?: StreamOptions): Promise<RowStream>;
  /** Stops the queries under way (they reject), then releases the database. */
  close(): Promise<void>;
  /** Resolves when the database answers (for `GET /healthz`); without it the host runs `SELECT 1`. */
  ping?(): Promise<void>;
}

/** One line of the host's log. Never carries the secret or a token. */
export interface HostLogEntry {
  level: 'info' | 'warn' | 'error';
  /**
   * `query_failed`, `query_timeout`, `page_failed`, `verify_failed`, `store_unavailable`,
   * `store_recovered`, `store_unbounded`, `revocation_updated`, `revocation_unavailable`, `revocation_recovered`,
   * `audit_failed`, `jwks_unavailable`, …
   */
  event: string;
  message: string;
  dashboard?: number;
  chart?: string;
  /** The underlying error's text (the database's message), for the operator only. */
  detail?: string;
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
  /** New tokens refused with 503 because their data source's queue was full, or their turn did not come within its `maxWaitMs`. */
  queueFull: number;
}
