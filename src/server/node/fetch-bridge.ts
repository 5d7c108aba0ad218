/**
 * Serves any Fetch-API handler from `node:http`, Express or Connect, the way hono's node-server
 * does: the handler gets one lazy pseudo-`Request` (an `instanceof Request` whose `method`, `url`,
 * `headers` and `signal` are read straight from the `IncomingMessage`, built only when asked),
 * and a full `Request` is made only when the handler reads the body or anything else. On Node 20
 * a `new Request` and `new Response` cost more than a whole cached answer, so a handler that only
 * routes and answers pays for neither.
 *
 * The answer streams back with its status, headers and every `Set-Cookie`. A response that
 * carries its bytes under {@link RAW_RESPONSE} (the dashboard host's complete pages) is written
 * in one `writeHead` + `end`, without reading its body stream.
 *
 * A request that no `Request` can represent is answered here, never with a 500: a `Host` that is
 * not a host (a space, credentials such as `user@evil.example`, a port over 65535) or a target
 * that is not a path gets 400; `TRACE`, `TRACK` and `CONNECT`, which Fetch forbids, get 405.
 * Uses no `node:` module at run time, so `chartio-embed/server` loads on other runtimes too.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { nodeRequestScheme } from './request-scheme.js';

/** What `toNodeHandler` returns: a `node:http` listener and an Express/Connect middleware. */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => Promise<void>;

/**
 * A well-known symbol a `Response` may carry to be written without reading its body: its status,
 * its headers as a flat `[name, value, …]` list, and its complete body. The response itself must
 * still be a faithful `Response` (its body readable the usual way) for any other consumer.
 */
export const RAW_RESPONSE: unique symbol = Symbol.for('chartio-embed.raw-response') as never;

/** The shape stored under {@link RAW_RESPONSE}. */
export interface RawResponse {
  readonly status: number;
  readonly headers: readonly string[];
  readonly body: Uint8Array;
}

interface FrameworkRequest extends IncomingMessage {
  /** Set by body parsers such as `express.json()`. */
  body?: unknown;
  /** Express keeps the unmounted URL here; `url` is relative to the mount point. */
  originalUrl?: string;
}

/** Methods the Fetch standard forbids in a `Request` (`new Request` throws on them). */
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);
const ALLOWED_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';
/** RFC 9110 `Host`: an IP literal or a reg-name (no `@`, no space), then an optional port. */
const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~!$&'()*+,;=%]+)(?::([0-9]{0,5}))?$/;

/**
 * Answers one Node request with `handler`. An error from the handler goes to `next` when there is
 * one (Express's error handling), else becomes a plain 500 with only the message logged.
 *
 * @example
 * createServer((req, res) => serveFetchHandler(app.fetch, req, res));
 */
