/**
 * The dev server: the dashboard host on loopback, rebuilt over the same data sources whenever the
 * watched dashboard files change, behind the dev pages (`/`, `/_dev/view/{id}`,
 * `/_dev/embed/{id}`). A view waits for a pending reload, so a saved change shows at the next one.
 * @module
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDashboardHost, type DashboardHost } from '../../host/dashboard-host.js';
import { toNodeHandler } from '../../host/node-http.js';
import { pageHeaders } from '../../host/page/security-headers.js';
import type { HostConfig } from '../../host/config/host-config.js';
import type { DataSource } from '../../host/types.js';
import { createEmbedSigner } from '../../server/index.js';
import { DEV_PAGE_CSP, embeddingPage, indexPage } from './dev-pages.js';
import { watchDashboards, type DevSnapshot, type WatchedDashboards } from './dev-dashboards.js';
import { fieldValue } from './example-env.js';

/** A running dev server. */
export interface DevServer {
  readonly url: string;
  close(): Promise<void>;
}

/** What {@link startDevServer} needs. */
export interface DevServerOptions {
  readonly config: HostConfig;
  readonly dataSources: Readonly<Record<string, DataSource>>;
  /** The dev secret tokens are signed and verified with (made for this run; never sent to a browser). */
  readonly secret: Uint8Array;
  readonly listen: string;
  readonly port: number;
  /** Each reload's outcome, for the terminal. */
  readonly onReload: (snapshot: DevSnapshot) => void;
}

/**
 * Starts the dev server.
 *
 * @example
 * const dev = await startDevServer({ config, dataSources, secret, listen: '127.0.0.1', port: 8081, onReload: console.log });
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const { config, dataSources } = options;
  const names = Object.keys(dataSources);
  let host: DashboardHost | undefined;
  let watched: WatchedDashboards | undefined;
  const rebuild = (snapshot: DevSnapshot) => {
    const old = host;
    host =
      snapshot.dashboards.length === 0
        ? undefined
        : createDashboardHost({
            organization: config.organization,
            secret: options.secret,
            dashboards: snapshot.dashboards,
            dataSources,
            frameAncestors: config.frameAncestors,
            ...(config.parentOrigins === undefined ? {} : { parentOrigins: config.parentOrigins }),
            ...(config.queryTimeoutMs === undefined ? {} : { queryTimeoutMs: config.queryTimeoutMs }),
            log: () => undefined,
          });
    void old?.close();
    options.onReload(snapshot);
  };
  watched = await watchDashboards({
    folder: config.dashboards,
    sourceOf: (dashboard) => {
      const name = dashboard.dataSource ?? (names.length === 1 ? names[0]! : '');
      return Object.hasOwn(dataSources, name) ? dataSources[name] : undefined;
    },
    onReload: rebuild,
  });
  const signer = createEmbedSigner({ secret: options.secret, organization: config.organization, ttl: 3600 });
  let baseUrl = '';

  const html = (body: string, status = 200) => new Response(body, { status, headers: pageHeaders(DEV_PAGE_CSP) });
  const handle = async (request: Request): Promise<Response> => {
    await watched!.settled();
    const snapshot = watched!.current();
    const url = new URL(request.url);
    if (url.pathname === '/') return html(indexPage(snapshot, baseUrl));
    const dev = /^\/_dev\/(view|embed)\/([1-9][0-9]{0,15})$/.exec(url.pathname);
    if (dev) {
      const dashboard = snapshot.dashboards.find((item) => item.id === Number(dev[2]));
      if (!dashboard) return html(indexPage(snapshot, baseUrl), 404);
      if (dev[1] === 'embed') return html(embeddingPage(dashboard, snapshot, config.organization, baseUrl));
      // "View as": the token is signed here, with the dev secret, from the form's variables.
      const env: Record<string, string | string[]> = {};
      for (const variable of dashboard.variables) {
        const value = fieldValue(variable, url.searchParams.get(variable.name) ?? '');
        if (value !== undefined) env[variable.name] = value;
      }
      let token: string;
      try {
        ({ token } = await signer.sign({ dashboard: dashboard.id, env }));
      } catch (error) {
        return html(indexPage({ ...snapshot, problems: [...snapshot.problems, `View as (dashboard ${dashboard.id}): ${(error as Error).message}`] }, baseUrl), 400);
      }
      return new Response(null, { status: 303, headers: { location: `/d/${dashboard.id}/?embed_token=${encodeURIComponent(token)}`, 'cache-control': 'no-store' } });
    }
    if (!host) return html(indexPage(snapshot, baseUrl), 404);
    return host(request);
  };

  const server: Server = createServer(toNodeHandler(handle));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.listen, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://${options.listen.includes(':') ? `[${options.listen}]` : options.listen}:${port}`;
  return {
    url: baseUrl,
    async close() {
      watched?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await host?.close();
    },
  };
}
