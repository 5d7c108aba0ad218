/**
 * The lazy `Request` every handler served by the Node listener receives, the way hono's
 * node-server makes it: an `instanceof Request` whose `method`, `url`, `headers` and `signal` are
 * read straight from the `IncomingMessage`, built only when asked (`headers` lazily too:
 * request-headers.ts), and whose other members come
 * from a full `Request` made on first use. On Node 20 a `new Request` with a body costs more than
 * a whole cached answer, so a handler that only routes and answers pays for none.
 *
 * Beyond the Fetch members it carries `node` (the `IncomingMessage`, an Express `req` with its
 * `session`) and, under {@link NODE_BODY}, the body as Node has it (node-body.ts), which the token
 * endpoint reads bounded without a web stream.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NODE_BODY, type NodeBody } from '../node-body.js';
import { nodeBodyStream } from './body-stream.js';
import type { FrameworkRequest } from './framework-request.js';
import { nodeBody } from './read-body.js';
import { createNodeHeaders, fullHeaders } from './request-headers.js';

/** What a lazy `Request` is made from, and what it has built so far. */
interface NodeRequestState {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: string;
  headers?: Headers;
  controller?: AbortController;
  body?: NodeBody;
  request?: Request;
}

const STATE = Symbol('node request state');
type LazyRequest = Request & { [STATE]: NodeRequestState };

/** `Request` members that need the real thing: read from it, built on first use. */
const DELEGATED_PROPERTIES = ['body', 'bodyUsed', 'cache', 'credentials', 'destination', 'duplex', 'integrity', 'keepalive', 'mode', 'redirect', 'referrer', 'referrerPolicy'];
const DELEGATED_METHODS = ['arrayBuffer', 'blob', 'bytes', 'clone', 'formData', 'json', 'text'];

/**
 * The prototype of every lazy `Request`: a `Request.prototype` (so `instanceof Request` holds)
 * whose cheap parts are read from the Node request and whose other parts come from a real
 * `Request`, made once, on first use.
 */
const requestPrototype: object = Object.create(Request.prototype, {
  method: {
    get(this: LazyRequest) {
      return this[STATE].req.method ?? 'GET';
    },
  },
  url: {
    get(this: LazyRequest) {
      return this[STATE].url;
    },
  },
  headers: {
    get(this: LazyRequest) {
      const state = this[STATE];
      return (state.headers ??= createNodeHeaders(state.req.rawHeaders));
    },
  },
  signal: {
    get(this: LazyRequest) {
      return abortController(this[STATE]).signal;
    },
  },
  node: {
    get(this: LazyRequest) {
      return this[STATE].req;
    },
  },
  [NODE_BODY]: {
    get(this: LazyRequest) {
      const state = this[STATE];
      return (state.body ??= nodeBody(state.req));
    },
  },
  [Symbol.toStringTag]: { value: 'Request' },
  ...Object.fromEntries(
    DELEGATED_PROPERTIES.map((name) => [
      name,
      {
        get(this: LazyRequest) {
          return (realRequest(this) as unknown as Record<string, unknown>)[name];
        },
      },
    ]),
  ),
  ...Object.fromEntries(
    DELEGATED_METHODS.map((name) => [
      name,
      {
        value(this: LazyRequest) {
          const real = realRequest(this) as unknown as Record<string, () => unknown>;
          return real[name]!.call(real);
        },
      },
    ]),
  ),
});

/**
 * A `Request` for a Node request, lazily built (see the module doc). `url` must be the request's
 * absolute URL (request-target.ts).
 *
 * @example
 * const request = createNodeRequest(req, res, 'http://127.0.0.1:8080/d/1/');
 * request.method; // 'GET', read from req
 */
export function createNodeRequest(req: IncomingMessage, res: ServerResponse, url: string): Request {
  const request = Object.create(requestPrototype) as LazyRequest;
  Object.defineProperty(request, STATE, { value: { req, res, url } satisfies NodeRequestState });
  return request;
}

/** The request's abort controller: aborts when the client goes away before the answer ends. */
function abortController(state: NodeRequestState): AbortController {
  if (state.controller) return state.controller;
  const controller = new AbortController();
  state.controller = controller;
  const onClose = (): void => {
    if (!state.res.writableFinished) controller.abort(new Error('The client closed the connection.'));
  };
  if (state.res.closed) onClose();
  else state.res.once('close', onClose);
  return controller;
}

/** The full `Request`, body streamed with backpressure, made once. */
function realRequest(lazy: LazyRequest): Request {
  const state = lazy[STATE];
  if (state.request) return state.request;
  const { req, res } = state;
  // The real Headers behind the lazy ones: what `request.headers` answers from now on too.
  const headers = fullHeaders(lazy.headers);
  const method = req.method ?? 'GET';
  const init: RequestInit & { duplex?: 'half' } = { method, headers, signal: lazy.signal };
  if (method !== 'GET' && method !== 'HEAD') {
    const parsed = (req as FrameworkRequest).body;
    if (parsed !== undefined && req.readableEnded) {
      // A body parser already read the stream: hand over what it produced, re-encoded, and drop
      // the length headers that described the original bytes.
      init.body = typeof parsed === 'string' || parsed instanceof Uint8Array ? (parsed as RequestInit['body']) : JSON.stringify(parsed);
      headers.delete('content-length');
      headers.delete('transfer-encoding');
    } else {
      init.body = nodeBodyStream(req, res);
      init.duplex = 'half';
    }
  }
  state.request = new Request(state.url, init);
  return state.request;
}
