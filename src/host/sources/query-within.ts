/**
 * A query bounded in time on the host's side too: the host does not wait for a source that cannot
 * bound it on the server, and stops the query when it gives up.
 * @module
 */
import { findSqlParameters } from '../definition/sql-parameters.js';
import type { DataSource, QueryOptions, QueryParams, QueryResult } from '../types.js';

/**
 * Runs `sql` on `source` (with the token's `env`, for sources that use it) for at most `timeoutMs`: past that, the query is aborted (the DuckDB
 * source interrupts it, the PostgreSQL source cancels it on the server) and the answer is
 * `'timeout'`. A query error rejects as the source's own. The source is told which parameters
 * the statement was checked with at load (the host's reading of `sql`, which the load check
 * found the database to share), and refuses it if the database reads others
 * (`StatementParametersError`): the dashboards' queries all run through here.
 *
 * @example
 * const result = await queryWithin(database, chart.sql, params, { maxRows: 100, timeoutMs: 30_000 });
 * if (result === 'timeout') showTimeout();
 */
export async function queryWithin(source: DataSource, sql: string, params: QueryParams, options: Pick<QueryOptions, 'maxRows' | 'env'> & { timeoutMs: number }): Promise<QueryResult | 'timeout'> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), options.timeoutMs);
  });
  const query = source.query(sql, params, {
    maxRows: options.maxRows,
    signal: controller.signal,
    timeoutMs: options.timeoutMs,
    parameters: findSqlParameters(sql),
    ...(options.env === undefined ? {} : { env: options.env }),
  });
  try {
    const result = await Promise.race([query, timeout]);
    if (result === 'timeout') {
      controller.abort();
      query.catch(() => undefined); // its rejection after the abort is expected, not unhandled
    }
    return result;
  } finally {
    clearTimeout(timer);
  }
}
