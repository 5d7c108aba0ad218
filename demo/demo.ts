/**
 * Starts the whole demo: the dashboard host on one origin, the host app with its token endpoint
 * on another, one DuckDB with the demo dataset behind both. `npm start` runs it; the end-to-end
 * tests start it on free ports.
 * @module
 */
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createEmbedSigner, toNodeHandler } from '../src/server/index.js';
import { createDashboardHost, loadDashboardFiles, type DashboardHost, type DataSource } from '../src/host/index.js';
import { createDemoDatabase } from './dataset/demo-dataset.js';
import { createApp } from './app/server.js';
import { createSessions } from './sessions.js';
import { bundleElement } from './element-bundle.js';

/** The organization id the demo signs for (Chartio's example). */
export const DEMO_ORGANIZATION = 16417;

export interface DemoOptions {
  /** The app's port (0 = any free port). */
  port: number;
  /** The dashboard host's port (0 = any free port). */
  dashboardPort: number;
  /** The Embed Secret; generated when absent. */
  secret?: string;
  /** Test hook, see createApp. */
  faults?: { tokenFailures: number };
}

export interface RunningDemo {
  appUrl: string;
  dashboardUrl: string;
  host: DashboardHost;
  database: DataSource;
  close(): Promise<void>;
}

/**
 * Starts the demo and resolves once both servers listen.
 * @example
 * const demo = await startDemo({ port: 8080, dashboardPort: 8081 });
 * console.log(demo.appUrl); // http://localhost:8080
 * await demo.close();
 */
export async function startDemo(options: DemoOptions): Promise<RunningDemo> {
  const secret = options.secret ?? randomBytes(32).toString('base64url');
  const [database, dashboards, elementCode] = await Promise.all([
    createDemoDatabase(),
    loadDashboardFiles(fileURLToPath(new URL('./dashboards/', import.meta.url))),
    bundleElement(),
  ]);
  // Listen first, so the origins (and free ports) are known before either side is configured.
  const appServer = createServer();
  const dashboardServer = createServer();
  await Promise.all([listen(appServer, options.port, 'localhost'), listen(dashboardServer, options.dashboardPort, '127.0.0.1')]);
  const appUrl = `http://localhost:${port(appServer)}`;
  const dashboardUrl = `http://127.0.0.1:${port(dashboardServer)}`;

  // The demo shows its cache counters at /stats (off by default: a public host shows nobody its traffic).
  const host = createDashboardHost({ organization: DEMO_ORGANIZATION, secret, dashboards, database, frameAncestors: [appUrl], statsRoute: true });
  dashboardServer.on('request', toNodeHandler(host));

  const accountRows = await database.query('SELECT account_id, name FROM accounts WHERE account_id IN (1, 2) ORDER BY account_id', {});
  const app = await createApp({
    signer: createEmbedSigner({ secret, organization: DEMO_ORGANIZATION, baseUrl: `${dashboardUrl}/d/{dashboard}` }),
    database,
    sessions: createSessions('1'),
    accounts: accountRows.rows.map(([id, name]) => ({ id: String(id), name: String(name) })),
    dashboards: dashboards.map((d) => ({ id: d.id, title: d.title })),
    dashboardBase: `${dashboardUrl}/d`,
    elementCode,
    ...(options.faults ? { faults: options.faults } : {}),
  });
  appServer.on('request', (req, res) => {
    app(req, res).catch((error: unknown) => {
      console.error('demo app:', error instanceof Error ? error.message : error);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end('Internal error');
    });
  });

  return {
    appUrl,
    dashboardUrl,
    host,
    database,
    async close() {
      await Promise.all([close(appServer), close(dashboardServer)]);
      await host.close();
      await database.close();
    },
  };
}

async function listen(server: Server, portNumber: number, hostname: string): Promise<void> {
  server.listen(portNumber, hostname);
  await once(server, 'listening');
}

function port(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server is not listening on a port');
  return address.port;
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
