/**
 * A {@link DataSource} over DuckDB (`@duckdb/node-api`, in-process, no server). The driver is an
 * optional peer dependency: it is imported only when this source is created.
 *
 * Binding: every `$NAME` the statement declares is bound from `params` by its type: `text` as
 * VARCHAR, `integer` as BIGINT, `date` as DATE, `list` as `VARCHAR[]`, `integer_list` as
 * `BIGINT[]`, `null` as SQL NULL. Values never enter the SQL text, so `1 OR 1=1` stays a string.
 * DuckDB types a parameter from where it stands (`account_id = $ACCT_ID` expects the column's
 * INTEGER) and plans again for a BIGINT bound there, so the comparison costs what a literal would,
 * and a value beyond the column's range matches no row instead of failing.
 *
 * DuckDB binds the parameters the statement has, silently: one whose `$ACCT_ID` a comment hid
 * would run for every tenant. So `parameters(sql)` answers from DuckDB's own prepared statement
 * (the host's load check), and a run told which parameters were checked (`options.parameters`)
 * is refused before binding when DuckDB reads others.
 * @module
 */
import type { DuckDBConnection, DuckDBInstance, DuckDBListType, DuckDBPreparedStatement } from '@duckdb/node-api';
import { importOptionalPeer } from './optional-peer.js';
import { assertSameParameters } from './statement-parameters.js';
import { duckDbColumnKind } from './column-kinds.js';
import type { BoundValue, CellValue, DataSource, QueryOptions, QueryParams, QueryResult, ResultColumn, RowStream, StreamOptions } from '../types.js';

type DuckDbModule = typeof import('@duckdb/node-api');

/** Options of {@link createDuckDbDataSource}. */
export interface DuckDbDataSourceOptions {
  /** A database file, or `':memory:'` (the default). */
  path?: string;
  /** DuckDB settings, e.g. `{ threads: '2', access_mode: 'READ_ONLY' }`. */
  config?: Record<string, string>;
  /**
   * Connections in the pool: how many queries run at once (default 4, so most dashboards run all
   * their charts at once; DuckDB connections are cheap: they share one database and its threads).
   */
  connections?: number;
  /** SQL statements run once, in order, before the source is returned (to create demo data, say). */
  setup?: readonly string[];
}

/** How often an aborted query is interrupted again until it stops, in milliseconds. */
const INTERRUPT_REPEAT_MS = 20;

/**
 * Connections when the options do not say. Measured on the demo (six charts, 2 cores): a new
 * token's run took about 12 ms with 2 and 9 ms with 4; more gained little.
 */
const DEFAULT_CONNECTIONS = 4;

/**
 * Statements kept prepared per connection, by SQL text. A dashboard's charts run the same SQL for
 * every token with other values, so preparing (parsing, binding, planning) once per connection
 * saves that work on every later run; the bound keeps SQL text that varies from growing it.
 */
const PREPARED_PER_CONNECTION = 128;

/** The most rows read when a query does not say (the charts always say). */
const DEFAULT_MAX_ROWS = 10_000;

/**
 * Opens a DuckDB database and returns it as a {@link DataSource} with a small connection pool.
 * Throws a message naming `npm install @duckdb/node-api` when the driver is missing, and a
 * {@link DuckDbSetupError} naming the `setup` statement that failed.
 *
 * @example
 * const database = await createDuckDbDataSource({ setup: ['CREATE TABLE t AS SELECT 1 AS n'] });
 * await database.query('SELECT n FROM t WHERE n = $N', { N: { type: 'integer', value: 1n } });
 * // { columns: ['n'], rows: [[1]], truncated: false }
 * await database.close();
 */
export async function createDuckDbDataSource(options: DuckDbDataSourceOptions = {}): Promise<DataSource> {
  const size = options.connections ?? DEFAULT_CONNECTIONS;
  if (!Number.isSafeInteger(size) || size < 1 || size > 64) throw new TypeError(`connections must be an integer from 1 to 64, got ${String(size)}`);
  const duckdb = await importOptionalPeer('@duckdb/node-api', () => import('@duckdb/node-api'), 'The DuckDB data source');
  const instance = await duckdb.DuckDBInstance.create(options.path ?? ':memory:', options.config);
  const connections: DuckDBConnection[] = [];
  try {
    for (let i = 0; i < size; i++) connections.push(await instance.connect());
    for (const [index, statement] of (options.setup ?? []).entries()) await runSetup(connections[0]!, statement, index);
  } catch (error) {
    closeAll(connections, instance);
    throw error;
  }
  return new DuckDbDataSource(duckdb, instance, connections);
}

