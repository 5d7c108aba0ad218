/**
 * A {@link DataSource} over MySQL or MariaDB, through `mysql2` (an optional peer dependency,
 * imported only when this source is created). `mysql2` rather than `mysql`: it speaks the binary
 * protocol of server-side prepared statements, so values travel apart from the SQL text, never
 * escaped into it; it is maintained, and it serves both servers.
 *
 * Each query:
 * - binds every `$NAME` as a `?` of a server-side prepared statement, typed in the SQL the server
 *   prepares (`CAST(? AS SIGNED)` for an integer, `CAST(? AS DATE)` for a date; a list or an
 *   integer list travels as one JSON array text, read with `JSON_TABLE` or `JSON_CONTAINS`). Where
 *   the `$NAME`s are is read as the server reads it (`definition/mysql-sql-parameters.ts`, with the
 *   connection's own `sql_mode`), and what it cannot read safely is refused;
 * - runs in its own `START TRANSACTION READ ONLY`, rolled back at the end, with the server's
 *   statement timeout set on the session first (`max_statement_time` on MariaDB,
 *   `max_execution_time` on MySQL, which bounds SELECTs only). An aborted query (the host's
 *   timeout, `close()`) is stopped on the server with `KILL QUERY` from a connection of its own;
 * - keeps at most `maxRows + 1` rows; a download (`streamRows`) reads the rows 1000 at a time as
 *   the client takes them, pausing the connection in between.
 * `parameters(sql)` prepares (never runs) the statement as it would be sent, once per name with
 * only that name a `?` (and every other a typed NULL): the count of parameters the server reports
 * tells whether it reads the name. The server confirms counts only: a `?` has no name, so the names
 * come from this package's reading, and each is confirmed by a count of its own.
 * Use a SELECT-only user as well: the transaction is the host's guard, the grants the database's.
 * @module
 */
import type { FieldPacket, Pool, PoolConnection, PoolOptions } from 'mysql2';
import { importOptionalPeer } from './optional-peer.js';
import { readMySqlParameters, replaceMySqlParameters, type MySqlLexMode } from '../definition/mysql-sql-parameters.js';
import { assertSameParameters } from './statement-parameters.js';
import { mySqlColumnKind } from './column-kinds.js';
import type { BoundValue, CellValue, DataSource, QueryOptions, QueryParams, QueryResult, ResultColumn, RowStream, StreamOptions } from '../types.js';

/**
 * `mysql2` connection settings, typed here rather than as its own `PoolOptions`, so this
 * package's types compile in a project without `mysql2`. The common ones are named; any other
 * passes through to `mysql2` unchecked.
 */
export interface MySqlConnectionSettings {
  host?: string;
  port?: number;
  user?: string;
  password?: string;
  database?: string;
  ssl?: string | Readonly<Record<string, unknown>>;
  connectTimeout?: number;
  [setting: string]: unknown;
}

/** Options of {@link createMySqlDataSource}. */
export interface MySqlDataSourceOptions {
  /** `mysql://user:password@host:3306/database`; or give `config`, or both (`config` adds to the URL). */
  url?: string;
  /** Any other `mysql2` connection settings (`host`, `user`, `ssl`, …), passed as they are. */
  config?: MySqlConnectionSettings;
  /** Connections in the pool: how many queries run at once (default 4). */
  connections?: number;
  /** Milliseconds a query may run on the server when the host gives no timeout (default 30 000). */
  statementTimeoutMs?: number;
  /** Where errors of idle connections go (default: ignored; the next query reports its own). */
  onError?: (error: Error) => void;
}

/** The most rows read when a query does not say (the charts always say). */
const DEFAULT_MAX_ROWS = 10_000;
/** Rows a download holds at once: the connection pauses when its reader is this far behind. */
const STREAM_CHUNK_ROWS = 1000;

