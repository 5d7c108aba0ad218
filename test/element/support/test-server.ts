/**
 * The server side of the element's browser tests, mounted as web-test-runner middleware: the
 * project's real token endpoint (`createTokenHandler` through `toNodeHandler`), the real
 * dashboard host (`createDashboardHost` over the demo dataset in DuckDB) signed for with the same
 * secret, a small dashboard page that verifies its token with the real `verifyEmbedToken`, and
 * control routes so a test can hold, fail and count token requests.
 *
 * Every route takes a session id (`?s=…` or a path segment), so test files running at the same
 * time in Chromium and Firefox never see each other's requests or failures.
 *
 * Routes:
 * - `POST /embed-token?s=ID`: the real endpoint (dashboards: any but 9403; filters: USER_ID,
 *   DATE_RANGE, PRODUCTS, REGION, N; `ACCT_ID` locked to "1" from the "session"; answers carry
 *   `url: http://{Host}/d/{id}/?embed_token=…`), after the session's hold and injected failures.
 *   `&foreign` signs with another secret (the host then refuses the token: `token_signature`).
 * - `/host/…`: the real dashboard host (basePath `/host`; the demo dashboards 38727 and 38728 over
 *   the demo dataset; `parentOrigins` and `frameAncestors`: the origin it is asked on). Its data
 *   route answers 503 `queue_full` to a token whose `REGION` ends in `fail-data`, for the
 *   fallback from an in-place update.
 * - `/strict/…`: the same host whose only parent origin is the *other* loopback origin
 *   (`localhost` ↔ `127.0.0.1`), so the page a test runs in is not one of its parents.
 * - `/elsewhere/…`: the same host whose `frameAncestors` (and parent origins) are only the other
 *   loopback origin: its CSP `frame-ancestors` refuses to be framed by the page a test runs in.
 * - `POST /embed-token-cors?s=ID` on a second port (`GET /__cors-port` names it): the real
 *   endpoint behind CORS that allows the page's origin with credentials, recording the
 *   request's cookies, for the `credentials` attribute.
 * - `POST /__control?s=ID` JSON `{ reset?, hold?, release?, fail?, down?, ttl?, kid?, hostKids?, skew?, revokedBefore? }`:
 *   `hold: true` keeps new token requests waiting; `release: i` lets the i-th held one go
 *   (`"all"`: every one); `fail: [500, 'bad-token', 'not-json', …]` answers the next requests so;
 *   `down: true` cuts every token request's connection (a server that is down); `ttl` sets
 *   the lifetime of tokens signed from then on; `kid` the key id they carry (a key rotation),
 *   `skew` moves the signer's clock by that many ms (a token already expired); `hostKids` the key
 *   ids the session's dashboard pages accept besides tokens without one, and `revokedBefore` a
 *   cut-off in seconds before which they refuse a token's `iat` as `token_revoked` (both on pages
 *   asked for with `s=ID`); `reset` forgets it all and ends hung frames.
 * - `GET /__requests?s=ID`: `[{ body, headers, aborted, status }]`, every token request received.
 * - `GET /__pages?s=ID`: `{ pages }`, how many `&fail=…` dashboard pages the session was served.
 * - `GET /d/:id/?embed_token=…`: a dashboard page that speaks the frame protocol but cannot
 *   update in place: it posts `chartio:ready` on load (or `chartio:error` 401 with the verifier's
 *   code, and with `s=ID` the session's keys and cut-off), and answers every `chartio:token` with `chartio:error`. `window.claims` holds the
 *   verified claims (or `null`, with `window.error`), `window.sendHeight(h)` posts the height
 *   message and `window.sendReady()` the ready message again (`&post=h` posts a height on load,
 *   for a page the test cannot script: another origin; `&silent` posts nothing, like a page that
 *   does not speak the protocol; `&fail=503&s=ID` posts `chartio:error` `injected_503`, retryable
 *   for a 5xx, and counts the page in the session's `pages`).
 * - `GET /hang/ID/…`: a dashboard page that never answers (until the session is reset).
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { Middleware } from 'koa';
import { createEmbedSigner, createTokenHandler, toNodeHandler, verifyEmbedToken } from '../../../src/server/index.js';
import type { NodeHandler } from '../../../src/server/index.js';
import { createDashboardHost, loadDashboardFiles, type DataSource } from '../../../src/host/index.js';
import {
  ERROR_MESSAGE_TYPE,
  FRAME_PROTOCOL_VERSION,
  HEIGHT_MESSAGE_TYPE,
  READY_MESSAGE_TYPE,
  TOKEN_MESSAGE_TYPE,
} from '../../../src/protocol/index.js';
import { listenLocal } from '../../launchers/listen-local.js';
import { DEMO_DASHBOARDS, openDemoDatabase } from '../../support/demo-database.js';

/** The organization the test tokens are signed for. */
export const ORGANIZATION = 16417;
/** The one dashboard the endpoint refuses (403 `dashboard_not_allowed`). */
export const FORBIDDEN_DASHBOARD = 9403;
/** Filter names the endpoint lets the browser set. */
export const ALLOWED_FILTERS = ['USER_ID', 'DATE_RANGE', 'PRODUCTS', 'REGION', 'N'];