/**
 * A `setup` statement that failed: the message names it (`setup[1] failed: Parser Error: …`) on
 * one line, DuckDB's own message cut to its first (the rest repeats the SQL with a caret under
 * the fault, on lines a log or a terminal message cannot keep). The full error is the `cause`.
 *
 * @example
 * if (error instanceof DuckDbSetupError) console.error(`host.json: dataSources.local.${error.message}`);
 */
export class DuckDbSetupError extends Error {
  override readonly name = 'DuckDbSetupError';
  /** The statement's index in `setup`. */
  readonly index: number;
  constructor(index: number, cause: unknown) {
    const first = (cause instanceof Error ? cause.message : String(cause)).split('\n', 1)[0]!.trim();
    super(`setup[${index}] failed: ${first}`, { cause });
    this.index = index;
  }
}

async function runSetup(connection: DuckDBConnection, statement: string, index: number): Promise<void> {
  try {
    await connection.run(statement);
  } catch (error) {
    throw new DuckDbSetupError(index, error);
  }
}

/** A query under way: how to stop it, and when it has stopped. */
interface Running {
  readonly abort: (reason: Error) => void;
  readonly settled: Promise<unknown>;
}

class DuckDbDataSource implements DataSource {
  readonly #duckdb: DuckDbModule;
  readonly #instance: DuckDBInstance;
  readonly #all: DuckDBConnection[];
  readonly #idle: DuckDBConnection[];
  readonly #waiting: { resolve: (connection: DuckDBConnection) => void; reject: (error: Error) => void }[] = [];
  readonly #running = new Set<Running>();
  readonly #listType: DuckDBListType;
  readonly #integerListType: DuckDBListType;
  /** Each connection's prepared statements, least recently used first. */
  readonly #prepared = new Map<DuckDBConnection, Map<string, DuckDBPreparedStatement>>();
  #closed = false;

  constructor(duckdb: DuckDbModule, instance: DuckDBInstance, connections: DuckDBConnection[]) {
    this.#duckdb = duckdb;
    this.#instance = instance;
    this.#all = connections;
    this.#idle = [...connections];
    this.#listType = duckdb.LIST(duckdb.VARCHAR);
    this.#integerListType = duckdb.LIST(duckdb.BIGINT);
  }

  query(sql: string, params: QueryParams, options: QueryOptions = {}): Promise<QueryResult> {
    if (options.signal?.aborted) return Promise.reject(options.signal.reason);
    // The caller's signal and close() both stop the query through this one controller.
    const controller = new AbortController();
    const forward = () => controller.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', forward, { once: true });
    const settled = this.#run(sql, params, options.maxRows ?? DEFAULT_MAX_ROWS, controller.signal, options.parameters);
    const running: Running = { abort: (reason) => controller.abort(reason), settled: settled.catch(() => undefined) };
    this.#running.add(running);
    void running.settled.then(() => {
      this.#running.delete(running);
      options.signal?.removeEventListener('abort', forward);
    });
    return settled;
  }