export async function serveFetchHandler(
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
  const request = createNodeRequest(req, res, target);
  let closedEarly = false;
  // `close` also follows a normal finish; only a close before the answer ended means "client gone".
  const onClose = (): void => {
    if (!res.writableFinished) closedEarly = true;
  };
  res.on('close', onClose);
  try {
    const response = await handler(request);
    await writeFetchResponse(response, res);
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

/** Why a request cannot become a `Request`: the status and a line for the client. */
interface Refusal {
  readonly status: 400 | 405;
  readonly message: string;
}

/**
 * The absolute URL a Node request is for (its origin from `Host`, or HTTP/2's `:authority`, with
 * `https` when the socket is TLS or a proxy says so), or why there is none.
 */
function requestTarget(req: IncomingMessage): string | Refusal {
  const method = req.method ?? 'GET';
  if (FORBIDDEN_METHODS.has(method.toUpperCase())) return { status: 405, message: `${method} requests are not served here.` };
  const host = (req.headers.host ?? (req.headers[':authority'] as string | undefined)) || 'localhost';
  const match = HOST.exec(host);
  if (!match || (match[1] !== undefined && match[1] !== '' && Number(match[1]) > 65_535)) {
    return { status: 400, message: 'The Host header is not a host name with an optional port.' };
  }
  let path = (req as FrameworkRequest).originalUrl ?? req.url ?? '/';
  if (path.charCodeAt(0) !== 47 /* / */) {
    // The absolute form (`GET http://host/path`), which proxies send: keep its path.
    let absolute: URL;
    try {
      absolute = new URL(path);
    } catch {
      return { status: 400, message: 'The request target is not a path.' };
    }
    if (absolute.protocol !== 'http:' && absolute.protocol !== 'https:') return { status: 400, message: 'The request target is not a path.' };
    path = absolute.pathname + absolute.search;
  }
  try {
    return new URL(`${nodeRequestScheme(req)}://${host}${path}`).href;
  } catch {
    return { status: 400, message: 'The request target is not a URL path.' };
  }
}

function refuse(res: ServerResponse, refusal: Refusal): void {
  const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', connection: 'close' };
  if (refusal.status === 405) headers.allow = ALLOWED_METHODS;
  res.writeHead(refusal.status, headers);
  res.end(`${refusal.message}\n`);
}

/** What a pseudo-`Request` is made from, and what it has built so far. */
interface NodeRequestState {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: string;
  headers?: Headers;
  controller?: AbortController;
  request?: Request;
}

const STATE = Symbol('node request state');
type PseudoRequest = Request & { [STATE]: NodeRequestState };

/** `Request` properties that need the real thing: read from it, built on first use. */
const DELEGATED_PROPERTIES = ['body', 'bodyUsed', 'cache', 'credentials', 'destination', 'duplex', 'integrity', 'keepalive', 'mode', 'redirect', 'referrer', 'referrerPolicy'];
const DELEGATED_METHODS = ['arrayBuffer', 'blob', 'bytes', 'clone', 'formData', 'json', 'text'];

/**
 * The prototype of every pseudo-`Request`: a `Request.prototype` (so `instanceof Request` holds)
 * whose cheap parts are read from the Node request and whose other parts come from a real
 * `Request`, made once, on first use.
 */
const requestPrototype: object = Object.create(Request.prototype, {
  method: {
    get(this: PseudoRequest) {
      return this[STATE].req.method ?? 'GET';
    },
  },
  url: {
    get(this: PseudoRequest) {
      return this[STATE].url;
    },
  },
  headers: {
    get(this: PseudoRequest) {
      const state = this[STATE];
      return (state.headers ??= nodeHeaders(state.req));
    },
  },
  signal: {
    get(this: PseudoRequest) {
      return abortController(this[STATE]).signal;
    },
  },
  [Symbol.toStringTag]: { value: 'Request' },
  ...Object.fromEntries(
    DELEGATED_PROPERTIES.map((name) => [
      name,
      {
        get(this: PseudoRequest) {
          return (realRequest(this) as unknown as Record<string, unknown>)[name];
        },
      },
    ]),
  ),
  ...Object.fromEntries(
    DELEGATED_METHODS.map((name) => [
      name,
      {
        value(this: PseudoRequest) {
          const real = realRequest(this) as unknown as Record<string, () => unknown>;
          return real[name]!.call(real);
        },
      },
    ]),
  ),
});

/**
 * A `Request` for a Node request, lazily built (see the module doc). `url` must be the request's
 * absolute URL.
 *
 * @example
 * const request = createNodeRequest(req, res, 'http://127.0.0.1:8080/d/1/');
 * request.method; // 'GET', read from req
 */
export function createNodeRequest(req: IncomingMessage, res: ServerResponse, url: string): Request {
  const request = Object.create(requestPrototype) as PseudoRequest;
  Object.defineProperty(request, STATE, { value: { req, res, url } satisfies NodeRequestState });
  return request;
}

/** Every header of `req` (repeated ones appended), without HTTP/2 pseudo-headers. */
function nodeHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.charCodeAt(0) !== 58 /* : */) headers.append(name, raw[i + 1] as string);
  }
  return headers;
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
function realRequest(pseudo: PseudoRequest): Request {
  const state = pseudo[STATE];
  if (state.request) return state.request;
  const { req, res } = state;
  const headers = pseudo.headers;
  const method = req.method ?? 'GET';
  const init: RequestInit & { duplex?: 'half' } = { method, headers, signal: pseudo.signal };
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

/**
 * A web `ReadableStream` over the request body that reads only as fast as the handler consumes
 * (the socket is paused when the queue is full). Cancelling it (a handler refusing a body) stops
 * reading and marks the connection to close, so Node does not drain an unwanted upload.
 */
function nodeBodyStream(req: IncomingMessage, res: ServerResponse): ReadableStream<Uint8Array> {
  let detach = (): void => undefined;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const onData = (chunk: Buffer | string): void => {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        controller.enqueue(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      };
      const onEnd = (): void => {
        detach();
        controller.close();
      };
      const onError = (error: unknown): void => {
        detach();
        controller.error(error);
      };
      const onClose = (): void => {
        if (!req.readableEnded) onError(new Error('The client closed the connection before the body ended.'));
      };
      detach = () => {
        req.off('data', onData);
        req.off('end', onEnd);
        req.off('error', onError);
        req.off('close', onClose);
      };
      req.on('data', onData);
      req.on('end', onEnd);
      req.on('error', onError);
      req.on('close', onClose);
    },
    pull() {
      req.resume();
    },
    cancel() {
      detach();
      req.pause();
      if (!res.headersSent) res.setHeader('connection', 'close');
    },
  });
}

/**
 * Writes a Fetch `Response` to a Node response: status (and status text), headers, each
 * `Set-Cookie` as its own header line, then the body streamed with backpressure, stopping (and
 * cancelling the body) if the client goes away. A response with {@link RAW_RESPONSE} is written
 * in one `writeHead` + `end`.
 *
 * @example
 * await writeFetchResponse(await handler(request), res);
 */
export async function writeFetchResponse(response: Response, res: ServerResponse): Promise<void> {
  const raw = (response as { [RAW_RESPONSE]?: RawResponse })[RAW_RESPONSE];
  if (raw !== undefined) {
    writeRaw(raw, res);
    return;
  }
  res.statusCode = response.status;
  if (response.statusText !== '') res.statusMessage = response.statusText;
  for (const [name, value] of response.headers) {
    if (name !== 'set-cookie') res.setHeader(name, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
  if (response.body === null) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  let gone = false;
  const cancel = (): void => {
    if (res.writableFinished) return;
    gone = true;
    reader.cancel().catch(() => undefined);
  };
  res.once('close', cancel);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || gone) break;
      if (!res.write(value)) await drainedOrClosed(res);
      if (gone) return;
    }
    res.end();
  } finally {
    res.off('close', cancel);
  }
}

function writeRaw(raw: RawResponse, res: ServerResponse): void {
  const length = String(raw.body.byteLength);
  if (res.req?.httpVersionMajor === 2) {
    // HTTP/2 compatibility responses take a header object.
    const record: Record<string, string> = {};
    for (let i = 0; i < raw.headers.length; i += 2) record[raw.headers[i]!] = raw.headers[i + 1]!;
    res.writeHead(raw.status, { ...record, 'content-length': length });
  } else {
    res.writeHead(raw.status, [...raw.headers, 'content-length', length]);
  }
  res.end(raw.body);
}

function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

function logMessage(error: unknown): void {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  console.error(`chartio-embed toNodeHandler: ${message}`);
}
