/**
 * `chartio-embed/host`: the reference dashboard host, the Chartio side of the protocol. It
 * verifies embed tokens, runs a dashboard's queries with the token's Hidden Variables bound as
 * parameters, streams "Loading…" then the dashboard to a new token, and serves a token seen
 * before from its cache until the token expires.
 *
 * The database drivers (`@duckdb/node-api`, `pg`, `mysql2`), Redis's client (`redis`), the metrics library
 * (`prom-client`) and the chart renderer (`echarts`, which draws charts as SVG on the host) are optional
 * peer dependencies: nothing here imports them at load; each is looked up when first needed,
 * with an error naming the package to install when it is missing.
 * @module
 */
export { createDashboardHost, HEALTH_PATH, METRICS_PATH, STATS_PATH, type DashboardHost } from './dashboard-host.js';
export { DEFAULT_DOWNLOAD_MAX_BYTES, type CacheOptions, type DashboardHostOptions, type DownloadOptions } from './host-options.js';
export { createHostMetrics, type HostMetrics, type HostMetricsOptions } from './observability/host-metrics.js';
export { REDACTED, type AuditOptions, type AuditRecord, type AuditSink } from './observability/audit-log.js';
export type { Moment, RevocationOptions } from './store/revocation.js';
export { raiseRevocationCutOff, readRevocationCutOffs, type RaiseCutOffOptions } from './store/redis-revocations.js';
export type { EmbedKey } from './token-verifier.js';
export type { HealthReport } from './serve/health-check.js';
export { createDuckDbDataSource, type DuckDbDataSourceOptions } from './sources/duckdb-source.js';
export { createPostgresDataSource, type PostgresDataSourceOptions, type PostgresPoolSettings } from './sources/postgres-source.js';
export { RowSecurityError } from './sources/postgres-row-security.js';
export { createMySqlDataSource, type MySqlDataSourceOptions, type MySqlConnectionSettings } from './sources/mysql-source.js';
export { MySqlLexError } from './definition/mysql-sql-parameters.js';
export { createRedisCache, type RedisCache, type RedisCacheOptions } from './store/redis-cache.js';
export { loadDashboardFiles } from './definition/load-dashboards.js';
export { parseDashboardDefinition, parameterNames, DashboardDefinitionError, assertEveryChartFiltered } from './definition/dashboard-definition.js';
export { findSqlParameters } from './definition/sql-parameters.js';
export { checkDashboardParameters, checkAllDashboardParameters } from './definition/check-parameters.js';
export { StatementParametersError } from './sources/statement-parameters.js';
export type { HostErrorCode } from './page/error-page.js';
export type { QueueOptions } from './sources/run-queue.js';
export type {
  BoundValue,
  CellValue,
  ChartDefinition,
  ChartDownload,
  ChartType,
  ColumnFormat,
  DashboardDefinition,
  DataSource,
  HostLogEntry,
  HostStats,
  MaxAge,
  QueryOptions,
  QueryParams,
  QueryResult,
  RowStream,
  StreamOptions,
  VariableDefinition,
  VariableKind,
} from './types.js';