  /**
   * The named parameters DuckDB itself parsed in `sql` (`$1` and `?` come back as `'1'`), from the
   * statement prepared as a run prepares it, and kept for the first run. `params` is not needed:
   * DuckDB names its parameters.
   */
  async parameters(sql: string, _params: QueryParams = {}): Promise<string[]> {
    const connection = await this.#acquire();
    try {
      return parameterNames(await this.#prepare(connection, sql));
    } finally {
      this.#release(connection);
    }
  }

  /**
   * The columns of `sql`, by name and type, without reading a row: DuckDB binds a statement whose
   * parameters' types it cannot infer only once they are bound (its prepared statement then
   * shows one "unknown" column), so the statement is run as `SELECT * FROM (…) LIMIT 0` with
   * `params` bound as a run binds them, which its optimizer answers without a scan.
   */
  async describe(sql: string, params: QueryParams = {}): Promise<ResultColumn[]> {
    const connection = await this.#acquire();
    let prepared: DuckDBPreparedStatement | undefined;
    try {
      prepared = await connection.prepare(`SELECT * FROM (\n${sql.replace(/[\s;]+$/, '')}\n) AS chartio_described LIMIT 0`);
      this.#bind(prepared, withStandIns(params));
      const result = await prepared.run();
      const names = this.#duckdb.DuckDBTypeId as unknown as Record<number, string>;
      return result.columnNames().map((name, index) => ({ name, kind: duckDbColumnKind(names[result.columnTypeId(index)]) }));
    } finally {
      prepared?.destroySync();
      this.#release(connection);
    }
  }

  /**
   * The rows a DuckDB chunk (2048 rows) at a time, from DuckDB's streaming result: the query runs
   * as the rows are read, so memory holds about one chunk whatever the result's size. The
   * connection stays the stream's until `close()`; `close()` on the source interrupts it too.
   */
  async streamRows(sql: string, params: QueryParams, options: StreamOptions = {}): Promise<RowStream> {
    options.signal?.throwIfAborted();
    const controller = new AbortController();
    const forward = () => controller.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', forward, { once: true });
    let ended!: () => void;
    const running: Running = { abort: (reason) => controller.abort(reason), settled: new Promise<void>((resolve) => (ended = resolve)) };
    this.#running.add(running);
    const finish = () => {
      this.#running.delete(running);
      options.signal?.removeEventListener('abort', forward);
      ended();
    };
    let connection: DuckDBConnection;
    try {
      connection = await this.#acquire();
    } catch (error) {
      finish();
      throw error;
    }
    const stopInterrupting = interruptOnAbort(connection, controller.signal);
    let prepared: DuckDBPreparedStatement | undefined;
    let done = false;
    let closed = false;
    const close = async () => {
      if (closed) return;
      closed = true;
      // A stream left unread is interrupted; its statement is prepared afresh next time.
      if (!done) connection.interrupt();
      stopInterrupting();
      if (prepared && !done) this.#forget(connection, sql, prepared);
      this.#release(connection);
      finish();
    };
    try {
      controller.signal.throwIfAborted();
      prepared = await this.#prepare(connection, sql);
      // As in a run: a download that lost its tenant parameter would stream every tenant's rows.
      assertSameParameters(options.parameters, parameterNames(prepared));
      this.#bind(prepared, params);
      const result = await prepared.stream();
      controller.signal.throwIfAborted();
      const dates = result.columnTypes().map((type) => type.typeId === this.#duckdb.DuckDBTypeId.DATE);
      const converter = this.#duckdb.JSDuckDBValueConverter;
      return {
        columns: result.columnNames(),
        next: async () => {
          if (done || closed) return undefined;
          controller.signal.throwIfAborted();
          const chunk = await result.fetchChunk();
          controller.signal.throwIfAborted();
          if (!chunk || chunk.rowCount === 0) {
            done = true;
            return undefined;
          }
          return chunk.convertRows(converter).map((row) => row.map((value, column) => toCell(value, dates[column]!)));
        },
        close,
      };
    } catch (error) {
      await close();
      throw error;
    }
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1', {}, { maxRows: 1 });
  }

  /**
   * Refuses new queries, interrupts those under way (and fails those waiting for a connection),
   * waits until every one has stopped, then closes the database. Closing a connection while a
   * query still runs on it would block until that query ends, which for a runaway query is never.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const waiter of this.#waiting.splice(0)) waiter.reject(new Error('the DuckDB data source is closed'));
    const stopping = [...this.#running];
    for (const running of stopping) running.abort(new Error('the DuckDB data source is closing'));
    await Promise.all(stopping.map((running) => running.settled));
    for (const statements of this.#prepared.values()) for (const statement of statements.values()) statement.destroySync();
    this.#prepared.clear();
    closeAll(this.#all, this.#instance);
  }

  async #run(sql: string, params: QueryParams, maxRows: number, signal: AbortSignal, expected: readonly string[] | undefined): Promise<QueryResult> {
    const connection = await this.#acquire();
    const stopInterrupting = interruptOnAbort(connection, signal);
    let prepared: DuckDBPreparedStatement | undefined;
    let kept = false;
    try {
      signal.throwIfAborted();
      prepared = await this.#prepare(connection, sql);
      // DuckDB binds what the statement has: one that lost its tenant parameter would run unfiltered.
      assertSameParameters(expected, parameterNames(prepared));
      this.#bind(prepared, params);
      signal.throwIfAborted();
      const reader = await prepared.runAndReadUntil(maxRows + 1);
      signal.throwIfAborted();
      const types = reader.columnTypes().map((type) => type.typeId);
      const all = reader.getRowsJS();
      const rows = all.slice(0, maxRows).map((row) => row.map((value, column) => toCell(value, types[column] === this.#duckdb.DuckDBTypeId.DATE)));
      kept = true;
      return { columns: reader.columnNames(), rows, truncated: all.length > maxRows || !reader.done };
    } finally {
      stopInterrupting();
      // A statement whose run failed or was interrupted is not reused: prepared again next time.
      if (prepared && !kept) this.#forget(connection, sql, prepared);
      this.#release(connection);
    }
  }

  /** `sql` prepared on `connection`: the kept statement with its values cleared, or a new one, kept. */
  async #prepare(connection: DuckDBConnection, sql: string): Promise<DuckDBPreparedStatement> {
    let statements = this.#prepared.get(connection);
    if (!statements) this.#prepared.set(connection, (statements = new Map()));
    const kept = statements.get(sql);
    if (kept) {
      statements.delete(sql);
      statements.set(sql, kept);
      kept.clearBindings();
      return kept;
    }
    const prepared = await connection.prepare(sql);
    statements.set(sql, prepared);
    if (statements.size > PREPARED_PER_CONNECTION) {
      const [oldest, statement] = statements.entries().next().value!;
      statements.delete(oldest);
      statement.destroySync();
    }
    return prepared;
  }

  #forget(connection: DuckDBConnection, sql: string, prepared: DuckDBPreparedStatement): void {
    const statements = this.#prepared.get(connection);
    if (statements?.get(sql) === prepared) statements.delete(sql);
    prepared.destroySync();
  }

