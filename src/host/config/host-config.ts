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
import { Value } from '@sinclair/typebox/value';
import { notSet, show, type Fail } from './config-checks.js';
import type { MaxAge } from '../types.js';
import { isExactOrigin } from '../page/security-headers.js';
import { readOperationsConfig, type OperationsConfig } from './host-config-operations.js';
import { HostFileSchema, type HostFile } from './schema/host-file.js';
import { validateSchema } from './schema/validate-schema.js';
import type { DataSourceFile } from './schema/data-sources.js';
import type { Static } from '@sinclair/typebox';
import type { CacheSchema, DownloadSchema, QueueSchema, QueuesSchema, RedisSchema } from './schema/limits.js';

/** A file's section as the schema types it, read-only. */
type Section<T extends import('@sinclair/typebox').TSchema> = Readonly<Static<T>>;

/**
 * A data source, checked: as the file describes it (the schema's type), with its URL read from
 * `url` or `urlEnv`, and a DuckDB file's path made absolute.
 */
export type DataSourceConfig =
  | (Omit<Extract<DataSourceFile, { type: 'postgres' }>, 'url' | 'urlEnv'> & { readonly url: string })
  | (Omit<Extract<DataSourceFile, { type: 'mysql' }>, 'url' | 'urlEnv'> & { readonly url: string })
  | (Omit<Extract<DataSourceFile, { type: 'duckdb' }>, 'path' | 'readOnly'> & {
      /** A database file (absolute), or `:memory:`. */
      readonly path: string;
      /** Open the file read-only (default true for a file). */
      readonly readOnly: boolean;
      /** The folder relative file names in its SQL are read from (the configuration file's). */
      readonly filesFolder?: string;
    });

