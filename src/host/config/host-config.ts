/**
 * The host's configuration file (`chartio-embed host --config host.json`), checked whole before
 * anything starts, with errors that name the file and the field: a typo fails at start, never
 * later. Paths are relative to the file's folder. Credentials stay out of the file if you wish:
 * every URL may be given as the name of an environment variable instead (`urlEnv`), and the
 * Embed Secret is never in it (the `CHARTIO_EMBED_SECRET` variable or `secretFile`; during a
 * rotation, `keys` with a `secretFile` or `secretEnv` each). The operations fields (keys,
 * revocation, metrics, the admin port, the audit log) are read by `host-config-operations.ts`.
 * @module
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { isPositiveId } from '../../protocol/index.js';
import { boolean, envName, integer, known, notSet, optional, record, show, text, texts, type Fail, type Json } from './config-checks.js';
import { DATA_SOURCE_NAME } from '../definition/dashboard-definition.js';
import { checkMaxAge } from '../definition/max-age.js';
import type { MaxAge } from '../types.js';
import { isExactOrigin } from '../page/security-headers.js';
import { OPERATIONS_FIELDS, readOperationsConfig, type OperationsConfig } from './host-config-operations.js';

/** A data source as the file describes it. */
export type DataSourceConfig =
  | {
      readonly type: 'postgres';
      readonly url: string;
      readonly connections?: number;
      readonly statementTimeoutMs?: number;
      /** Row-level security: setting names to Hidden Variables, `{ "chartio.acct_id": "ACCT_ID" }`. */
      readonly transactionSettings?: Readonly<Record<string, string>>;
    }
  | {
      readonly type: 'duckdb';
      /** A database file (absolute), or `:memory:`. */
      readonly path: string;
      /** Open the file read-only (default true for a file). */
      readonly readOnly: boolean;
      readonly connections?: number;
      /** SQL run once at start (views over CSV or Parquet files, say). */
      readonly setup?: readonly string[];
      /** The folder relative file names in its SQL are read from (the configuration file's). */
      readonly filesFolder?: string;
    };

/** The configuration, checked, with paths resolved and environment variables read. */
export interface HostConfig extends OperationsConfig {
  readonly organization: number;
  /** The secret file (absolute), when the secret is not in `CHARTIO_EMBED_SECRET`. */
  readonly secretFile?: string;
  /** The folder of dashboard JSON files (absolute). */
  readonly dashboards: string;
  readonly dataSources: Readonly<Record<string, DataSourceConfig>>;
  readonly redis?: {
    readonly url: string;
    readonly keyPrefix?: string;
    readonly lockTtlMs?: number;
    readonly commandTimeoutMs?: number;
    readonly maxPageBytes?: number;
  };
  readonly listen: string;
  readonly port: number;
  readonly frameAncestors: readonly string[];
  readonly parentOrigins?: readonly string[];
  readonly basePath?: string;
  readonly cache?: { readonly maxEntries?: number; readonly maxBytes?: number; readonly failedPageTtlSeconds?: number };
  readonly queue?: { readonly concurrency?: number; readonly maxQueued?: number; readonly maxWaitMs?: number; readonly retryAfterSeconds?: number };
  readonly queues?: Readonly<Record<string, { readonly concurrency?: number; readonly maxQueued?: number; readonly maxWaitMs?: number }>>;
  readonly queryTimeoutMs?: number;
  /** Seconds a page is served before its queries run again, or "exp" (the host's default, 900, when absent). */
  readonly maxAge?: MaxAge;
  /** CSV downloads: the most bytes one file holds (the host's default when absent). */
  readonly download?: { readonly maxBytes?: number };
  readonly statsRoute: boolean;
  /** Milliseconds SIGTERM waits for requests under way before closing anyway (default 10 000). */
  readonly shutdownTimeoutMs: number;
}

/** A configuration that cannot be used; the message names the file and the field. */
export class HostConfigError extends Error {
  override readonly name = 'HostConfigError';
}

/** The configuration without its data sources, for tools that never query them (`revoke`). */
export type HostConfigWithoutDataSources = Omit<HostConfig, 'dataSources'>;

/** Options of {@link parseHostConfig}. */
export interface ParseHostConfigOptions {
  /**
   * `false`: do not read the data sources' `urlEnv` variables (nor check the URLs they hold), for
   * a tool that never connects to them; every other field, the data sources' included, is checked
   * as always. The result then has no `dataSources`. Default `true`.
   */
  readonly dataSourceUrls?: boolean;
}

