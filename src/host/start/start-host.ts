/**
 * Runs a dashboard host as a server from a {@link HostConfig}: opens the data sources and the
 * shared Redis, loads the dashboards, listens, and shuts down in order. What
 * `chartio-embed host --config host.json` does, usable from a program too.
 *
 * Shutdown (SIGTERM in the CLI): stop accepting connections, answer `/healthz` with 503 so
 * balancers move on, let the requests under way finish (every answer now closes its connection),
 * then close the data sources (cancelling what still runs) and Redis, within
 * `shutdownTimeoutMs`: past it, the remaining connections are cut.
 * @module
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDashboardHost, type DashboardHost } from '../dashboard-host.js';
import { DashboardDefinitionError } from '../definition/dashboard-definition.js';
import { requireHostPeers } from './host-peers.js';
import { toNodeHandler } from '../node-http.js';
import type { EmbedKey } from '../token-verifier.js';
import { createHostMetrics, type HostMetrics } from '../observability/host-metrics.js';
import { HostOptionsError } from '../host-options.js';
import type { AuditOptions } from '../observability/audit-log.js';
import type { HostConfig } from '../config/host-config.js';
import { loadDashboardFiles } from '../definition/load-dashboards.js';
import { checkAllDashboardParameters } from '../definition/check-parameters.js';
import { HostStartError } from './host-start-error.js';
import { openDataSources } from './open-data-sources.js';
import { MissingPeerError } from '../sources/optional-peer.js';
import { createRedisCache, type RedisCache } from '../store/redis-cache.js';
import type { DataSource, HostLogEntry } from '../types.js';

/** A host server started by {@link startHostServer}. */
export interface RunningHost {
  /** `http://{listen}:{port}`, with the port actually bound. */
  readonly url: string;
  readonly port: number;
  /** The admin port's `http://{listen}:{port}` (`/stats`, `/metrics`, `/healthz`), when configured. */
  readonly adminUrl: string | undefined;
  readonly host: DashboardHost;
  /** Shuts down as described in the module doc; resolves when everything is closed. */
  close(): Promise<void>;
}

export { HostStartError };

/** What {@link startHostServer} needs besides the configuration. */
export interface StartOptions {
  /** The Embed Secret (from the environment or a file; never from the configuration). Give this or `keys`. */
  secret?: string | Uint8Array;
  /** The keys, during a rotation (their secrets read from the files or variables the configuration names). */
  keys?: readonly EmbedKey[];
  /** Where the host's log goes (default: JSON lines on stderr). */
  log?: (entry: HostLogEntry) => void;
}

/**
 * Starts the server. Rejects (closing whatever it had opened) with a {@link HostStartError} when
 * a dashboard file, a data source, a package or the port cannot be used.
 *
 * @example
 * const running = await startHostServer(parseHostConfig(json, 'host.json', process.env), { secret });
 * process.once('SIGTERM', () => void running.close().then(() => process.exit(0)));
 */