  #bind(prepared: DuckDBPreparedStatement, params: QueryParams): void {
    for (let index = 1; index <= prepared.parameterCount; index++) {
      const name = prepared.parameterName(index);
      const bound = Object.hasOwn(params, name) ? params[name] : undefined;
      if (!bound) throw new Error(`the query uses $${name}, and no value was bound to it`);
      if (bound.value === null) prepared.bindNull(index);
      else if (bound.type === 'text') prepared.bindVarchar(index, bound.value);
      else if (bound.type === 'integer') prepared.bindBigInt(index, bound.value);
      else if (bound.type === 'list') prepared.bindList(index, this.#duckdb.listValue([...bound.value]), this.#listType);
      else if (bound.type === 'integer_list') prepared.bindList(index, this.#duckdb.listValue([...bound.value]), this.#integerListType);
      else prepared.bindDate(index, dateValue(this.#duckdb, bound.value));
    }
  }

  #acquire(): Promise<DuckDBConnection> {
    if (this.#closed) return Promise.reject(new Error('the DuckDB data source is closed'));
    const connection = this.#idle.pop();
    if (connection) return Promise.resolve(connection);
    return new Promise((resolve, reject) => this.#waiting.push({ resolve, reject }));
  }

  #release(connection: DuckDBConnection): void {
    const next = this.#waiting.shift();
    if (next) next.resolve(connection);
    else this.#idle.push(connection);
  }
}

/**
 * Interrupts the query on `connection` when `signal` aborts, and again every few milliseconds
 * until the returned function is called (when the query has settled). DuckDB clears a pending
 * interrupt when a query starts executing, so one landing between `prepare` and execution would
 * be lost, and the query would run to its end: the repeat is what makes an abort stick. One query
 * runs per connection at a time, so an interrupt stops this query and no other.
 */
function interruptOnAbort(connection: DuckDBConnection, signal: AbortSignal): () => void {
  let repeat: ReturnType<typeof setInterval> | undefined;
  const interrupt = () => {
    connection.interrupt();
    repeat ??= setInterval(() => connection.interrupt(), INTERRUPT_REPEAT_MS);
  };
  if (signal.aborted) interrupt();
  else signal.addEventListener('abort', interrupt, { once: true });
  return () => {
    clearInterval(repeat);
    signal.removeEventListener('abort', interrupt);
  };
}

/** The parameters of a prepared statement, by the names DuckDB gives them. */
function parameterNames(prepared: DuckDBPreparedStatement): string[] {
  const names: string[] = [];
  for (let index = 1; index <= prepared.parameterCount; index++) names.push(prepared.parameterName(index));
  return names;
}

/**
 * `params` with a value of its type for each NULL. DuckDB binds a NULL untyped, so an expression
 * such as `$DATE_RANGE_START - 7` would be bound as an integer and a `BETWEEN` over a date column
 * refused, although every run binds a date there; `LIMIT 0` reads no row whatever the values.
 */
function withStandIns(params: QueryParams): QueryParams {
  const standIn: { [Type in BoundValue['type']]: Extract<BoundValue, { type: Type }>['value'] } = { text: '', integer: 0n, list: [], integer_list: [], date: '2000-01-01' };
  return Object.fromEntries(Object.entries(params).map(([name, bound]) => [name, bound.value === null ? { type: bound.type, value: standIn[bound.type] } : bound])) as QueryParams;
}

function dateValue(duckdb: DuckDbModule, iso: string) {
  const [year, month, day] = iso.split('-').map(Number) as [number, number, number];
  return duckdb.DuckDBDateValue.fromParts({ year, month, day });
}

function closeAll(connections: readonly DuckDBConnection[], instance: DuckDBInstance): void {
  for (const connection of connections) connection.closeSync();
  instance.closeSync();
}

/**
 * Converts a DuckDB value (as `getRowsJS` gives it) to a cell JSON and HTML can carry: safe
 * BIGINTs become numbers (larger ones text), DATEs `YYYY-MM-DD`, timestamps ISO text, lists and
 * structs JSON text.
 */
function toCell(value: unknown, isDate: boolean): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return null;
    return isDate ? value.toISOString().slice(0, 10) : value.toISOString();
  }
  if (value instanceof Uint8Array) return `(${value.byteLength} bytes)`;
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item));
}
