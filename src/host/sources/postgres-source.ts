/**
 * A {@link DataSource} over PostgreSQL, through `pg` (node-postgres). `pg` rather than
 * `postgres` (porsager's): it is the driver most PostgreSQL tooling on Node is built and tested
 * against, its pool is a separate, bounded object with documented limits, its per-pool type
 * parsers let this source turn values into cells without touching any global, and it exposes the
 * connection's backend id, which cancelling a query on the server needs. `postgres` favours
 * tagged-template SQL, while dashboards hold their SQL as text with named parameters. The
 * driver is an optional peer dependency, imported only when this source is created.
 *
 * Each query:
 * - runs in its own `READ ONLY` transaction, rolled back at the end (so not even a `set_config`
 *   outlives it), with `SET LOCAL statement_timeout`: the server itself stops a query that runs
 *   too long. An aborted query (the host's timeout, `close()`) is cancelled on the server with
 *   `pg_cancel_backend` from a connection of its own;
 * - binds every `$NAME` as a typed positional parameter (`$1::text`, `$2::bigint`, `$3::text[]`,
 *   `$4::bigint[]`, `$5::date`), never spliced into the SQL, through the extended protocol (one
 *   statement only); `integer_col = $2::bigint` is one of PostgreSQL's own cross-type operators,
 *   which an index on the column serves;
 * - reads at most `maxRows + 1` rows through a cursor, so a huge result is never loaded whole;
 * - with `transactionSettings`, first sets the token's Hidden Variables as transaction settings,
 *   for row-level security policies (`postgres-row-security.ts`);
 *   a download (`streamRows`) reads the same cursor 1000 rows at a time as the client takes them.
 * `parameters(sql)` asks PostgreSQL which `$NAME`s it reads in the statement as sent (the host's
 * load check), by preparing it without running it; PostgreSQL itself refuses values that do not
 * match a statement's parameters in number.
 * Use a read-only role as well: the transaction is the host's guard, the role the database's.
 * @module
 */
import type { Pool, PoolClient, PoolConfig } from 'pg';
import { importOptionalPeer } from './optional-peer.js';
import { findSqlParameters, replaceSqlParameters } from '../definition/sql-parameters.js';
import { assertSameParameters } from './statement-parameters.js';
import { postgresColumnKind } from './column-kinds.js';
import { checkTransactionSettings, roleProblem, ROLE_CHECK_SQL, RowSecurityError, settingsStatement, type TransactionSettings } from './postgres-row-security.js';
import type { BoundValue, CellValue, DataSource, QueryOptions, QueryParams, QueryResult, ResultColumn, RowStream, StreamOptions } from '../types.js';

/**
 * node-postgres pool settings, typed here rather than as `pg`'s own `PoolConfig`, so that this
 * package's types compile in a project without `pg` and `@types/pg` (a DuckDB-only host). The
 * common ones are named; any other passes through to `pg` unchecked.
 */
export interface PostgresPoolSettings {
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  password?: string | (() => string | Promise<string>);
  ssl?: boolean | Readonly<Record<string, unknown>>;
  application_name?: string;
  connectionTimeoutMillis?: number;
  idleTimeoutMillis?: number;
  [setting: string]: unknown;
}

/** Options of {@link createPostgresDataSource}. */
export interface PostgresDataSourceOptions {
  /** `postgresql://user:password@host:5432/database`; or give `config`. */
  connectionString?: string;
  /**
   * Any other `pg` pool settings (`ssl`, `host`, `user`, …: node-postgres' `PoolConfig`), passed
   * to it as they are; `max` and the type parsers are this source's.
   */
  config?: PostgresPoolSettings;
  /** Connections in the pool: how many queries run at once (default 4). */
  connections?: number;
  /** Milliseconds a query may run on the server when the host gives no timeout (default 30 000). */
  statementTimeoutMs?: number;
  /** Where connection errors of idle clients go (default: ignored; the next query reports its own). */
  onError?: (error: Error) => void;
  /**
   * Row-level security: setting names to Hidden Variables, `{ "chartio.acct_id": "ACCT_ID" }`.
   * Each query's transaction first runs `set_config(name, the token's value, true)`, so policies
   * like `USING (account_id = current_setting('chartio.acct_id')::int)` isolate tenants whatever
   * the SQL says; a token without the variable runs no query. The source then refuses to start
   * (a {@link RowSecurityError}) when its role would bypass the policies: a superuser, a role
   * with `BYPASSRLS`, or the owner of a table whose row security is not forced.
   */
  transactionSettings?: Readonly<Record<string, string>>;
}

