/**
 * `toNodeHandler`: serves any Fetch-API handler from `node:http`, `node:http2`'s compatibility
 * API, Express 5 or Connect, through one path, the way hono's node-server does: each request
 * becomes a lazy `Request` (request.ts, its URL read by request-target.ts), the handler answers,
 * and its `Response` is written back (response.ts). The token endpoint goes the same way; it
 * reads its body bounded through the request's `NODE_BODY` and answers with a light response, so
 * neither a full `Request` nor a `Response` body stream is built on its path.
 *
 * Uses no `node:` module at run time, so `chartio-embed/server` loads on other runtimes too.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createNodeRequest } from './request.js';
import { requestTarget, type Refusal } from './request-target.js';
import { writeResponse } from './response.js';

/** What `toNodeHandler` returns: a `node:http` listener and an Express/Connect middleware. */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => Promise<void>;

const ALLOWED_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';

/**
 * Turns a Fetch-API handler into a `(req, res, next?)` listener for `node:http`, Express and
 * Connect.
 *
 * Every handler gets a `Request` whose body streams with backpressure and whose `signal` aborts
 * when the client goes away, plus `node`, the `IncomingMessage` (an Express `req`, with
 * `req.session` and the like); its `Response` streams back with its status, headers and each
 * `Set-Cookie`. A handler that throws reaches `next(error)` (Express's error handling) or, without
 * `next`, a plain 500 with only the error's message logged. A request no `Request` can represent
 * is answered here, never with a 500: a `Host` that is not a host or a target that is not a path
 * gets 400; `TRACE`, `TRACK` and `CONNECT` get 405.
 *
 * With a handler from `createTokenHandler`:
 * - every request gets its answer and `next` is never called, so mount it on its own path
 *   (`app.use(path, …)` or `app.all(path, …)`: other methods get the endpoint's 405, and with
 *   `allowedOrigins` the CORS preflight, an `OPTIONS`, reaches it; `app.post` would not let it);
 * - the callbacks receive that `Request`, so `request.node` is the Express `req`;
 * - a body already parsed by `express.json()` (`req.body` set) is used as it is. That parser's
 *   own `limit` (100 kB by default) then bounds chunked bodies, and JSON it cannot parse is
 *   answered by Express's error handling, not by this endpoint; a `Content-Length` over the
 *   endpoint's `maxBodyBytes` is still refused. Without a parser (the simplest: mount the
 *   endpoint before `express.json()`) the endpoint reads the stream itself, bounded while
 *   reading, and answers every error itself;
 * - the default allowed origin is `Host` with `http`, or `https` on a TLS socket or with
 *   `X-Forwarded-Proto: https`; behind a proxy that rewrites `Host`, set `allowedOrigins`.
 *
 * @example
 * // node:http
 * import { createServer } from 'node:http';
 * const tokens = toNodeHandler(createTokenHandler({ signer, dashboards: [38727], filters: ['DATE_RANGE'] }));
 * createServer((req, res) => {
 *   if (req.url === '/api/embed-token') void tokens(req, res);
 *   else { res.statusCode = 404; res.end(); }
 * }).listen(3000);
 *
 * @example
 * // Express 5, with the account locked from the session
 * app.use('/api/embed-token', toNodeHandler(createTokenHandler({
 *   signer,
 *   dashboards: [38727],
 *   filters: ['DATE_RANGE', 'USER_ID'],
 *   lockedEnv: (request) => {
 *     const user = (request.node as express.Request).session?.user;
 *     return user ? { ACCT_ID: String(user.accountId) } : null;
 *   },
 * })));
 */
export function toNodeHandler(handler: (request: Request) => Response | Promise<Response>): NodeHandler {
  if (typeof handler !== 'function') {
    throw new TypeError('toNodeHandler needs a Fetch-API handler: a function (request: Request) => Response | Promise<Response>.');
  }
  return (req, res, next) => serve(handler, req, res, next);
}

/** Answers one Node request with `handler`. */
async function serve(
  handler: (request: Request) => Response | Promise<Response>,
  req: IncomingMessage,
  res: ServerResponse,
  next?: (error?: unknown) => void,
): Promise<void> {
  const target = requestTarget(req);
  if (typeof target !== 'string') {
    refuse(res, target);
    return;
  }
  let closedEarly = false;
  // `close` also follows a normal finish; only a close before the answer ended means "client gone".
  const onClose = (): void => {
    if (!res.writableFinished) closedEarly = true;
  };
  res.on('close', onClose);
  try {
    const response = await handler(createNodeRequest(req, res, target));
    const streaming = writeResponse(response, req, res);
    if (streaming !== undefined) await streaming;
  } catch (error) {
    if (closedEarly || res.destroyed) return; // Nobody is left to answer.
    if (res.headersSent) {
      // Half an answer is out: cut the connection so the client cannot take it for a whole one.
      res.destroy();
      logMessage(error);
    } else if (next !== undefined) {
      next(error);
    } else {
      logMessage(error);
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end('Internal Server Error');
    }
  } finally {
    res.off('close', onClose);
  }
}

function refuse(res: ServerResponse, refusal: Refusal): void {
  const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', connection: 'close' };
  if (refusal.status === 405) headers.allow = ALLOWED_METHODS;
  res.writeHead(refusal.status, headers);
  res.end(`${refusal.message}\n`);
}

function logMessage(error: unknown): void {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  console.error(`chartio-embed toNodeHandler: ${message}`);
}
