/**
 * The data sources host.json describes, opened: PostgreSQL, MySQL/MariaDB and DuckDB, each error a
 * {@link HostStartError} naming the field at fault. Shared by `startHostServer` and
 * `chartio-embed check`, which opens them the same way and runs no viewer.
 * @module
 */
import { stat } from 'node:fs/promises';
import type { HostConfig } from '../config/host-config.js';
import { HostStartError } from './host-start-error.js';
import { createDuckDbDataSource, DuckDbSetupError } from '../sources/duckdb-source.js';
import { MissingPeerError } from '../sources/optional-peer.js';
import { createMySqlDataSource } from '../sources/mysql-source.js';
import { createPostgresDataSource } from '../sources/postgres-source.js';
import { RowSecurityError } from '../sources/postgres-row-security.js';
import type { DataSource, HostLogEntry } from '../types.js';

/**
 * Opens every data source of `sources`, by name; when one cannot be opened, closes those already
 * opened and rejects with its problem.
 *
 * @example
 * const dataSources = await openDataSources(config.dataSources);
 * await dataSources.warehouse.query('SELECT 1', {});
 */
export async function openDataSources(sources: HostConfig['dataSources'], log?: (entry: HostLogEntry) => void): Promise<Record<string, DataSource>> {
  const dataSources: Record<string, DataSource> = {};
  try {
    for (const [name, source] of Object.entries(sources)) {
      const onError = (error: Error) => log?.({ level: 'warn', event: 'source_error', message: `data source ${name}: an idle connection failed`, detail: error.message });
      const created =
        source.type === 'mysql'
          ? await createMySqlDataSource({
              url: source.url,
              ...(source.connections === undefined ? {} : { connections: source.connections }),
              ...(source.statementTimeoutMs === undefined ? {} : { statementTimeoutMs: source.statementTimeoutMs }),
              onError,
            })
          : source.type === 'postgres'
          ? await createPostgresDataSource({
              connectionString: source.url,
              ...(source.connections === undefined ? {} : { connections: source.connections }),
              ...(source.statementTimeoutMs === undefined ? {} : { statementTimeoutMs: source.statementTimeoutMs }),
              ...(source.transactionSettings === undefined ? {} : { transactionSettings: source.transactionSettings }),
              onError,
            }).catch((error: unknown) => {
              // Its role would read past the row-level security policies: say which source.
              if (!(error instanceof RowSecurityError)) throw error;
              throw new HostStartError(`dataSources.${name} ${error.message}`, `dataSources.${name}.transactionSettings`, error);
            })
          : await createDuckDbDataSource({
              path: source.path,
              // file_search_path: read_csv('orders.csv') in setup or a chart finds the file next
              // to host.json, wherever the host was started from.
              config: { ...(source.readOnly ? { access_mode: 'READ_ONLY' } : {}), ...(source.filesFolder ? { file_search_path: source.filesFolder } : {}) },
              ...(source.connections === undefined ? {} : { connections: source.connections }),
              ...(source.setup === undefined ? {} : { setup: source.setup }),
            }).catch(async (error: unknown) => {
              if (error instanceof DuckDbSetupError) throw new HostStartError(`dataSources.${name}.${error.message}`, `dataSources.${name}.setup[${error.index}]`, error);
              if (error instanceof MissingPeerError) throw error;
              // The database could not be opened: the path is the field at fault (missing, a folder, not a database).
              throw new HostStartError(`dataSources.${name}.path ${await duckDbPathProblem(source.path, source.readOnly, error)}`, `dataSources.${name}.path`, error);
            });
      dataSources[name] = created;
    }
  } catch (error) {
    await Promise.allSettled(Object.values(dataSources).map((source) => source.close()));
    throw error;
  }
  return dataSources;
}

/**
 * Why DuckDB could not open `path`, as a phrase after the field's name: a missing file (read-only
 * opens never create one), a folder, or DuckDB's own first line (not a database, locked, …).
 */
async function duckDbPathProblem(path: string, readOnly: boolean, error: unknown): Promise<string> {
  const kind = await stat(path).then((found) => (found.isDirectory() ? 'folder' : 'file'), () => 'missing');
  if (kind === 'missing' && readOnly) return `"${path}" does not exist: give the path of a DuckDB database file (or set "readOnly": false to create one there)`;
  if (kind === 'folder') return `"${path}" is a folder: give the path of a DuckDB database file in it`;
  const first = (error instanceof Error ? error.message : String(error)).split('\n', 1)[0]!.trim();
  return `"${path}" cannot be opened as a DuckDB database (${first})`;
}