/** The most rows read when a query does not say (the charts always say). */
const DEFAULT_MAX_ROWS = 10_000;
/** The cursor each query reads through (one per transaction, so one name suffices). */
const CURSOR = 'chartio_rows';

/** Rows per FETCH when a download streams: a few MB at most of long text, one round trip per 1000 rows. */
const STREAM_FETCH_ROWS = 1000;

/** Type ids (pg_type.oid) whose text this source parses itself. */
const OID = { int8: 20, numeric: 1700, date: 1082, timestamp: 1114, timestamptz: 1184 } as const;

/**
 * Connects a bounded pool to PostgreSQL and returns it as a {@link DataSource}. Throws a message
 * naming `npm install pg` when the driver is missing; connection problems surface on the first
 * query (or `ping`).
 *
 * @example
 * const warehouse = await createPostgresDataSource({ connectionString: process.env.DATABASE_URL, connections: 8 });
 * await warehouse.query('SELECT count(*) FROM orders WHERE account_id = $ACCT_ID', {
 *   ACCT_ID: { type: 'integer', value: 7n },
 * });
 * await warehouse.close();
 */
export async function createPostgresDataSource(options: PostgresDataSourceOptions): Promise<DataSource> {
  const size = options.connections ?? 4;
  if (!Number.isSafeInteger(size) || size < 1 || size > 256) throw new TypeError(`connections must be an integer from 1 to 256, got ${String(size)}`);
  const statementTimeoutMs = options.statementTimeoutMs ?? 30_000;
  if (!Number.isSafeInteger(statementTimeoutMs) || statementTimeoutMs < 1) {
    throw new TypeError(`statementTimeoutMs must be a positive integer of milliseconds, got ${String(statementTimeoutMs)}`);
  }
  if (options.connectionString === undefined && options.config === undefined) {
    throw new TypeError('createPostgresDataSource needs connectionString (postgresql://…) or config');
  }
  const pg = (await importOptionalPeer('pg', () => import('pg'), 'The PostgreSQL data source')).default;
  const config: PoolConfig = {
    // pg's own type; max and types below always win over the settings'.
    ...(options.config as PoolConfig | undefined),
    ...(options.connectionString === undefined ? {} : { connectionString: options.connectionString }),
    max: size,
    application_name: options.config?.application_name ?? 'chartio-embed host',
    types: { getTypeParser: typeParser(pg.types.getTypeParser) },
  };
  const settings = options.transactionSettings;
  if (settings !== undefined) checkTransactionSettings(settings);
  const pool = new pg.Pool(config);
  // An idle client whose connection drops emits 'error' on the pool; unhandled, it would end the process.
  pool.on('error', (error) => options.onError?.(error));
  if (settings !== undefined) {
    try {
      await checkRole(pool);
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
  }
  return new PostgresDataSource(pool, () => new pg.Client(config), statementTimeoutMs, settings);
}

/** Refuses a role that row-level security policies would not bind (see `transactionSettings`). */
async function checkRole(pool: Pool): Promise<void> {
  let role: string;
  let rows: { reason: string; relation: string | null }[];
  try {
    role = (await pool.query<{ role: string }>('SELECT current_user AS role')).rows[0]!.role;
    rows = (await pool.query<{ reason: string; relation: string | null }>(ROLE_CHECK_SQL)).rows;
  } catch (error) {
    throw new RowSecurityError(`could not check that its role is bound by row-level security (${(error as Error).message}): the source does not start unchecked`, { cause: error });
  }
  const problem = roleProblem(role, rows);
  if (problem) throw new RowSecurityError(problem);
}

class PostgresDataSource implements DataSource {
  readonly #pool: Pool;
  readonly #newClient: () => import('pg').Client;
  readonly #statementTimeoutMs: number;
  readonly #settings: TransactionSettings | undefined;
  /** Queries under way, by their client, so `close()` can cancel them. */
  readonly #busy = new Map<PoolClient, AbortController>();
  #closed = false;

  constructor(pool: Pool, newClient: () => import('pg').Client, statementTimeoutMs: number, settings: TransactionSettings | undefined) {
    this.#pool = pool;
    this.#newClient = newClient;
    this.#statementTimeoutMs = statementTimeoutMs;
    this.#settings = settings;
  }

  async query(sql: string, params: QueryParams, options: QueryOptions = {}): Promise<QueryResult> {
    const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
    if (this.#closed) throw new Error('the PostgreSQL data source is closed');
    options.signal?.throwIfAborted();
    const client = await this.#pool.connect();
    if (options.signal?.aborted) {
      client.release();
      options.signal.throwIfAborted();
    }
    const controller = new AbortController();
    this.#busy.set(client, controller);
    const abort = () => controller.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', abort, { once: true });
    let cancelled: Promise<void> | undefined;
    const onAbort = () => {
      cancelled = this.#cancel(client);
    };
    controller.signal.addEventListener('abort', onAbort, { once: true });
    let broken = false;
    try {
      controller.signal.throwIfAborted();
      await this.#openCursor(client, sql, params, options, (work) => work());
      const fetched = await client.query({ text: `FETCH FORWARD ${maxRows + 1} FROM ${CURSOR}`, rowMode: 'array' });
      controller.signal.throwIfAborted();
      const rows = (fetched.rows as unknown[][]).slice(0, maxRows).map((row) => row.map(toCell));
      return { columns: fetched.fields.map((field) => field.name), rows, truncated: fetched.rows.length > maxRows };
    } catch (error) {
      if (controller.signal.aborted) throw new Error(`the query was cancelled (${describeReason(controller.signal.reason)})`, { cause: error });
      throw error;
    } finally {
      options.signal?.removeEventListener('abort', abort);
      controller.signal.removeEventListener('abort', onAbort);
      this.#busy.delete(client);
      // A cancel that lands after the query ended would hit the next query on this connection:
      // wait for it, and give back a connection only once its transaction is rolled back.
      if (cancelled) await cancelled;
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      client.release(broken);
    }
  }

  /**
   * The named parameters PostgreSQL itself reads in `sql` as this source sends it (each `$NAME`
   * cast to its type from `params`), found by preparing, never running, one text per name: that
   * name as `$1`, every other as a typed NULL. A name PostgreSQL reads shows as one parameter;
   * one a comment or string hides shows as none. One more text with every name a NULL shows
   * positional parameters the host's reading missed (returned as `'1'`, `'2'`, …).
   */
  async parameters(sql: string, params: QueryParams): Promise<string[]> {
    if (this.#closed) throw new Error('the PostgreSQL data source is closed');
    const names = findSqlParameters(sql);
    const cast = (name: string) => {
      const bound = Object.hasOwn(params, name) ? params[name] : undefined;
      if (!bound) throw new Error(`the query uses $${name}, and no type was given for it`);
      return SQL_TYPES[bound.type];
    };
    const statementWith = (only: string | undefined) =>
      replaceSqlParameters(sql, (name) => (name === only ? `($1::${cast(name)})` : `(NULL::${cast(name)})`)).replace(/[\s;]+$/, '');
    const client = await this.#pool.connect();
    let failed: Error | undefined;
    try {
      const [positional, ...each] = await countParameters(client, [statementWith(undefined), ...names.map(statementWith)]);
      return [...names.filter((_, index) => each[index]! > 0), ...Array.from({ length: positional! }, (_, index) => String(index + 1))];
    } catch (error) {
      failed = error as Error;
      throw error;
    } finally {
      // After a failure the connection is not trusted (a statement may be left prepared): closed, not pooled.
      client.release(failed);
    }
  }

  /**
   * The columns of `sql`, by name and type, without reading a row: the statement (every
   * parameter a typed NULL) wrapped as `SELECT * FROM (…) LIMIT 0`, in a `READ ONLY`
   * transaction under the statement timeout, rolled back. PostgreSQL plans it whole (a wrong
   * column or type fails here as in a run), and a `LIMIT 0` never asks its subquery for a row.
   * pg has no public way to send a Describe alone, and a `PREPARE` in PostgreSQL 15 does not
   * show its result types (`pg_prepared_statements.result_types` came in 16): this is the
   * portable path to the same description.
   */
  async describe(sql: string, params: QueryParams): Promise<ResultColumn[]> {
    if (this.#closed) throw new Error('the PostgreSQL data source is closed');
    const values: unknown[] = [];
    const nulls = Object.fromEntries(Object.entries(params).map(([name, bound]) => [name, { type: bound.type, value: null } as BoundValue]));
    const text = bindPositional(sql, nulls, values);
    const client = await this.#pool.connect();
    let broken: Error | undefined;
    try {
      await client.query(`BEGIN READ ONLY; SET LOCAL statement_timeout = ${Math.min(this.#statementTimeoutMs, 2_147_483_647)}`);
      const described = await client.query({ text: `SELECT * FROM (\n${text}\n) AS chartio_described LIMIT 0`, values, rowMode: 'array' });
      return described.fields.map((field) => ({ name: field.name, kind: postgresColumnKind(field.dataTypeID) }));
    } finally {
      try {
        await client.query('ROLLBACK');
      } catch (error) {
        broken = error as Error;
      }
      client.release(broken);
    }
  }

  /**
   * Opens the statement's cursor on `client`: its parameters checked against those checked at
   * load, the read-only transaction with its statement timeout, the row-level security settings,
   * then the cursor. `query` and `streamRows` both pass through here, so neither can skip the
   * tenant check or the policies' settings. `step` wraps each round trip (the stream's abort rule).
   */
  async #openCursor(client: PoolClient, sql: string, params: QueryParams, options: StreamOptions, step: <T>(work: () => Promise<T>) => Promise<T>): Promise<void> {
    const values: unknown[] = [];
    const text = bindPositional(sql, params, values);
    // The names bound must be those checked at load; PostgreSQL itself then refuses values that
    // do not match the statement's parameters in number.
    assertSameParameters(options.parameters, findSqlParameters(sql));
    const settings = this.#settings && settingsStatement(this.#settings, options.env);
    const timeout = Math.min(options.timeoutMs ?? this.#statementTimeoutMs, 2_147_483_647);
    await step(() => client.query(`BEGIN READ ONLY; SET LOCAL statement_timeout = ${timeout}`));
    // Before the query, in its transaction: the policies read these, and the rollback drops them.
    if (settings) await step(() => client.query(settings));
    await step(() => client.query({ text: `DECLARE ${CURSOR} NO SCROLL CURSOR FOR ${text}`, values, queryMode: 'extended' } as never));
  }

  /**
   * The rows through the same cursor and read-only transaction as {@link query}, fetched
   * {@link STREAM_FETCH_ROWS} at a time as they are asked for, so memory holds one fetch whatever
   * the result's size. The connection is the stream's until `close()`, which rolls the transaction
   * back and gives the connection back; an abort (or the source's `close()`) cancels it on the server.
   */
  async streamRows(sql: string, params: QueryParams, options: StreamOptions = {}): Promise<RowStream> {
    if (this.#closed) throw new Error('the PostgreSQL data source is closed');
    options.signal?.throwIfAborted();
    const client = await this.#pool.connect();
    const controller = new AbortController();
    this.#busy.set(client, controller);
    const abort = () => controller.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', abort, { once: true });
    let cancelled: Promise<void> | undefined;
    const onAbort = () => {
      cancelled = this.#cancel(client);
    };
    controller.signal.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) abort();
    let closed = false;
    let last = false;
    const close = async () => {
      if (closed) return;
      closed = true;
      options.signal?.removeEventListener('abort', abort);
      controller.signal.removeEventListener('abort', onAbort);
      this.#busy.delete(client);
      // As in query(): a cancel must land before the connection serves anyone else.
      if (cancelled) await cancelled;
      let broken = false;
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      client.release(broken);
    };
    const step = async <T>(work: () => Promise<T>): Promise<T> => {
      try {
        controller.signal.throwIfAborted();
        const result = await work();
        controller.signal.throwIfAborted();
        return result;
      } catch (error) {
        if (controller.signal.aborted) throw new Error(`the query was cancelled (${describeReason(controller.signal.reason)})`, { cause: error });
        throw error;
      }
    };
    const fetch = () => step(() => client.query({ text: `FETCH FORWARD ${STREAM_FETCH_ROWS} FROM ${CURSOR}`, rowMode: 'array' }));
    try {
      await this.#openCursor(client, sql, params, options, step);
      // The first fetch names the columns; its rows are the first chunk.
      const first = await fetch();
      let pending: unknown[][] | undefined = first.rows as unknown[][];
      return {
        columns: first.fields.map((field) => field.name),
        next: async () => {
          if (closed || last) return undefined;
          const rows = pending ?? ((await fetch()).rows as unknown[][]);
          pending = undefined;
          // A short fetch is the cursor's end: no round trip to learn it.
          if (rows.length < STREAM_FETCH_ROWS) last = true;
          return rows.length === 0 ? undefined : rows.map((row) => row.map(toCell));
        },
        close,
      };
    } catch (error) {
      await close();
      throw error;
    }
  }

  /** Answers when PostgreSQL does: for health checks. */
  async ping(): Promise<void> {
    await this.#pool.query('SELECT 1');
  }

  /** Cancels every query under way on the server, then closes the pool. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const controller of this.#busy.values()) controller.abort(new Error('the data source is closing'));
    // The queries return their connections as their cancels land; end() waits for them.
    await this.#pool.end();
  }

  /** Cancels the query running on `client` from a connection of its own (the pool may be full). */
  async #cancel(client: PoolClient): Promise<void> {
    const pid = (client as unknown as { processID?: number }).processID;
    if (pid === undefined) return;
    const canceller = this.#newClient();
    canceller.on('error', () => undefined);
    try {
      await canceller.connect();
      await canceller.query('SELECT pg_cancel_backend($1)', [pid]);
    } catch {
      // The server is gone or refuses: the statement timeout still bounds the query.
    } finally {
      await canceller.end().catch(() => undefined);
    }
  }
}

/** The names under which {@link countParameters} prepares statements, for as long as it asks. */
const CHECKED_STATEMENT = 'chartio_embed_parameters_';

/**
 * How many parameters PostgreSQL finds in each of `texts`: each prepared (never run) through the
 * extended protocol, which takes one statement only, then all looked up at once and deallocated.
 */
async function countParameters(client: PoolClient, texts: readonly string[]): Promise<number[]> {
  const prepared: string[] = [];
  try {
    for (const [index, text] of texts.entries()) {
      await client.query({ text: `PREPARE ${CHECKED_STATEMENT}${index} AS ${text}`, queryMode: 'extended' } as never);
      prepared.push(`${CHECKED_STATEMENT}${index}`);
    }
    const { rows } = await client.query('SELECT name, cardinality(parameter_types) AS n FROM pg_prepared_statements WHERE name = ANY($1)', [prepared]);
    const counts = new Map((rows as { name: string; n: number }[]).map((row) => [row.name, Number(row.n)]));
    return prepared.map((name) => counts.get(name) ?? 0);
  } finally {
    // Our own names only: statements others prepared on this connection stay.
    if (prepared.length > 0) await client.query(prepared.map((name) => `DEALLOCATE ${name}`).join('; '));
  }
}

/** Rewrites `$NAME` parameters as typed positional ones, pushing their values in order. */
function bindPositional(sql: string, params: QueryParams, values: unknown[]): string {
  const positions = new Map<string, string>();
  const text = replaceSqlParameters(sql, (name) => {
    let placeholder = positions.get(name);
    if (placeholder === undefined) {
      const bound = Object.hasOwn(params, name) ? params[name] : undefined;
      if (!bound) throw new Error(`the query uses $${name}, and no value was bound to it`);
      values.push(parameterValue(bound));
      placeholder = `($${values.length}::${SQL_TYPES[bound.type]})`;
      positions.set(name, placeholder);
    }
    return placeholder;
  });
  // DECLARE takes one statement: a trailing semicolon would end it early.
  return text.replace(/[\s;]+$/, '');
}

const SQL_TYPES: Readonly<Record<BoundValue['type'], string>> = { text: 'text', integer: 'bigint', list: 'text[]', integer_list: 'bigint[]', date: 'date' };

/** A bound value as `pg` sends it: text, or a list of texts (integers as their exact digits). */
function parameterValue(bound: BoundValue): string | string[] | null {
  if (bound.value === null) return null;
  switch (bound.type) {
    case 'integer':
      return bound.value.toString();
    case 'list':
      return [...bound.value];
    case 'integer_list':
      return bound.value.map(String);
    default:
      return bound.value;
  }
}

/**
 * This pool's type parsers: dates stay `YYYY-MM-DD`, timestamps become ISO text in UTC, bigints
 * numbers when exact (else text), numerics numbers, as the DuckDB source gives them.
 */
function typeParser(fallback: (oid: number, format?: 'text' | 'binary') => unknown) {
  return ((oid: number, format?: 'text' | 'binary') => {
    switch (oid) {
      case OID.date:
        return (text: string) => text;
      case OID.timestamp:
        return (text: string) => isoTimestamp(`${text.replace(' ', 'T')}Z`, text);
      case OID.timestamptz:
        return (text: string) => isoTimestamp(text.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'), text);
      case OID.int8:
        return (text: string) => {
          const value = Number(text);
          return Number.isSafeInteger(value) ? value : text;
        };
      case OID.numeric:
        return (text: string) => {
          const value = Number(text);
          return Number.isFinite(value) ? value : text;
        };
      default:
        return fallback(oid, format);
    }
  }) as never;
}

function isoTimestamp(iso: string, original: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? original : date.toISOString();
}

/** A value as `pg` parsed it, as a cell JSON and HTML can carry (lists and objects as JSON text). */
function toCell(value: unknown): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return `(${value.byteLength} bytes)`;
  return JSON.stringify(value);
}

function describeReason(reason: unknown): string {
  return reason instanceof Error ? reason.message : 'aborted';
}
