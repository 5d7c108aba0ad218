/**
 * Serves any Fetch-API handler from `node:http`, Express or Connect: `IncomingMessage` becomes a
 * `Request` whose body streams (with backpressure) and whose `signal` aborts when the client goes
 * away; the `Response` streams back with its status, headers and every `Set-Cookie`. This is the
 * general path of `toNodeHandler`; handlers made by `createTokenHandler` take a faster one.
 * Uses no `node:` module at run time, so `chartio-embed/server` loads on other runtimes too.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { nodeRequestUrl } from './node/request.js';

/** What `toNodeHandler` returns: a `node:http` listener and an Express/Connect middleware. */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => Promise<void>;

interface FrameworkRequest extends IncomingMessage {
  body?: unknown;
}

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
  const controller = new AbortController();
  // `close` also follows a normal finish; only a close before the answer ended means "client gone".
  const onClose = (): void => {
    if (!res.writableFinished) controller.abort(new Error('The client closed the connection.'));
  };
  res.on('close', onClose);
  try {
    const response = await handler(toFetchRequest(req, res, controller.signal));
    await writeFetchResponse(response, res, controller.signal);
  } catch (error) {
    if (controller.signal.aborted) return; // Nobody is left to answer.
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

/**
 * Builds a Fetch `Request` from a Node request: absolute URL, every header (repeated ones
 * appended), the body streamed, and `signal` for the client going away.
 *
 * @example
 * const request = toFetchRequest(req, res, controller.signal);
 */
export function toFetchRequest(req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Request {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    // HTTP/2 pseudo-headers (":path") are not headers to a Fetch handler.
    if (name.charCodeAt(0) !== 58) headers.append(name, raw[i + 1] as string);
  }
  const method = req.method ?? 'GET';
  const init: RequestInit & { duplex?: 'half' } = { method, headers, signal };
  if (method !== 'GET' && method !== 'HEAD') {
    const parsed = (req as FrameworkRequest).body;
    if (parsed !== undefined && req.readableEnded) {
      // A body parser already read the stream: hand over what it produced, re-encoded, and drop
      // the length headers that described the original bytes.
      init.body =
        typeof parsed === 'string' || parsed instanceof Uint8Array ? (parsed as RequestInit['body']) : JSON.stringify(parsed);
      headers.delete('content-length');
      headers.delete('transfer-encoding');
    } else {
      init.body = nodeBodyStream(req, res);
      init.duplex = 'half';
    }
  }
  return new Request(nodeRequestUrl(req), init);
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
 * `Set-Cookie` as its own header line, then the body streamed with backpressure. Stops (and
 * cancels the body) when `signal` aborts.
 *
 * @example
 * await writeFetchResponse(await handler(request), res, controller.signal);
 */
export async function writeFetchResponse(response: Response, res: ServerResponse, signal: AbortSignal): Promise<void> {
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
  const cancel = (): void => {
    reader.cancel().catch(() => undefined);
  };
  signal.addEventListener('abort', cancel, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value)) await drainedOrClosed(res);
      if (signal.aborted) return;
    }
    res.end();
  } finally {
    signal.removeEventListener('abort', cancel);
  }
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