export async function startHostServer(config: HostConfig, options: StartOptions): Promise<RunningHost> {
  const opened: DataSource[] = [];
  const servers: Server[] = [];
  let sharedCache: RedisCache | undefined;
  let hostToClose: DashboardHost | undefined;
  try {
    const dashboards = await loadDashboardFiles(config.dashboards);
    // Every optional package this configuration needs, looked up before anything opens: all the missing ones in one line.
    await requireHostPeers(config, dashboards);
    const dataSources = await openDataSources(config.dataSources, options.log);
    opened.push(...Object.values(dataSources));
    // The tenant check, asked of each database: a dashboard whose `everywhere` parameter the
    // database does not read in every query is refused here, before anything is served.
    const names = Object.keys(dataSources);
    await checkAllDashboardParameters(dashboards, (dashboard) => {
      const name = dashboard.dataSource ?? (names.length === 1 ? names[0]! : '');
      return Object.hasOwn(dataSources, name) ? dataSources[name] : undefined; // else createDashboardHost names the problem
    });
    if (config.redis) sharedCache = await createRedisCache(config.redis);
    const metrics: HostMetrics | undefined = config.metrics ? await createHostMetrics() : undefined;
    const host = asStartError(() => createDashboardHost({
      organization: config.organization,
      ...(options.keys === undefined ? { secret: options.secret } : { keys: options.keys }),
      ...(config.jwksUrl === undefined ? {} : { jwksUrl: config.jwksUrl }),
      dashboards,
      dataSources,
      frameAncestors: config.frameAncestors,
      ...(config.parentOrigins === undefined ? {} : { parentOrigins: config.parentOrigins }),
      ...(config.basePath === undefined ? {} : { basePath: config.basePath }),
      ...(config.cache === undefined ? {} : { cache: config.cache }),
      ...(config.queue === undefined ? {} : { queue: config.queue }),
      ...(config.queues === undefined ? {} : { queues: config.queues }),
      ...(config.queryTimeoutMs === undefined ? {} : { queryTimeoutMs: config.queryTimeoutMs }),
      ...(config.maxAge === undefined ? {} : { maxAge: config.maxAge }),
      ...(config.download === undefined ? {} : { download: config.download }),
      ...(sharedCache === undefined ? {} : { sharedCache }),
      ...(options.log === undefined ? {} : { log: options.log }),
      ...(config.revocation === undefined ? {} : { revocation: config.revocation }),
      ...(metrics === undefined ? {} : { metrics, metricsRoute: config.metricsRoute }),
      ...(config.audit === undefined ? {} : { audit: auditOptions(config.audit) }),
      statsRoute: config.statsRoute,
    }));
    hostToClose = host;
    const handler = toNodeHandler(host);
    let draining = false;
    const server: Server = createServer((req, res) => {
      // While shutting down, every answer closes its connection: keep-alive must not outlive us.
      if (draining) res.setHeader('connection', 'close');
      void handler(req, res);
    });
    servers.push(server);
    const port = await listen(server, config.port, config.listen, 'port');
    let adminUrl: string | undefined;
    if (config.admin) {
      // The operator's port: what must never be public (/stats, /metrics) lives only here.
      const admin = createServer(toNodeHandler(host.admin));
      servers.push(admin);
      adminUrl = urlOf(config.admin.listen, await listen(admin, config.admin.port, config.admin.listen, 'admin.port'));
    }
    const cache = sharedCache;
    let closing: Promise<void> | undefined;
    return {
      url: urlOf(config.listen, port),
      port,
      adminUrl,
      host,
      close() {
        closing ??= (async () => {
          draining = true;
          const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
          // A connection whose answer began before the signal is kept alive by its client once
          // the answer ends: close such connections as they fall idle, not at their keep-alive timeout.
          const sweep = setInterval(() => server.closeIdleConnections(), 100);
          sweep.unref();
          server.closeIdleConnections();
          const hostClosed = host.close();
          let timer: ReturnType<typeof setTimeout> | undefined;
          const bound = new Promise<void>((resolve) => {
            timer = setTimeout(() => {
              server.closeAllConnections();
              resolve();
            }, config.shutdownTimeoutMs);
          });
          await Promise.race([Promise.all([stopped, hostClosed]), bound]);
          clearTimeout(timer);
          clearInterval(sweep);
          server.closeAllConnections();
          for (const other of servers.slice(1)) {
            other.closeAllConnections();
            other.close();
          }
          await Promise.allSettled(opened.map((source) => source.close()));
          await cache?.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    for (const server of servers) server.close();
    await hostToClose?.close();
    await Promise.allSettled(opened.map((source) => source.close()));
    await sharedCache?.close();
    if (error instanceof DashboardDefinitionError || error instanceof MissingPeerError) throw new HostStartError(error.message, undefined, error);
    throw error;
  }
}

/**
 * Runs `create` (createDashboardHost); its {@link HostOptionsError}s say which of the
 * configuration's values it refuses (a dashboard naming no data source, a cut-off for a dashboard
 * not served). Any other error there is a bug, and passes through.
 */
function asStartError<T>(create: () => T): T {
  try {
    return create();
  } catch (error) {
    if (error instanceof HostOptionsError) throw new HostStartError(error.message, undefined, error);
    throw error;
  }
}

/**
 * Listens and resolves to the port bound; a port taken, refused or an address not on this
 * machine rejects with a {@link HostStartError} naming `field` and what to do.
 */
async function listen(server: Server, port: number, address: string, field: string): Promise<number> {
  server.listen(port, address);
  try {
    await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error))]);
  } catch (error) {
    const where = `${address.includes(':') ? `[${address}]` : address}:${port}`;
    const code = (error as NodeJS.ErrnoException).code;
    const problem =
      code === 'EADDRINUSE'
        ? `${where} is already in use: give another ${field} in the configuration, or stop the process that listens there`
        : code === 'EACCES'
          ? `${where} may not be opened by this user (ports below 1024 need privileges): give a ${field} from 1024 up`
          : code === 'EADDRNOTAVAIL'
            ? `${where}: ${address} is not an address of this machine: give another ${field.replace(/port$/, 'listen')} in the configuration`
            : undefined;
    if (problem === undefined) throw error;
    throw new HostStartError(`${field} ${problem}`, field, error);
  }
  return (server.address() as AddressInfo).port;
}

function urlOf(address: string, port: number): string {
  return `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
}

/** The file's audit sink as the host takes it. */
function auditOptions(audit: NonNullable<HostConfig['audit']>): AuditOptions {
  return { sink: 'file' in audit ? { file: audit.file } : 'stdout', ...(audit.redact === undefined ? {} : { redact: audit.redact }) };
}