type Failure = number | 'bad-token' | 'not-json';

interface RequestRecord {
  body: unknown;
  /** The request headers a test may check: `content-type`, `cookie`, `origin`, `x-csrf-token`. */
  headers: Record<string, string | undefined>;
  aborted: boolean;
  status: number;
}

interface Session {
  /** The key id the endpoint signs with, the signer's clock offset (ms), what the pages accept. */
  kid: string | undefined;
  skew: number;
  hostKids: string[];
  revokedBefore: number | undefined;
  hold: boolean;
  held: Array<() => void>;
  fail: Failure[];
  down: boolean;
  ttl: number;
  requests: RequestRecord[];
  hung: ServerResponse[];
  /** Dashboard pages asked for with `&fail=…&s=ID`. */
  pages: number;
}

const DEFAULT_TTL = 3_600;
/** A session's state before any control. */
const FRESH_SESSION: Session = Object.freeze({
  kid: undefined,
  skew: 0,
  hostKids: [],
  revokedBefore: undefined,
  hold: false,
  held: [],
  fail: [],
  down: false,
  ttl: DEFAULT_TTL,
  requests: [],
  hung: [],
  pages: 0,
}) as Session;
/** Sessions kept at most: each test file run opens one; old ones are forgotten. */
const MAX_SESSIONS = 200;

/**
 * The middleware: answers the routes above and passes anything else on (to wtr's file server).
 *
 * @example
 * // web-test-runner.config.mjs
 * export default { middleware: [testServer()] };
 */