/**
 * Checks a parsed configuration file. `file` (its path) names it in messages and anchors
 * relative paths; `env` supplies the variables `urlEnv` names.
 *
 * @example
 * const config = parseHostConfig(JSON.parse(text), '/etc/chartio/host.json', process.env);
 * config.dataSources.warehouse; // { type: 'postgres', url: 'postgresql://…' }
 * // revoke talks to Redis only: DATABASE_URL need not be set
 * const forRevoke = parseHostConfig(JSON.parse(text), 'host.json', process.env, { dataSourceUrls: false });
 */
export function parseHostConfig(value: unknown, file: string, env: Readonly<Record<string, string | undefined>>): HostConfig;
export function parseHostConfig(value: unknown, file: string, env: Readonly<Record<string, string | undefined>>, options: ParseHostConfigOptions & { readonly dataSourceUrls: false }): HostConfigWithoutDataSources;
export function parseHostConfig(value: unknown, file: string, env: Readonly<Record<string, string | undefined>>, options: ParseHostConfigOptions): HostConfig | HostConfigWithoutDataSources;
export function parseHostConfig(value: unknown, file: string, env: Readonly<Record<string, string | undefined>>, options: ParseHostConfigOptions = {}): HostConfig | HostConfigWithoutDataSources {
  const readUrls = options.dataSourceUrls ?? true;
  const fail = (field: string, problem: string): never => {
    throw new HostConfigError(`${file}: ${field ? `${field} ` : ''}${problem}`);
  };
  const folder = dirname(file);
  const path = (text: string) => (isAbsolute(text) ? text : resolve(folder, text));
  const root = record(value, '', fail);
  known(root, ['organization', 'secretFile', 'dashboards', 'dataSources', 'redis', 'listen', 'port', 'frameAncestors', 'parentOrigins', 'basePath', 'cache', 'queue', 'queues', 'queryTimeoutMs', 'maxAge', 'download', 'statsRoute', 'shutdownTimeoutMs', ...OPERATIONS_FIELDS], '', fail);
  if (!isPositiveId(root.organization)) fail('organization', `must be a positive integer (the organization id tokens carry), got ${show(root.organization)}`);
  if ('secret' in root) fail('secret', 'is refused: keep the Embed Secret out of the configuration (set CHARTIO_EMBED_SECRET, or give secretFile)');
  const config: Record<string, unknown> = {
    ...readOperationsConfig(root, folder, env, fail),
    organization: root.organization,
    dashboards: path(text(root.dashboards, 'dashboards', fail, 'the folder of dashboard JSON files')),
    dataSources: dataSources(root.dataSources, path, readUrls ? env : undefined, fail),
    listen: root.listen === undefined ? '127.0.0.1' : text(root.listen, 'listen', fail, 'the address to listen on, like "0.0.0.0"'),
    port: root.port === undefined ? 8081 : integer(root.port, 'port', fail, 0, 65_535),
    frameAncestors: texts(root.frameAncestors, 'frameAncestors', fail),
    statsRoute: root.statsRoute === undefined ? false : boolean(root.statsRoute, 'statsRoute', fail),
    shutdownTimeoutMs: root.shutdownTimeoutMs === undefined ? 10_000 : integer(root.shutdownTimeoutMs, 'shutdownTimeoutMs', fail, 1),
  };
  if (root.secretFile !== undefined) config.secretFile = path(text(root.secretFile, 'secretFile', fail, 'a path'));
  if (root.parentOrigins !== undefined) {
    const origins = texts(root.parentOrigins, 'parentOrigins', fail);
    // Each is compared exactly with a frame's parent: a wildcard or a path would never match.
    for (const [index, origin] of origins.entries()) {
      if (!isExactOrigin(origin)) fail(`parentOrigins[${index}]`, `must be one exact origin like "https://app.example.com" (no wildcard, no path, never "*"): a page posts to its parent only at an exact origin; got ${show(origin)}`);
    }
    config.parentOrigins = origins;
  }
  if (root.basePath !== undefined) config.basePath = text(root.basePath, 'basePath', fail, 'a path like "/dash"');
  if (root.queryTimeoutMs !== undefined) config.queryTimeoutMs = integer(root.queryTimeoutMs, 'queryTimeoutMs', fail, 1);
  if (root.maxAge !== undefined) config.maxAge = checkMaxAge(root.maxAge, 'maxAge', fail);
  if (root.redis !== undefined) {
    const redis = record(root.redis, 'redis', fail);
    known(redis, ['url', 'urlEnv', 'keyPrefix', 'lockTtlMs', 'commandTimeoutMs', 'maxPageBytes'], 'redis', fail);
    const url = urlOf(redis, 'redis', env, fail, /^rediss?:\/\//, 'redis://host:6379');
    config.redis = {
      url,
      ...optional(redis, 'keyPrefix', (v) => text(v, 'redis.keyPrefix', fail, 'a key prefix like "chartio:"')),
      ...optional(redis, 'lockTtlMs', (v) => integer(v, 'redis.lockTtlMs', fail, 1)),
      ...optional(redis, 'commandTimeoutMs', (v) => integer(v, 'redis.commandTimeoutMs', fail, 1)),
      ...optional(redis, 'maxPageBytes', (v) => integer(v, 'redis.maxPageBytes', fail, 1)),
    };
  }
  if (root.download !== undefined) {
    const download = record(root.download, 'download', fail);
    known(download, ['maxBytes'], 'download', fail);
    config.download = { ...optional(download, 'maxBytes', (v) => integer(v, 'download.maxBytes', fail, 1)) };
  }
  if (root.cache !== undefined) {
    const cache = record(root.cache, 'cache', fail);
    known(cache, ['maxEntries', 'maxBytes', 'failedPageTtlSeconds'], 'cache', fail);
    config.cache = {
      ...optional(cache, 'maxEntries', (v) => integer(v, 'cache.maxEntries', fail, 1)),
      ...optional(cache, 'maxBytes', (v) => integer(v, 'cache.maxBytes', fail, 1)),
      ...optional(cache, 'failedPageTtlSeconds', (v) => integer(v, 'cache.failedPageTtlSeconds', fail, 0)),
    };
  }
  if (root.queue !== undefined) {
    const queue = record(root.queue, 'queue', fail);
    known(queue, ['concurrency', 'maxQueued', 'maxWaitMs', 'retryAfterSeconds'], 'queue', fail);
    config.queue = {
      ...optional(queue, 'concurrency', (v) => integer(v, 'queue.concurrency', fail, 1)),
      ...optional(queue, 'maxQueued', (v) => integer(v, 'queue.maxQueued', fail, 0)),
      ...optional(queue, 'maxWaitMs', (v) => integer(v, 'queue.maxWaitMs', fail, 1)),
      ...optional(queue, 'retryAfterSeconds', (v) => integer(v, 'queue.retryAfterSeconds', fail, 1)),
    };
  }
  if (root.queues !== undefined) {
    const queues = record(root.queues, 'queues', fail);
    const sources = config.dataSources as Record<string, unknown>;
    config.queues = Object.fromEntries(
      Object.entries(queues).map(([name, item]) => {
        const field = `queues.${name}`;
        if (!(name in sources)) fail(field, `names no data source (the data sources are ${Object.keys(sources).join(', ')})`);
        const queue = record(item, field, fail);
        known(queue, ['concurrency', 'maxQueued', 'maxWaitMs'], field, fail);
        return [
          name,
          {
            ...optional(queue, 'concurrency', (v) => integer(v, `${field}.concurrency`, fail, 1)),
            ...optional(queue, 'maxQueued', (v) => integer(v, `${field}.maxQueued`, fail, 0)),
            ...optional(queue, 'maxWaitMs', (v) => integer(v, `${field}.maxWaitMs`, fail, 1)),
          },
        ];
      }),
    );
  }
  if (!readUrls) delete config.dataSources;
  return config as unknown as HostConfig;
}

/** The data sources; with no `env`, a `urlEnv` is checked to be a name but not read (`url` is then ''). */
function dataSources(value: unknown, path: (text: string) => string, env: Readonly<Record<string, string | undefined>> | undefined, fail: Fail): Record<string, DataSourceConfig> {
  const all = record(value, 'dataSources', fail);
  if (Object.keys(all).length === 0) fail('dataSources', 'must name at least one data source, like { "warehouse": { "type": "postgres", "urlEnv": "DATABASE_URL" } }');
  const sources: Record<string, DataSourceConfig> = {};
  for (const [name, item] of Object.entries(all)) {
    const field = `dataSources.${name}`;
    if (!DATA_SOURCE_NAME.test(name)) fail(field, 'is not a name (letters, digits, "_" and "-", starting with a letter)');
    const source = record(item, field, fail);
    if (source.type === 'postgres') {
      known(source, ['type', 'url', 'urlEnv', 'connections', 'statementTimeoutMs', 'transactionSettings'], field, fail);
      sources[name] = {
        type: 'postgres',
        url: urlOf(source, field, env, fail, /^postgres(?:ql)?:\/\//, 'postgresql://user@host:5432/database'),
        ...optional(source, 'connections', (v) => integer(v, `${field}.connections`, fail, 1, 256)),
        ...optional(source, 'statementTimeoutMs', (v) => integer(v, `${field}.statementTimeoutMs`, fail, 1)),
        ...optional(source, 'transactionSettings', (v) => transactionSettings(v, `${field}.transactionSettings`, fail)),
      };
    } else if (source.type === 'duckdb') {
      known(source, ['type', 'path', 'readOnly', 'connections', 'setup'], field, fail);
      const file = source.path === undefined || source.path === ':memory:' ? ':memory:' : path(text(source.path, `${field}.path`, fail, 'a database file, or ":memory:"'));
      const readOnly = source.readOnly === undefined ? file !== ':memory:' : boolean(source.readOnly, `${field}.readOnly`, fail);
      if (readOnly && file === ':memory:') fail(`${field}.readOnly`, 'cannot be true for an in-memory database (DuckDB refuses it); give a path, or set it to false');
      sources[name] = {
        type: 'duckdb',
        path: file,
        readOnly,
        ...optional(source, 'connections', (v) => integer(v, `${field}.connections`, fail, 1, 64)),
        ...optional(source, 'setup', (v) => texts(v, `${field}.setup`, fail)),
        filesFolder: path('.'),
      };
    } else {
      fail(`${field}.type`, `must be "postgres" or "duckdb", got ${show(source.type)}`);
    }
  }
  return sources;
}

/** Setting names (`prefix.name`, lower case) to Hidden Variable names (upper snake case). */
function transactionSettings(value: unknown, field: string, fail: Fail): Record<string, string> {
  const settings = record(value, field, fail);
  if (Object.keys(settings).length === 0) fail(field, 'must map at least one setting to a Hidden Variable, like { "chartio.acct_id": "ACCT_ID" }');
  for (const [name, variable] of Object.entries(settings)) {
    if (!/^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/.test(name)) fail(`${field}.${name}`, 'is not a custom setting name: write it lower case with a prefix, like "chartio.acct_id"');
    if (typeof variable !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(variable)) fail(`${field}.${name}`, `must name a Hidden Variable in upper snake case, like "ACCT_ID", got ${show(variable)}`);
  }
  return settings as Record<string, string>;
}

/**
 * `url`, or the variable `urlEnv` names; either way a URL of the expected scheme. With no `env`,
 * a `urlEnv` is only checked to be a name, and gives `''`.
 */
function urlOf(item: Json, field: string, env: Readonly<Record<string, string | undefined>> | undefined, fail: Fail, scheme: RegExp, example: string): string {
  if ((item.url === undefined) === (item.urlEnv === undefined)) fail(field, `needs url (like "${example}") or urlEnv (the name of an environment variable holding it), one of the two`);
  let url: string;
  let where: string;
  if (item.url !== undefined) {
    url = text(item.url, `${field}.url`, fail, `a URL like "${example}"`);
    where = `${field}.url`;
  } else {
    const name = envName(item.urlEnv, `${field}.urlEnv`, fail);
    if (env === undefined) return '';
    const fromEnv = env[name];
    if (fromEnv === undefined || fromEnv === '') fail(`${field}.urlEnv`, notSet(name));
    url = fromEnv!;
    where = `the variable ${name} (${field}.urlEnv)`;
  }
  // Never echo the URL: it may carry a password.
  if (!scheme.test(url)) throw new HostConfigError(`${where} must be a URL like "${example}"`);
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  // Checked here, not by the driver, whose error would quote the URL: a port past 65535, a space in the host, …
  if (!parsed || parsed.hostname === '') throw new HostConfigError(`${where} is not a valid URL (like "${example}"; it is not repeated here, since it may hold a password): check its host, port and any characters in the password that need %-encoding`);
  if (/^rediss?:$/.test(parsed.protocol) && !/^\/?\d*$/.test(parsed.pathname)) throw new HostConfigError(`${where} may end with a database number (like "/0") and nothing else after the host`);
  return url;
}