/** What each connection's server and session are, read once per connection. */
interface Session {
  readonly mariadb: boolean;
  readonly lex: MySqlLexMode;
  /** The `sql_mode` the connection started with, which `lex` was read from, set again before each query. */
  readonly sqlMode: string;
}

/**
 * Connects a bounded pool to MySQL or MariaDB and returns it as a {@link DataSource}. Throws a
 * message naming `npm install mysql2` when the driver is missing; connection problems surface on
 * the first query (or `ping`).
 *
 * @example
 * const warehouse = await createMySqlDataSource({ url: process.env.MYSQL_URL, connections: 8 });
 * await warehouse.query('SELECT count(*) FROM orders WHERE account_id = $ACCT_ID', {
 *   ACCT_ID: { type: 'integer', value: 7n },
 * });
 * await warehouse.close();
 */
export async function createMySqlDataSource(options: MySqlDataSourceOptions): Promise<DataSource> {
  const size = options.connections ?? 4;
  if (!Number.isSafeInteger(size) || size < 1 || size > 256) throw new TypeError(`connections must be an integer from 1 to 256, got ${String(size)}`);
  const statementTimeoutMs = options.statementTimeoutMs ?? 30_000;
  if (!Number.isSafeInteger(statementTimeoutMs) || statementTimeoutMs < 1) {
    throw new TypeError(`statementTimeoutMs must be a positive integer of milliseconds, got ${String(statementTimeoutMs)}`);
  }
  if (options.url === undefined && options.config === undefined) throw new TypeError('createMySqlDataSource needs url (mysql://…) or config');
  const mysql = (await importOptionalPeer('mysql2', () => import('mysql2'), 'The MySQL data source')).default;
  const connection: PoolOptions = {
    ...(options.url === undefined ? {} : { uri: options.url }),
    ...(options.config as PoolOptions | undefined),
    // How values come back, always this source's: dates as `YYYY-MM-DD`, date-times as UTC
    // instants, integers as numbers when exact (else text), decimals as numbers, as the other
    // sources give them.
    dateStrings: ['DATE'],
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: false,
    decimalNumbers: true,
    // One statement per query, whatever the settings say: a second could end the read-only transaction.
    multipleStatements: false,
  };
  const pool = mysql.createPool({ ...connection, connectionLimit: size, maxIdle: size, waitForConnections: true, queueLimit: 0 });
  // An idle connection that drops emits 'error' on it; unhandled, it would end the process.
  pool.on('connection', (pooled) => pooled.on('error', (error: Error) => options.onError?.(error)));
  return new MySqlDataSource(pool, () => mysql.createConnection(connection), statementTimeoutMs);
}

type Connection = PoolConnection;

class MySqlDataSource implements DataSource {
  readonly #pool: Pool;
  readonly #newConnection: () => import('mysql2').Connection;
  readonly #statementTimeoutMs: number;
  readonly #sessions = new WeakMap<object, Session>();
  /** Queries and downloads under way, by their connection: `close()` stops them and waits until each has given its connection back. */
  readonly #busy = new Map<Connection, { controller: AbortController; finished: Promise<void> }>();
  #closed = false;

  constructor(pool: Pool, newConnection: () => import('mysql2').Connection, statementTimeoutMs: number) {
    this.#pool = pool;
    this.#newConnection = newConnection;
    this.#statementTimeoutMs = statementTimeoutMs;
  }

  async query(sql: string, params: QueryParams, options: QueryOptions = {}): Promise<QueryResult> {
    const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
    const run = await this.#start(options);
    try {
      const rows: CellValue[][] = [];
      let truncated = false;
      const columns = await run.step(async () => {
        const command = await this.#open(run.connection, sql, params, options);
        return new Promise<string[]>((resolve, reject) => {
          let names: string[] = [];
          // A statement with no result set (a SET) reports no fields.
          command.on('fields', (fields: FieldPacket[] | undefined) => (names = fields?.map((field) => field.name) ?? []));
          // Rows past the bound are dropped as they come: memory holds maxRows at most.
          command.on('result', (row: unknown) => {
            if (!Array.isArray(row)) return;
            if (rows.length < maxRows) rows.push(row.map(toCell));
            else truncated = true;
          });
          command.on('error', reject);
          command.on('end', () => resolve(names));
        });
      });
      return { columns, rows, truncated };
    } finally {
      await run.finish();
    }
  }