export function testServer(): Middleware {
  const secret = randomBytes(32);
  const foreignSecret = randomBytes(32);
  const handlers = new Map<string, NodeHandler>();
  const sessions = new Map<string, Session>();

  // One signer per Host the page used (localhost or 127.0.0.1), so the answer's `url` points
  // back at this server whatever port wtr picked.
  const handlerFor = (host: string, ttl: number, foreign = false, allowedOrigins?: string[], kid?: string, skew = 0): NodeHandler => {
    const name = `${host} ${ttl} ${foreign} ${allowedOrigins} ${kid} ${skew}`;
    let handler = handlers.get(name);
    if (!handler) {
      const signer = createEmbedSigner({
        secret: foreign ? foreignSecret : secret,
        organization: ORGANIZATION,
        baseUrl: `http://${host}/d/{dashboard}`,
        ...(kid ? { kid } : {}),
        now: () => Date.now() + skew,
      });
      handler = toNodeHandler(
        createTokenHandler({
          signer,
          dashboards: (id) => id !== FORBIDDEN_DASHBOARD,
          filters: ALLOWED_FILTERS,
          lockedEnv: () => ({ ACCT_ID: '1' }),
          ttl,
          ...(allowedOrigins ? { allowedOrigins } : {}),
        }),
      );
      handlers.set(name, handler);
    }
    return handler;
  };

  // The real dashboard host, one per mount and origin it is asked on, over one demo database
  // opened on first use.
  let database: Promise<DataSource> | undefined;
  const hosts = new Map<string, Promise<NodeHandler>>();
  const hostFor = (basePath: string, origin: string): Promise<NodeHandler> => {
    let host = hosts.get(`${basePath} ${origin}`);
    if (!host) {
      host = (async () => {
        database ??= openDemoDatabase();
        const parentOrigins = basePath === '/host' ? [origin] : [otherOrigin(origin)];
        const dashboardHost = createDashboardHost({
          organization: ORGANIZATION,
          secret,
          dashboards: await loadDashboardFiles(DEMO_DASHBOARDS),
          database: await database,
          frameAncestors: basePath === '/elsewhere' ? [otherOrigin(origin)] : [origin, otherOrigin(origin)],
          parentOrigins,
          basePath,
          log: () => {},
        });
        return toNodeHandler((request: Request) => (failsData(request) ? dataFailure() : dashboardHost(request)));
      })();
      hosts.set(`${basePath} ${origin}`, host);
    }
    return host;
  };

  // A second server on another port: the token endpoint behind CORS, same site as the page.
  let corsPort: Promise<number> | undefined;
  const corsServer = (): Promise<number> =>
    (corsPort ??= (async () => {
      const server = createServer(async (req, res) => {
        const url = new URL(req.url ?? '/', 'http://test.invalid');
        const origin = req.headers.origin ?? '';
        res.setHeader('access-control-allow-origin', origin);
        res.setHeader('access-control-allow-credentials', 'true');
        res.setHeader('vary', 'origin');
        if (req.method === 'OPTIONS') {
          res.writeHead(204, { 'access-control-allow-methods': 'POST', 'access-control-allow-headers': 'content-type' });
          res.end();
          return;
        }
        const sid = url.searchParams.get('s') ?? '';
        if (url.pathname !== '/embed-token-cors' || !sid || !/^http:\/\/[\w.:[\]-]+$/.test(origin)) {
          res.writeHead(404).end();
          return;
        }
        const host = new URL(origin).host;
        await serveToken(sessionFor(sid), req, res, (ttl) => handlerFor(host, ttl, false, [origin]));
      });
      const { port } = await listenLocal(server);
      server.unref();
      return port;
    })());

  const sessionFor = (id: string): Session => {
    let session = sessions.get(id);
    if (!session) {
      session = { ...FRESH_SESSION, held: [], fail: [], requests: [], hung: [], hostKids: [] };
      sessions.set(id, session);
      if (sessions.size > MAX_SESSIONS) sessions.delete(sessions.keys().next().value!);
    }
    return session;
  };

  return async (ctx, next) => {
    const url = new URL(ctx.url, 'http://test.invalid');
    const sid = url.searchParams.get('s') ?? '';
    const { req, res } = ctx;

    if (url.pathname === '/embed-token' && sid && /^[\w.:[\]-]+$/.test(ctx.host)) {
      ctx.respond = false;
      const foreign = url.searchParams.has('foreign');
      const session = sessionFor(sid);
      await serveToken(session, req, res, (ttl) => handlerFor(ctx.host, ttl, foreign, undefined, session.kid, session.skew));
      return;
    }
    const mount = /^\/(host|strict|elsewhere)\//.exec(url.pathname);
    if (mount && /^[\w.:[\]-]+$/.test(ctx.host)) {
      ctx.respond = false;
      await (await hostFor(`/${mount[1]}`, `http://${ctx.host}`))(req, res);
      return;
    }
    if (url.pathname === '/__cors-port') {
      ctx.body = { port: await corsServer() };
      return;
    }
    if (url.pathname === '/__control' && sid && ctx.method === 'POST') {
      const session = sessionFor(sid);
      control(session, JSON.parse(await readBody(req)));
      ctx.body = { ok: true, held: session.held.length };
      return;
    }
    if (url.pathname === '/__requests' && sid) {
      ctx.body = sessionFor(sid).requests;
      return;
    }
    if (url.pathname === '/__pages' && sid) {
      ctx.body = { pages: sessionFor(sid).pages };
      return;
    }
    const dashboard = /^\/d\/(\d+)\/$/.exec(url.pathname);
    if (dashboard && ctx.method === 'GET') {
      const id = Number(dashboard[1]);
      const post = url.searchParams.has('post') ? Number(url.searchParams.get('post')) : undefined;
      const silent = url.searchParams.has('silent');
      const fail = url.searchParams.has('fail') ? Number(url.searchParams.get('fail')) : undefined;
      if (fail) sessionFor(url.searchParams.get('s') ?? '').pages++;
      // With a session: its keys (a rotation) and its revocation cut-off.
      const session = url.searchParams.has('s') ? sessionFor(url.searchParams.get('s')!) : FRESH_SESSION;
      ctx.type = 'html';
      try {
        const keys = [{ secret }, ...session.hostKids.map((kid) => ({ kid, secret }))];
        const claims = await verifyEmbedToken(url.searchParams.get('embed_token') ?? '', { keys, organization: ORGANIZATION, dashboard: id });
        if (session.revokedBefore !== undefined && claims.iat < session.revokedBefore) throw Object.assign(new Error('revoked'), { code: 'token_revoked' });
        ctx.body = dashboardPage({ claims, post, silent, fail });
      } catch (error) {
        ctx.status = 401;
        ctx.body = dashboardPage({ claims: null, error: (error as { code?: string }).code ?? 'invalid', post, silent });
      }
      return;
    }
    const hang = /^\/hang\/([\w-]+)\//.exec(url.pathname);
    if (hang && ctx.method === 'GET') {
      ctx.respond = false;
      res.statusCode = 499; // never sent; keeps wtr from logging Koa's default 404
      sessionFor(hang[1]!).hung.push(res);
      return;
    }
    await next();
  };
}

