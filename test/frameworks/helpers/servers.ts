/**
 * The servers a framework page runs against, all on 127.0.0.1: the app (the framework pages
 * through demo/frameworks/routes.ts, and the project's real token endpoint) and, on a second
 * origin, the real dashboard host over the demo database. Both record every request, and each
 * has a gate the test can close to hold requests in flight.
 * @module
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createEmbedSigner, createTokenHandler, toNodeHandler, type EmbedSigner, type SignInput } from '../../../src/server/index.js';
import { createDashboardHost, loadDashboardFiles } from '../../../src/host/index.js';
import { createFrameworkRoutes } from '../../../demo/frameworks/routes.js';
import type { FrameworkPageConfig } from '../../../demo/frameworks/shared/config.js';
import { Gate, Log } from './log.js';
import { listenLocal } from '../../launchers/listen-local.js';
import { DEMO_DASHBOARDS, openDemoDatabase } from '../../support/demo-database.js';

export const SECRET = 'framework-tests-secret-0123456789-abcdefghijkl';
export const ORGANIZATION = 16417;
/** The account the endpoint locks as ACCT_ID, as an app's session would. */
export const ACCOUNT = '1';
export const OVERVIEW = 38727;
export const PRODUCT_MIX = 38728;
/** A dashboard the page offers but the endpoint's allowlist leaves out: asking for it is a 403. */
export const REFUSED = 40001;
export const DATE_RANGE: [string, string] = ['2015-01-01', '2015-12-31'];

/** One request as the server saw it end: answered (with its status) or dropped by the browser. */
export interface RequestRecord {
  path: string;
  status: number | undefined;
  /** The browser went away before the answer was complete. */
  aborted: boolean;
}

/** A server's recorded traffic and its gate. */
export interface Traffic {
  requests: Log<RequestRecord>;
  gate: Gate;
  /** Requests started and not yet ended. */
  inFlight(): number;
}

export interface FrameworkServers {
  appOrigin: string;
  dashboardOrigin: string;
  /** The token endpoint's traffic. */
  tokens: Traffic;
  /** What the endpoint signed: the dashboard and env of each token (after its checks). */
  signed: Log<SignInput>;
  /** The dashboard host's requests (its pages, `/d/…`, and their assets); its gate holds pages only. */
  dashboards: Traffic;
  close(): Promise<void>;
}

/**
 * Starts both servers on free ports. `devServer`: the origin of a dev server whose proxy serves
 * the pages, which the dashboard host then lets frame its dashboards too; with `allowDevServer`
 * the token endpoint lists it in `allowedOrigins` (the README's setting for a proxy that
 * rewrites `Host`), else the endpoint keeps its default (its own origin only).
 * @example
 * const servers = await startFrameworkServers(); … await servers.close();
 */
export async function startFrameworkServers(options: { devServer?: string; allowDevServer?: boolean } = {}): Promise<FrameworkServers> {
  const [database, definitions] = await Promise.all([
    openDemoDatabase(),
    loadDashboardFiles(DEMO_DASHBOARDS),
  ]);
  // Listen first: each side's configuration needs the other's origin.
  const app = createServer();
  const dashboardServer = createServer();
  const [{ origin: appOrigin }, { origin: dashboardOrigin }] = await Promise.all([listenLocal(app), listenLocal(dashboardServer)]);

  const host = createDashboardHost({
    organization: ORGANIZATION,
    secret: SECRET,
    dashboards: definitions,
    database,
    frameAncestors: options.devServer ? [appOrigin, options.devServer] : [appOrigin],
    log: (entry) => console.error('dashboard host:', entry.event, entry.message),
  });
  const dashboards = traffic((path) => path.startsWith('/d/'));
  const serveHost = toNodeHandler(host);
  dashboardServer.on('request', (req, res) => dashboards.handle(req, res, () => serveHost(req, res)));

  const signed = new Log<SignInput>();
  const tokenEndpoint = toNodeHandler(
    createTokenHandler({
      signer: recording(createEmbedSigner({ secret: SECRET, organization: ORGANIZATION }), signed),
      dashboards: definitions.map((definition) => definition.id),
      filters: ['DATE_RANGE', 'USER_ID', 'PRODUCTS'],
      lockedEnv: () => ({ ACCT_ID: ACCOUNT }),
      ...(options.allowDevServer && options.devServer ? { allowedOrigins: [options.devServer] } : {}),
    }),
  );
  const tokens = traffic(() => true);
  const pages = createFrameworkRoutes({ config: () => pageConfig(dashboardOrigin) });
  app.on('request', (req, res) => {
    if (req.url === '/embed-token') return tokens.handle(req, res, () => tokenEndpoint(req, res));
    pages(req, res)
      .then((served) => {
        if (!served) res.writeHead(404).end();
      })
      .catch((error: unknown) => {
        console.error('framework page:', error);
        res.writeHead(500).end();
      });
  });

  return {
    appOrigin,
    dashboardOrigin,
    tokens,
    signed,
    dashboards,
    async close() {
      await Promise.all([stop(app), stop(dashboardServer)]);
      await host.close();
      await database.close();
    },
  };
}

/** The page configuration the tests' pages get. */
function pageConfig(dashboardOrigin: string): FrameworkPageConfig {
  return {
    tokenEndpoint: '/embed-token',
    dashboardBase: `${dashboardOrigin}/d`,
    dashboards: [
      { id: OVERVIEW, title: 'Account overview' },
      { id: PRODUCT_MIX, title: 'Product mix' },
      { id: REFUSED, title: 'Not on the allowlist' },
    ],
    users: [
      { id: '', name: 'All users' },
      { id: '7', name: 'User 7' },
      { id: '9', name: 'User 9' },
    ],
    dateRange: DATE_RANGE,
  };
}

/** The real signer, with each input it signs logged first. */
function recording(signer: EmbedSigner, log: Log<SignInput>): EmbedSigner {
  return {
    organization: signer.organization,
    sign(input) {
      log.push(structuredClone(input));
      return signer.sign(input);
    },
  };
}

/** Records each request's end and lets the gate hold those `gated` picks before `serve` runs. */
function traffic(gated: (path: string) => boolean): Traffic & { handle(req: IncomingMessage, res: ServerResponse, serve: () => unknown): void } {
  const requests = new Log<RequestRecord>();
  const gate = new Gate();
  let open = 0;
  return {
    requests,
    gate,
    inFlight: () => open,
    handle(req, res, serve) {
      open++;
      const path = req.url ?? '';
      let ended = false;
      res.on('close', () => {
        ended = true;
        open--;
        requests.push({ path, status: res.writableFinished ? res.statusCode : undefined, aborted: !res.writableFinished });
      });
      (gated(path) ? gate.pass(path) : Promise.resolve()).then(() => {
        // Dropped while held: nothing left to answer.
        if (!ended) serve();
      });
    },
  };
}

async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
}