  /**
   * The rows through the same read-only transaction as {@link query}, {@link STREAM_CHUNK_ROWS} at
   * a time: the connection pauses while the reader has a chunk to take, so memory holds about one
   * chunk whatever the result's size. `close()` stops a query with rows left (`KILL QUERY`), rolls
   * back and gives the connection back.
   */
  async streamRows(sql: string, params: QueryParams, options: StreamOptions = {}): Promise<RowStream> {
    const run = await this.#start(options);
    const { controller, connection } = run;
    let chunk: CellValue[][] = [];
    let columns: string[] | undefined;
    let ended = false;
    let failed: Error | undefined;
    // The reader and a stop may both wait for the rows: every waiter is woken.
    let waiting: (() => void)[] = [];
    const changed = () => {
      for (const wake of waiting) wake();
      waiting = [];
    };
    /** Until the reader can take a chunk: a full one, or the rest, or a failure. */
    const chunkReady = async () => {
      while (chunk.length < STREAM_CHUNK_ROWS && !ended) await new Promise<void>((resolve) => waiting.push(resolve));
      if (failed) throw failed;
    };
    let closedByReader = false;
    let closing: Promise<void> | undefined;
    const stop = () => {
      closing ??= (async () => {
        if (!ended) {
          // Rows remain: stop the query on the server, then read on to its end (the error the kill gives).
          controller.abort(new Error('the download was closed'));
          await chunkReady().catch(() => undefined);
        }
        await run.finish();
      })();
      return closing;
    };
    // An abort (the caller's, or the source closing) stops the stream whoever reads it: a paused
    // connection would otherwise never read the end the kill gives.
    controller.signal.addEventListener(
      'abort',
      () => {
        connection.resume();
        void stop();
      },
      { once: true },
    );
    try {
      const command = await run.step(() => this.#open(connection, sql, params, options));
      command.on('fields', (fields: FieldPacket[] | undefined) => (columns = fields?.map((field) => field.name) ?? []));
      command.on('result', (row: unknown) => {
        // Once stopped, the rows still on their way are dropped, and the connection never pauses again.
        if (!Array.isArray(row) || controller.signal.aborted) return;
        chunk.push(row.map(toCell));
        if (chunk.length >= STREAM_CHUNK_ROWS) {
          connection.pause();
          changed();
        }
      });
      command.on('error', (error: Error) => {
        failed = controller.signal.aborted ? new Error(`the query was cancelled (${describeReason(controller.signal.reason)})`, { cause: error }) : error;
        ended = true;
        changed();
      });
      command.on('end', () => {
        ended = true;
        changed();
      });
      // As PostgreSQL's first fetch: the stream is returned with its first chunk read (or the query's failure).
      await chunkReady();
      return {
        columns: columns ?? [],
        next: async () => {
          if (closedByReader) return undefined;
          await chunkReady();
          // Aborted between two chunks: the download is cut, not complete.
          if (controller.signal.aborted && !ended) throw new Error(`the query was cancelled (${describeReason(controller.signal.reason)})`);
          const rows = chunk;
          chunk = [];
          if (!ended) connection.resume();
          return rows.length === 0 ? undefined : rows;
        },
        close: () => {
          closedByReader = true;
          return stop();
        },
      };
    } catch (error) {
      await stop();
      throw error;
    }
  }

  /**
   * The `$NAME` parameters the server reads in `sql` as this source would send it: the statement
   * prepared (never run) once per name with only that name a `?`, every other a typed NULL; a name
   * the server reads shows as one parameter or more, one it takes for a comment or a string as none.
   * One more prepare with every name a NULL counts the `?`s the text holds itself (returned as
   * `'1'`, `'2'`, …).
   */
  async parameters(sql: string, params: QueryParams): Promise<string[]> {
    return this.#preparing(sql, params, async (connection, names, textWith) => {
      const counts: number[] = [];
      for (const text of [textWith(undefined), ...names.map(textWith)]) counts.push(await prepareCount(connection, text));
      const [positional, ...each] = counts;
      return [...names.filter((_, index) => each[index]! > 0), ...Array.from({ length: positional! }, (_, index) => String(index + 1))];
    });
  }

  /**
   * The columns of `sql`, by name and type, without running it: the statement as this source
   * would send it, every parameter a typed NULL, prepared (the server plans it whole: a wrong
   * column fails here as in a run) and its result's column definitions read, then unprepared.
   * What `chartio-embed check` compares with the chart types' column rules.
   */
  async describe(sql: string, params: QueryParams): Promise<ResultColumn[]> {
    return this.#preparing(sql, params, (connection, _names, textWith) => {
      const text = textWith(undefined);
      return new Promise<ResultColumn[]>((resolve, reject) =>
        connection.prepare(text, (error, statement) => {
          if (error) return reject(error);
          // The typings omit it; the driver keeps the server's column definitions on the statement.
          const columns = (statement as unknown as { columns?: readonly FieldPacket[] }).columns ?? [];
          connection.unprepare(text);
          resolve(columns.map((column) => ({ name: column.name, kind: mySqlColumnKind(column.columnType ?? (column as { type?: number }).type) })));
        }),
      );
    });
  }

  /**
   * A connection in the session's `sql_mode`, the `$NAME`s `sql` uses as MySQL reads it, and
   * `textWith(only)`: the text with `only` a `?` and every other name a typed NULL (`undefined`:
   * every name a NULL), for `use` to prepare (never run). Shared by {@link parameters} and
   * {@link describe}.
   */
  async #preparing<T>(sql: string, params: QueryParams, use: (connection: Connection, names: readonly string[], textWith: (only: string | undefined) => string) => Promise<T>): Promise<T> {
    if (this.#closed) throw new Error('the MySQL data source is closed');
    const connection = await this.#connect();
    let failed = false;
    try {
      const { lex, sqlMode } = await this.#session(connection);
      await run(connection, `SET SESSION sql_mode = '${sqlMode}'`);
      const read = readMySqlParameters(sql, lex);
      const typeOf = (name: string) => {
        const bound = Object.hasOwn(params, name) ? params[name] : undefined;
        if (!bound) throw new Error(`the query uses $${name}, and no type was given for it`);
        return bound.type;
      };
      const textWith = (only: string | undefined) =>
        trimEnd(replaceMySqlParameters(sql, read.uses, (name) => (name === only ? PLACEHOLDERS[typeOf(name)] : NULLS[typeOf(name)])));
      return await use(connection, read.names, textWith);
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      // After a failure the connection is not trusted (a statement may be left prepared): closed, not pooled.
      if (failed) connection.destroy();
      else connection.release();
    }
  }

  /** Answers when the server does: for health checks. */
  async ping(): Promise<void> {
    await new Promise<void>((resolve, reject) => this.#pool.query('SELECT 1', (error) => (error ? reject(error) : resolve())));
  }

  /** Stops every query under way on the server, then closes the pool. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const busy = [...this.#busy.values()];
    for (const { controller } of busy) controller.abort(new Error('the data source is closing'));
    // Queries give their connections back as their kills land; wait for them before ending the pool.
    await Promise.all(busy.map(({ finished }) => finished));
    await new Promise<void>((resolve) => this.#pool.end(() => resolve()));
  }

  /**
   * A connection for one query or download, with its abort wiring: an abort (the caller's signal
   * or `close()`) kills the query on the server; `finish` waits for that kill, rolls back and gives
   * the connection back (or closes it when the rollback fails). `step` turns a failure after an
   * abort into "the query was cancelled".
   */
  async #start(options: StreamOptions) {
    if (this.#closed) throw new Error('the MySQL data source is closed');
    options.signal?.throwIfAborted();
    const connection = await this.#connect();
    const controller = new AbortController();
    let released!: () => void;
    this.#busy.set(connection, { controller, finished: new Promise<void>((resolve) => (released = resolve)) });
    const abort = () => controller.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', abort, { once: true });
    let killed: Promise<void> | undefined;
    const onAbort = () => {
      killed = this.#kill(connection);
    };
    controller.signal.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) abort();
    let finished: Promise<void> | undefined;
    return {
      connection,
      controller,
      step: async <T>(work: () => Promise<T>): Promise<T> => {
        try {
          controller.signal.throwIfAborted();
          const result = await work();
          controller.signal.throwIfAborted();
          return result;
        } catch (error) {
          if (controller.signal.aborted) throw new Error(`the query was cancelled (${describeReason(controller.signal.reason)})`, { cause: error });
          throw error;
        }
      },
      finish: () => {
        finished ??= (async () => {
          options.signal?.removeEventListener('abort', abort);
          controller.signal.removeEventListener('abort', onAbort);
          // A kill that lands after the query ended must not reach the next query on this connection.
          if (killed) await killed;
          try {
            await run(connection, 'ROLLBACK');
            connection.release();
          } catch {
            connection.destroy();
          }
          this.#busy.delete(connection);
          released();
        })();
        return finished;
      },
    };
  }

  /**
   * Starts the statement on `connection` and returns its command (rows come as events): its
   * parameters checked against those checked at load, the session's statement timeout, the
   * read-only transaction, then the prepared statement with its typed values.
   */
  async #open(connection: Connection, sql: string, params: QueryParams, options: StreamOptions) {
    const session = await this.#session(connection);
    const read = readMySqlParameters(sql, session.lex);
    // The names bound must be those checked at load; the server itself then refuses values that
    // do not match the statement's `?`s in number.
    assertSameParameters(options.parameters, read.names);
    if (read.placeholders > 0) throw new Error('the query holds a ? placeholder of its own: write Hidden Variables as $NAME (the host binds them)');
    const values: (string | null)[] = [];
    const text = replaceMySqlParameters(sql, read.uses, (name) => {
      const bound = Object.hasOwn(params, name) ? params[name] : undefined;
      if (!bound) throw new Error(`the query uses $${name}, and no value was bound to it`);
      values.push(parameterValue(bound));
      return PLACEHOLDERS[bound.type];
    });
    const timeoutMs = Math.min(options.timeoutMs ?? this.#statementTimeoutMs, 2_147_483_647);
    // sql_mode as the SQL was read with: a statement before (a chart's `SET SESSION sql_mode = …`)
    // cannot make the server read this one's strings and comments otherwise.
    const timeout = session.mariadb ? `max_statement_time = ${(timeoutMs / 1000).toFixed(3)}` : `max_execution_time = ${timeoutMs}`;
    await run(connection, `SET SESSION ${timeout}, sql_mode = '${session.sqlMode}'`);
    await run(connection, 'START TRANSACTION READ ONLY');
    return connection.execute({ sql: trimEnd(text), values, rowsAsArray: true });
  }

  /** What server and `sql_mode` `connection` has, asked once per connection. */
  async #session(connection: Connection): Promise<Session> {
    const raw = (connection as unknown as { connection?: object }).connection ?? connection;
    const known = this.#sessions.get(raw);
    if (known) return known;
    const [row] = await new Promise<unknown[][]>((resolve, reject) =>
      connection.query({ sql: 'SELECT VERSION(), @@SESSION.sql_mode', rowsAsArray: true }, (error, rows) => (error ? reject(error) : resolve(rows as unknown[][]))),
    );
    const [version, mode = ''] = (row ?? []).map(String);
    // Set again before each query as SQL text: only the names sql_mode is made of may pass.
    if (!/^[A-Z_,]*$/i.test(mode)) throw new Error('the server reports a sql_mode this source cannot read; set the session sql_mode to a list of mode names');
    const modes = mode.toUpperCase().split(',');
    const session: Session = { mariadb: /mariadb/i.test(version ?? ''), sqlMode: mode, lex: { backslashEscapes: !modes.includes('NO_BACKSLASH_ESCAPES'), ansiQuotes: modes.includes('ANSI_QUOTES') } };
    this.#sessions.set(raw, session);
    return session;
  }

  #connect(): Promise<Connection> {
    return new Promise((resolve, reject) => this.#pool.getConnection((error, connection) => (error ? reject(error) : resolve(connection))));
  }

  /** Stops the statement running on `connection` from a connection of its own (the pool may be full). */
  async #kill(connection: Connection): Promise<void> {
    const id = connection.threadId;
    if (!Number.isSafeInteger(id)) return;
    const killer = this.#newConnection();
    killer.on('error', () => undefined);
    try {
      await run(killer, `KILL QUERY ${id}`);
    } catch {
      // The server is gone or refuses: the statement timeout still bounds the query.
    } finally {
      await new Promise<void>((resolve) => killer.end(() => resolve()));
    }
  }
}

