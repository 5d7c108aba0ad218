/**
 * A query's rows as a {@link RowStream} from any data source: the source's own `streamRows` (the
 * shipped DuckDB and PostgreSQL sources: a chunk at a time), or for a source without one, its
 * `query` read whole and handed out as one chunk.
 * @module
 */
import type { DataSource, QueryParams, RowStream, StreamOptions } from '../types.js';

/**
 * Opens the rows of `sql` on `source`. `maxRows` is what a source without `streamRows` reads
 * (one more than the reader keeps, so it can tell there were more).
 *
 * @example
 * const rows = await openRowStream(database, download.sql, params, { maxRows: 10_001, signal });
 * try { for (let chunk = await rows.next(); chunk; chunk = await rows.next()) write(chunk); } finally { await rows.close(); }
 */
export async function openRowStream(source: DataSource, sql: string, params: QueryParams, options: StreamOptions & { readonly maxRows: number }): Promise<RowStream> {
  const { maxRows, ...streamOptions } = options;
  if (source.streamRows) return source.streamRows(sql, params, streamOptions);
  const result = await source.query(sql, params, options);
  let rows: typeof result.rows | undefined = result.rows;
  return {
    columns: result.columns,
    next: async () => {
      const chunk = rows;
      rows = undefined;
      return chunk;
    },
    close: async () => {
      rows = undefined;
    },
  };
}
