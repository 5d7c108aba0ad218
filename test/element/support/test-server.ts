/**
 * The server side of the element's browser tests, mounted as web-test-runner middleware: the
 * project's real token endpoint (`createTokenHandler` through `toNodeHandler`), a dashboard page
 * that verifies its token with the real `verifyEmbedToken`, and small control routes so a test
 * can hold, fail and count token requests.
 *
 * Every route takes a session id (`?s=…` or a path segment), so test files running at the same
 * time in Chromium and Firefox never see each other's requests or failures.
 *
 * Routes:
 * - `POST /embed-token?s=ID`: the real endpoint (dashboards: any but 9403; filters: USER_ID,
 *   DATE_RANGE, REGION, N; `ACCT_ID` locked to "1" from the "session"; answers carry
 *   `url: http://{Host}/d/{id}/?embed_token=…`), after the session's hold and injected failures.
 * - `POST /__control?s=ID` JSON `{ reset?, hold?, release?, fail?, down?, ttl? }`:
 *   `hold: true` keeps new token requests waiting; `release: i` lets the i-th held one go
 *   (`"all"`: every one); `fail: [500, 'bad-token', 'not-json', …]` answers the next requests so;
 *   `down: true` cuts every token request's connection (a server that is down); `ttl` sets
 *   the lifetime of tokens signed from then on; `reset` forgets it all and ends hung frames.
 * - `GET /__requests?s=ID`: `[{ body, headers, aborted, status }]`, every token request received.
 * - `GET /d/:id/?embed_token=…`: the dashboard page; `window.claims` holds the verified claims
 *   (or `null`, with `window.error`), `window.sendHeight(h)` posts the height message (and
 *   `&post=h` posts it on load, for a page the test cannot script: another origin).
 * - `GET /hang/ID/…`: a dashboard page that never answers (until the session is reset).
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { Middleware } from 'koa';
import { createEmbedSigner, createTokenHandler, toNodeHandler, verifyEmbedToken } from '../../../src/server/index.js';
import type { NodeHandler } from '../../../src/server/index.js';
import { HEIGHT_MESSAGE_TYPE } from '../../../src/protocol/index.js';

/** The organization the test tokens are signed for. */
export const ORGANIZATION = 16417;
/** The one dashboard the endpoint refuses (403 `dashboard_not_allowed`). */
export const FORBIDDEN_DASHBOARD = 9403;
/** Filter names the endpoint lets the browser set. */
export const ALLOWED_FILTERS = ['USER_ID', 'DATE_RANGE', 'REGION', 'N'];

type Failure = number | 'bad-token' | 'not-json';

interface RequestRecord {
  body: unknown;
  /** The request headers a test may check: `content-type`, `cookie`, `origin`, `x-csrf-token`. */
  headers: Record<string, string | undefined>;
  aborted: boolean;
  status: number;
}

interface Session {
  hold: boolean;
  held: Array<() => void>;
  fail: Failure[];
  down: boolean;
  ttl: number;
  requests: RequestRecord[];
  hung: ServerResponse[];
}

const DEFAULT_TTL = 3_600;
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
  const handlers = new Map<string, NodeHandler>();
  const sessions = new Map<string, Session>();

  // One signer per Host the page used (localhost or 127.0.0.1), so the answer's `url` points
  // back at this server whatever port wtr picked.
  const handlerFor = (host: string, ttl: number): NodeHandler => {
    let handler = handlers.get(`${host} ${ttl}`);
    if (!handler) {
      const signer = createEmbedSigner({ secret, organization: ORGANIZATION, baseUrl: `http://${host}/d/{dashboard}` });
      handler = toNodeHandler(
        createTokenHandler({
          signer,
          dashboards: (id) => id !== FORBIDDEN_DASHBOARD,
          filters: ALLOWED_FILTERS,
          lockedEnv: () => ({ ACCT_ID: '1' }),
          ttl,
        }),
      );
      handlers.set(`${host} ${ttl}`, handler);
    }
    return handler;
  };

  const sessionFor = (id: string): Session => {
    let session = sessions.get(id);
    if (!session) {
      session = { hold: false, held: [], fail: [], down: false, ttl: DEFAULT_TTL, requests: [], hung: [] };
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
      await serveToken(sessionFor(sid), req, res, (ttl) => handlerFor(ctx.host, ttl));
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
    const dashboard = /^\/d\/(\d+)\/$/.exec(url.pathname);
    if (dashboard && ctx.method === 'GET') {
      const id = Number(dashboard[1]);
      const post = url.searchParams.has('post') ? Number(url.searchParams.get('post')) : undefined;
      ctx.type = 'html';
      try {
        const claims = await verifyEmbedToken(url.searchParams.get('embed_token') ?? '', { secret, organization: ORGANIZATION, dashboard: id });
        ctx.body = dashboardPage({ claims, post });
      } catch (error) {
        ctx.status = 401;
        ctx.body = dashboardPage({ claims: null, error: (error as { code?: string }).code ?? 'invalid', post });
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
  command: { reset?: boolean; hold?: boolean; release?: number | 'all'; fail?: Failure[]; down?: boolean; ttl?: number },
): void {
  if (command.reset) {
    for (const release of session.held) release();
    for (const res of session.hung) res.destroy();
    Object.assign(session, { hold: false, held: [], fail: [], down: false, ttl: DEFAULT_TTL, requests: [], hung: [] });
  }
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

function dashboardPage(state: { claims: unknown; error?: string; post?: number }): string {
  const json = (value: unknown) => JSON.stringify(value ?? null).replace(/</g, '\\u003c');
  return `<!doctype html><html><head><title>Test dashboard</title></head><body>
<p>${state.claims ? 'Dashboard' : 'Invalid token'}</p>
<script>
window.claims = ${json(state.claims)};
window.error = ${json(state.error)};
window.sendHeight = (height, target = '*') => parent.postMessage({ type: ${json(HEIGHT_MESSAGE_TYPE)}, height }, target);
if (${json(state.post)} !== null) sendHeight(${json(state.post)});
</script></body></html>`;
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