/** Each bound type as the prepared statement reads its `?`: the server, not the value, gives the type. */
const PLACEHOLDERS: Readonly<Record<BoundValue['type'], string>> = {
  text: '?',
  integer: 'CAST(? AS SIGNED)',
  list: '?',
  integer_list: '?',
  date: 'CAST(? AS DATE)',
};

/** A NULL of each bound type, for the parameters check's prepares. */
const NULLS: Readonly<Record<BoundValue['type'], string>> = {
  text: 'CAST(NULL AS CHAR)',
  integer: 'CAST(NULL AS SIGNED)',
  list: 'CAST(NULL AS CHAR)',
  integer_list: 'CAST(NULL AS CHAR)',
  date: 'CAST(NULL AS DATE)',
};

/** A bound value as it is sent: text (integers as their exact digits; lists as a JSON array). */
function parameterValue(bound: BoundValue): string | null {
  if (bound.value === null) return null;
  switch (bound.type) {
    case 'integer':
      return bound.value.toString();
    case 'list':
      return JSON.stringify(bound.value);
    case 'integer_list':
      return `[${bound.value.map(String).join(',')}]`;
    default:
      return bound.value;
  }
}

/** How many `?`s the server finds in `text`: prepared, counted, and the statement closed. */
function prepareCount(connection: Connection, text: string): Promise<number> {
  return new Promise((resolve, reject) =>
    connection.prepare(text, (error, statement) => {
      if (error) return reject(error);
      // The typings omit it; the driver keeps the server's parameter definitions on the statement.
      const count = (statement as unknown as { parameters: readonly unknown[] }).parameters.length;
      // unprepare, not close: mysql2 keeps prepared statements by text, and a closed one left there would be reused.
      connection.unprepare(text);
      resolve(count);
    }),
  );
}

/** Runs one statement with no values (the source's own: never a dashboard's). */
function run(connection: { query: Connection['query'] }, sql: string): Promise<void> {
  return new Promise((resolve, reject) => connection.query(sql, (error) => (error ? reject(error) : resolve())));
}

/** A prepared statement is one statement: a trailing semicolon is dropped. */
function trimEnd(text: string): string {
  return text.replace(/[\s;]+$/, '');
}

/** A value as `mysql2` read it, as a cell JSON and HTML can carry (JSON documents as text). */
function toCell(value: unknown): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return `(${value.byteLength} bytes)`;
  return JSON.stringify(value);
}

function describeReason(reason: unknown): string {
  return reason instanceof Error ? reason.message : 'aborted';
}