async function serveToken(
  session: Session,
  req: IncomingMessage,
  res: ServerResponse,
  handlerFor: (ttl: number) => NodeHandler,
): Promise<void> {
  const headers = Object.fromEntries(
    ['content-type', 'cookie', 'origin', 'x-csrf-token'].map((name) => [name, req.headers[name] as string | undefined]),
  );
  const record: RequestRecord = { body: undefined, headers, aborted: false, status: 0 };
  session.requests.push(record);
  res.on('close', () => {
    if (!res.writableFinished) record.aborted = true;
  });
  const text = await readBody(req);
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Left as text: the endpoint answers 400 itself.
  }
  record.body = body;
  // What express.json() leaves: the endpoint uses a parsed body as it is.
  (req as IncomingMessage & { body?: unknown }).body = body;

  if (session.hold) await new Promise<void>((release) => session.held.push(release));
  if (record.aborted) {
    // Nothing is sent; 499 (nginx's "client closed request") keeps wtr from logging Koa's default 404.
    res.statusCode = 499;
    return;
  }
  if (session.down) {
    // Sticky, like a server that is down: a browser that resends on a fresh connection fails too.
    res.statusCode = 499;
    req.socket.destroy();
    return;
  }
  const failure = session.fail.shift();
  if (failure !== undefined) {
    const status = typeof failure === 'number' ? failure : 200;
    res.writeHead(status, { 'content-type': failure === 'not-json' ? 'text/html' : 'application/json' });
    res.end(
      failure === 'not-json'
        ? '<!doctype html><p>Proxy error'
        : failure === 'bad-token'
          ? JSON.stringify({ token: '<script>alert(1)</script>', expiresAt: 0 })
          : JSON.stringify({ error: { code: `injected_${status}`, message: `Injected failure ${status}` } }),
    );
    record.status = status;
    return;
  }
  await handlerFor(session.ttl)(req, res);
  record.status = res.statusCode;
}

