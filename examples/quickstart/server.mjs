// The quick start, in one process: your app (its page, the element, the token endpoint) on
// http://localhost:3000 and the dashboard host on http://localhost:3001. Two origins, as in
// production: the dashboards' iframe runs scripts, so it must not share your app's origin.
// Run: npm start (PORT, DASHBOARD_PORT and CHARTIO_EMBED_SECRET change the defaults).
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createEmbedSigner, createTokenHandler, toNodeHandler } from 'chartio-embed/server';
import { createDashboardHost, createDuckDbDataSource, loadDashboardFiles } from 'chartio-embed/host';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));
// The Embed Secret, shared by the signer and the host; in production, your own 32 random bytes
// (`openssl rand -base64 32`) from the environment.
const secret = process.env.CHARTIO_EMBED_SECRET ?? randomBytes(32).toString('base64');
const organization = 1;

// Both servers listen first: each one's configuration needs the other's address.
const app = createServer();
const dashboardServer = createServer();
await Promise.all([listen(app, process.env.PORT ?? 3000), listen(dashboardServer, process.env.DASHBOARD_PORT ?? 3001)]);
const appUrl = `http://localhost:${app.address().port}`;
const dashboardUrl = `http://localhost:${dashboardServer.address().port}`;

// The data. By default DuckDB runs in memory and reads orders.csv at start-up (read_parquet
// reads a Parquet file the same way). With DUCKDB_FILE, a database file that make-database.mjs
// made, opened read-only.
const database = process.env.DUCKDB_FILE
  ? await createDuckDbDataSource({ path: process.env.DUCKDB_FILE, config: { access_mode: 'READ_ONLY' } })
  : await createDuckDbDataSource({ setup: [`CREATE TABLE orders AS FROM read_csv(${sqlString(here('orders.csv'))})`] });

// The dashboard host: verifies each token and runs the dashboard's queries with its filters.
const host = createDashboardHost({
  organization,
  secret,
  dashboards: await loadDashboardFiles(here('dashboards')),
  database,
  frameAncestors: [appUrl], // only your app may frame the dashboards
});
dashboardServer.on('request', toNodeHandler(host));

// Your app's token endpoint: signs what the page asks for, within what you allow.
const signer = createEmbedSigner({ secret, organization, baseUrl: `${dashboardUrl}/d/{dashboard}` });
const embedToken = toNodeHandler(
  createTokenHandler({
    signer,
    dashboards: [1], // what a browser may embed
    filters: ['DATE_RANGE'], // the Hidden Variables it may set
    lockedEnv: (request) => ({ ACCT_ID: accountOf(request) }), // from your session, never the browser
  }),
);

// Your app's pages, and the element: the bundle in node_modules/chartio-embed/dist/browser/.
const page = await readFile(here('index.html'));
const element = await readFile(fileURLToPath(import.meta.resolve('chartio-embed/bundle')));
app.on('request', (req, res) => {
  if (req.url === '/embed-token') return embedToken(req, res);
  if (req.url === '/chartio-embed.js') return send(res, 'text/javascript', element);
  if (req.url === '/') return send(res, 'text/html; charset=utf-8', page);
  send(res, 'text/plain', 'Not found', 404);
});

console.log(`Open ${appUrl} (dashboards served from ${dashboardUrl})`);

/** The signed-in user's account, from your session. The quick start has one account. */
function accountOf(request) {
  return '1';
}

/** A string as an SQL literal: 'it''s'. */
function sqlString(text) {
  return `'${text.replaceAll("'", "''")}'`;
}

function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(port), 'localhost', resolve);
  });
}

function send(res, type, body, status = 200) {
  res.writeHead(status, { 'Content-Type': type });
  res.end(body);
}
