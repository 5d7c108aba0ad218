/**
 * The demo host app: its page, its assets, a "signed in as" switch and its token endpoint.
 * Plain node:http, the way a small app would mount chartio-embed's Node handler.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createTokenHandler, toNodeHandler, type EmbedSigner } from '../../src/server/index.js';
import type { DataSource } from '../../src/host/index.js';
import { renderPage } from './page.js';
import { visitor } from './visitor.js';
import { sessionCookie, type createSessions } from '../sessions.js';
import { createFrameworkRoutes } from '../frameworks/routes.js';
import { demoFrameworkConfig } from '../frameworks/demo-config.js';

export interface AppOptions {
  signer: EmbedSigner;
  database: DataSource;
  sessions: ReturnType<typeof createSessions>;
  accounts: ReadonlyArray<{ id: string; name: string }>;
  dashboards: ReadonlyArray<{ id: number; title: string }>;
  /** Where the dashboard host serves dashboards: `http://127.0.0.1:8081/d`. */
  dashboardBase: string;
  elementCode: string;
  /** Test hook: answer the next N token requests with 503, as a failing backend would. */
  faults?: { tokenFailures: number };
}

const asset = (name: string) => readFile(fileURLToPath(new URL(`./${name}`, import.meta.url)), 'utf8');

/**
 * Builds the app's request listener.
 * @example
 * createServer(await createApp(options)).listen(8080);
 */
export async function createApp(options: AppOptions) {
  const [appJs, appCss] = await Promise.all([asset('app.js'), asset('app.css')]);
  const tokenEndpoint = toNodeHandler(
    createTokenHandler({
      signer: options.signer,
      dashboards: options.dashboards.map((dashboard) => dashboard.id),
      filters: ['DATE_RANGE', 'USER_ID', 'PRODUCTS'],
      // ACCT_ID comes from the server's session only: a browser that sends it is refused.
      lockedEnv: (request) => {
        const account = options.sessions.accountOf(request.headers.get('cookie'));
        return account === null ? null : { ACCT_ID: account };
      },
    }),
  );

  // /frameworks/react, /vue, /svelte, /angular: the same element driven by each framework.
  const frameworks = createFrameworkRoutes({ config: demoFrameworkConfig(options) });

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://app.invalid');
    if (url.pathname === '/embed-token') {
      if (options.faults && options.faults.tokenFailures > 0) {
        options.faults.tokenFailures--;
        return send(res, 503, 'application/json', '{"error":{"code":"unavailable","message":"The demo was told to fail this request."}}');
      }
      return tokenEndpoint(req, res);
    }
    if (url.pathname === '/chartio-embed.js') return send(res, 200, 'text/javascript', options.elementCode);
    if (url.pathname === '/app.js') return send(res, 200, 'text/javascript', appJs);
    if (url.pathname === '/app.css') return send(res, 200, 'text/css', appCss);
    if (url.pathname === '/session' && req.method === 'POST') return switchAccount(req, res, options);
    if (url.pathname === '/' && req.method === 'GET') return page(req, res, options);
    if (await frameworks(req, res)) return;
    return send(res, 404, 'text/plain', 'Not found');
  };
}

async function page(req: IncomingMessage, res: ServerResponse, options: AppOptions): Promise<void> {
  const { account, users } = await visitor(req, res, options);
  const html = renderPage({
    account: options.accounts.find((a) => a.id === account) ?? options.accounts[0]!,
    accounts: options.accounts,
    users,
    dashboards: options.dashboards,
    dashboardBase: options.dashboardBase,
  });
  send(res, 200, 'text/html; charset=utf-8', html);
}

async function switchAccount(req: IncomingMessage, res: ServerResponse, options: AppOptions): Promise<void> {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 1024) return send(res, 413, 'text/plain', 'Too large');
  }
  const account = new URLSearchParams(body).get('account');
  if (!options.accounts.some((a) => a.id === account)) return send(res, 400, 'text/plain', 'Unknown account');
  const id = options.sessions.switchTo(req.headers.cookie, account!);
  res.writeHead(303, { Location: '/', 'Set-Cookie': sessionCookie(id) });
  res.end();
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end(body);
}