function control(
  session: Session,
  command: {
    reset?: boolean;
    hold?: boolean;
    release?: number | 'all';
    fail?: Failure[];
    down?: boolean;
    ttl?: number;
    kid?: string;
    skew?: number;
    hostKids?: string[];
    revokedBefore?: number;
  },
): void {
  if (command.reset) {
    for (const release of session.held) release();
    for (const res of session.hung) res.destroy();
    Object.assign(session, { ...FRESH_SESSION, held: [], fail: [], requests: [], hung: [], hostKids: [] });
  }
  if (command.kid !== undefined) session.kid = command.kid || undefined;
  if (command.skew !== undefined) session.skew = command.skew;
  if (command.hostKids !== undefined) session.hostKids = command.hostKids;
  if (command.revokedBefore !== undefined) session.revokedBefore = command.revokedBefore;
  if (command.hold !== undefined) session.hold = command.hold;
  if (command.fail) session.fail.push(...command.fail);
  if (command.down !== undefined) session.down = command.down;
  if (command.ttl !== undefined) session.ttl = command.ttl;
  if (command.release === 'all') {
    for (const release of session.held.splice(0)) release();
  } else if (command.release !== undefined) {
    // Released in place (not removed), so indexes stay those of arrival.
    session.held[command.release]?.();
  }
}

function dashboardPage(state: { claims: { dashboard: number } | null; error?: string; post?: number; silent: boolean; fail?: number }): string {
  const json = (value: unknown) => JSON.stringify(value ?? null).replace(/</g, '\\u003c');
  return `<!doctype html><html><head><title>Test dashboard</title></head><body>
<p>${state.claims ? 'Dashboard' : 'Invalid token'}</p>
<script>
window.claims = ${json(state.claims)};
window.error = ${json(state.error)};
const version = ${json(FRAME_PROTOCOL_VERSION)};
window.sendHeight = (height, target = '*') => parent.postMessage({ type: ${json(HEIGHT_MESSAGE_TYPE)}, version, height }, target);
window.sendReady = (target = '*') => parent.postMessage({ type: ${json(READY_MESSAGE_TYPE)}, version, dashboard: ${json(state.claims?.dashboard)}, token: new URLSearchParams(location.search).get('embed_token') }, target);
window.sendError = (code, status, retryable, target = '*') => parent.postMessage({ type: ${json(ERROR_MESSAGE_TYPE)}, version, code, status, retryable }, target);
window.tokensAsked = [];
addEventListener('message', (event) => {
  if (event.source !== parent || event.data?.type !== ${json(TOKEN_MESSAGE_TYPE)}) return;
  tokensAsked.push(event.data.token);
  parent.postMessage({ type: ${json(ERROR_MESSAGE_TYPE)}, version, code: 'in_place_unsupported', status: 0, retryable: false, token: event.data.token }, event.origin);
});
if (${json(state.post)} !== null) sendHeight(${json(state.post)});
const fail = ${json(state.fail)};
if (${json(state.silent)}) {
  // Says nothing, like a page that does not speak the protocol.
} else if (fail) sendError('injected_' + fail, fail, fail >= 500);
else if (window.claims) sendReady();
else sendError(window.error, 401, false);
</script></body></html>`;
}

/** The other loopback name for the same server: another origin. */
function otherOrigin(origin: string): string {
  const url = new URL(origin);
  url.hostname = url.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
  return url.origin;
}

/** Data requests the test asks to fail: the token's `REGION` ends in `fail-data`. */
function failsData(request: Request): boolean {
  if (!new URL(request.url).pathname.endsWith('/data')) return false;
  const token = request.headers.get('authorization')?.replace(/^Bearer /, '') ?? '';
  try {
    const { env } = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
    return typeof env?.REGION === 'string' && env.REGION.endsWith('fail-data');
  } catch {
    return false;
  }
}

/** What a host too busy to run a query answers its data route (the data route's contract). */
function dataFailure(): Response {
  const error = { code: 'queue_full', status: 503, retryable: true, message: 'Injected: the host is too busy' };
  return new Response(JSON.stringify({ error }), { status: 503, headers: { 'content-type': 'application/json', 'cache-control': 'no-store', 'retry-after': '1' } });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Bounded: these routes only ever get small JSON bodies.
      if (size > 64 * 1024) req.destroy();
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