/** The configuration, checked, with paths resolved and environment variables read; each section's type is the schema's. */
export interface HostConfig extends OperationsConfig {
  readonly organization: number;
  /** The secret file (absolute), when the secret is not in `CHARTIO_EMBED_SECRET`. */
  readonly secretFile?: string;
  /** The folder of dashboard JSON files (absolute). */
  readonly dashboards: string;
  readonly dataSources: Readonly<Record<string, DataSourceConfig>>;
  readonly redis?: Omit<Section<typeof RedisSchema>, 'url' | 'urlEnv'> & { readonly url: string };
  readonly listen: string;
  readonly port: number;
  readonly frameAncestors: readonly string[];
  readonly parentOrigins?: readonly string[];
  readonly basePath?: string;
  readonly cache?: Section<typeof CacheSchema>;
  readonly queue?: Section<typeof QueueSchema>;
  readonly queues?: Section<typeof QueuesSchema>;
  readonly queryTimeoutMs?: number;
  /** Seconds a page is served before its queries run again, or "exp" (the host's default, 900, when absent). */
  readonly maxAge?: MaxAge;
  /** CSV downloads: the most bytes one file holds (the host's default when absent). */
  readonly download?: Section<typeof DownloadSchema>;
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
  // Refused by name, before the schema would call it unknown: it says where the secret goes instead.
  if (isObject(value) && 'secret' in value) fail('secret', 'is refused: keep the Embed Secret out of the configuration (set CHARTIO_EMBED_SECRET, or give secretFile)');
  if (isObject(value) && Array.isArray(value.keys)) {
    value.keys.forEach((key, index) => {
      if (isObject(key) && 'secret' in key) fail(`keys[${index}].secret`, 'is refused: keep secrets out of the configuration (give secretFile, or secretEnv: the name of an environment variable)');
    });
  }
  // The structure, types and bounds: the schema's. What follows is what JSON Schema cannot say.
  const root = Value.Default(HostFileSchema, structuredClone(validateSchema<HostFile>(HostFileSchema, value, fail))) as HostFile & DEFAULTS;
  const config: Record<string, unknown> = {
    ...readOperationsConfig(root, folder, env, fail),
    organization: root.organization,
    dashboards: path(root.dashboards),
    dataSources: dataSources(root.dataSources, path, readUrls ? env : undefined, fail),
    listen: root.listen,
    port: root.port,
    frameAncestors: root.frameAncestors,
    statsRoute: root.statsRoute,
    shutdownTimeoutMs: root.shutdownTimeoutMs,
  };
  if (root.secretFile !== undefined) config.secretFile = path(root.secretFile);
  if (root.parentOrigins !== undefined) {
    // Each is compared exactly with a frame's parent: a wildcard or a path would never match.
    for (const [index, origin] of root.parentOrigins.entries()) {
      if (!isExactOrigin(origin)) fail(`parentOrigins[${index}]`, `must be one exact origin like "https://app.example.com" (no wildcard, no path, never "*"): a page posts to its parent only at an exact origin; got ${show(origin)}`);
    }
    config.parentOrigins = root.parentOrigins;
  }
  if (root.basePath !== undefined) config.basePath = root.basePath;
  if (root.queryTimeoutMs !== undefined) config.queryTimeoutMs = root.queryTimeoutMs;
  if (root.maxAge !== undefined) config.maxAge = root.maxAge;
  if (root.redis !== undefined) {
    const { urlEnv: _urlEnv, ...redis } = root.redis;
    config.redis = { ...redis, url: urlOf(root.redis, 'redis', env, fail, /^rediss?:\/\//, 'redis://host:6379') };
  }
  if (root.download !== undefined) config.download = root.download;
  if (root.cache !== undefined) config.cache = root.cache;
  if (root.queue !== undefined) config.queue = root.queue;
  if (root.queues !== undefined) {
    const sources = Object.keys(root.dataSources);
    for (const name of Object.keys(root.queues)) {
      if (!sources.includes(name)) fail(`queues.${name}`, `names no data source (the data sources are ${sources.join(', ')})`);
    }
    config.queues = root.queues;
  }
  if (!readUrls) delete config.dataSources;
  return config as unknown as HostConfig;
}

/** The fields the schema gives a default, present once {@link Value.Default} has filled them in. */
type DEFAULTS = { listen: string; port: number; statsRoute: boolean; shutdownTimeoutMs: number; metrics: boolean; metricsRoute: boolean };

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The data sources; with no `env`, a `urlEnv` is checked to be a name but not read (`url` is then ''). */
function dataSources(all: HostFile['dataSources'], path: (text: string) => string, env: Readonly<Record<string, string | undefined>> | undefined, fail: Fail): Record<string, DataSourceConfig> {
  const sources: Record<string, DataSourceConfig> = {};
  for (const [name, source] of Object.entries(all)) {
    const field = `dataSources.${name}`;
    if (source.type === 'postgres') {
      const { urlEnv: _urlEnv, ...rest } = source;
      sources[name] = { ...rest, url: urlOf(source, field, env, fail, /^postgres(?:ql)?:\/\//, 'postgresql://user@host:5432/database') };
    } else if (source.type === 'mysql') {
      const { urlEnv: _urlEnv, ...rest } = source;
      sources[name] = { ...rest, url: urlOf(source, field, env, fail, /^mysql:\/\//, 'mysql://user@host:3306/database') };
    } else {
      const file = source.path === undefined || source.path === ':memory:' ? ':memory:' : path(source.path);
      const readOnly = source.readOnly ?? file !== ':memory:';
      if (readOnly && file === ':memory:') fail(`${field}.readOnly`, 'cannot be true for an in-memory database (DuckDB refuses it); give a path, or set it to false');
      sources[name] = { ...source, path: file, readOnly, filesFolder: path('.') };
    }
  }
  return sources;
}

/**
 * `url`, or the variable `urlEnv` names; either way a URL of the expected scheme. With no `env`,
 * a `urlEnv` is only checked to be a name, and gives `''`.
 */
function urlOf(item: { readonly url?: string; readonly urlEnv?: string }, field: string, env: Readonly<Record<string, string | undefined>> | undefined, fail: Fail, scheme: RegExp, example: string): string {
  if ((item.url === undefined) === (item.urlEnv === undefined)) fail(field, `needs url (like "${example}") or urlEnv (the name of an environment variable holding it), one of the two`);
  let url: string;
  let where: string;
  if (item.url !== undefined) {
    url = item.url;
    where = `${field}.url`;
  } else {
    const name = item.urlEnv!;
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
