/**
 * `toNodeHandler`: serves a Fetch-API handler from `node:http`, Express 5 or Connect.
 *
 * A handler made by `createTokenHandler` is recognized and driven straight from the
 * `IncomingMessage` / `ServerResponse`, with no Fetch `Request` or `Response` built (on Node 20
 * those cost about 120 µs a request, four times the whole signing work). Any other Fetch handler
 * goes through a complete, streaming conversion.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ENDPOINT_CORE, type EndpointCore } from './endpoint/core.js';
import type { EndpointResult } from './endpoint/response.js';
import { serveFetchHandler, type NodeHandler } from './node/fetch-bridge.js';
import { NodeEndpointInput } from './node/request.js';
import type { FetchHandler } from './token-handler.js';

export type { NodeHandler };

/**
 * Turns a Fetch-API handler into a `(req, res, next?)` listener for `node:http`, Express and
 * Connect.
 *
 * With a handler from `createTokenHandler`:
 * - every request gets its answer and `next` is never called, so mount it on its own path
 *   (`app.use(path, …)` or `app.all(path, …)`: other methods get the endpoint's 405, and with
 *   `allowedOrigins` the CORS preflight, an `OPTIONS`, reaches it; `app.post` would not let it);
 * - the callbacks receive a light request view whose `node` is the `IncomingMessage` (an Express
 *   `req`, with `req.session` and the like);
 * - a body already parsed by `express.json()` (`req.body` set) is used as it is. That parser's
 *   own `limit` (100 kB by default) then bounds chunked bodies, and JSON it cannot parse is
 *   answered by Express's error handling, not by this endpoint; a `Content-Length` over the
 *   endpoint's `maxBodyBytes` is still refused. Without a parser (the simplest: mount the
 *   endpoint before `express.json()`) the endpoint reads the stream itself, bounded while
 *   reading, and answers every error itself;
 * - the default allowed origin is `Host` with `http`, or `https` on a TLS socket or with
 *   `X-Forwarded-Proto: https`; behind a proxy that rewrites `Host`, set `allowedOrigins`.
 *
 * With any other Fetch handler, the request body streams with backpressure, the request's
 * `signal` aborts when the client goes away, and the response streams back with its status,
 * headers and each `Set-Cookie`. A handler that throws reaches `next(error)` (Express's error
 * handling) or, without `next`, a plain 500 with only the error's message logged.
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
export function toNodeHandler(handler: FetchHandler | ((request: Request) => Response | Promise<Response>)): NodeHandler {
  if (typeof handler !== 'function') {
    throw new TypeError('toNodeHandler needs a Fetch-API handler: a function (request: Request) => Response | Promise<Response>.');
  }
  const core = (handler as { [ENDPOINT_CORE]?: EndpointCore })[ENDPOINT_CORE];
  if (core === undefined) return (req, res, next) => serveFetchHandler(handler, req, res, next);
  return (req, res) => {
    const input = new NodeEndpointInput(req);
    return core
      .handle(input)
      .then((result) => writeResult(req, res, result))
      .catch((error: unknown) => {
        // handle() never rejects: this is writing to a response gone bad. Cut it rather than
        // leave the client waiting.
        core.report(error, input);
        if (!res.writableEnded) res.destroy();
      });
  };
}

/**
 * Writes an endpoint answer in one `writeHead` + `end`, with its precomputed headers plus
 * `Content-Length` (none on a 204, a CORS preflight: RFC 9110 §8.6). When the request body was
 * not read to its end (an early refusal, or a body over the bound), the connection is closed
 * after the answer instead of draining the rest.
 */
function writeResult(req: IncomingMessage, res: ServerResponse, result: EndpointResult): void {
  if (res.headersSent || res.writableEnded) return;
  const length = result.status === 204 ? undefined : String(Buffer.byteLength(result.body));
  if (req.httpVersionMajor !== 1) {
    // HTTP/2 compatibility responses take a header object and forbid `Connection`.
    res.writeHead(result.status, length === undefined ? result.headers.record : { ...result.headers.record, 'content-length': length });
  } else {
    const headers = length === undefined ? [...result.headers.flat] : [...result.headers.flat, 'content-length', length];
    if (!req.complete) headers.push('connection', 'close');
    res.writeHead(result.status, headers);
  }
  res.end(length === undefined ? undefined : result.body);
}
