/**
 * Writes a handler's `Response` to a Node `ServerResponse`, for HTTP/1.1 and HTTP/2's
 * compatibility API alike. A light response (raw-response.ts: the token endpoint's answers, the
 * dashboard host's pages) is written in one `writeHead` + `end` from its bytes; any other
 * `Response` streams its status, headers, every `Set-Cookie` and its body with backpressure.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { rawOf, type RawResponse } from '../raw-response.js';

/**
 * Writes `response` to `res`, the answer to `req` (see the module doc), stopping (and cancelling
 * the body) if the client goes away. A light response is written at once and `undefined`
 * returned (no promise, no microtask on the hot path); a streamed one returns a promise that
 * settles when it is written.
 *
 * @example
 * await writeResponse(await handler(request), req, res);
 */
export function writeResponse(response: Response, req: IncomingMessage, res: ServerResponse): Promise<void> | undefined {
  const raw = rawOf(response);
  if (raw === undefined) return writeStreamed(response, res);
  writeRaw(raw, req, res);
  return undefined;
}

/** Any other `Response`: status, headers, each `Set-Cookie`, then the body with backpressure. */
async function writeStreamed(response: Response, res: ServerResponse): Promise<void> {
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

/**
 * A light response in one `writeHead` + `end`, with `Content-Length` (none on a 204, a CORS
 * preflight: RFC 9110 §8.6). When the request body was not read to its end (an early refusal, a
 * body over a bound), an HTTP/1.1 connection is closed after the answer instead of draining the
 * rest.
 */
function writeRaw(raw: RawResponse, req: IncomingMessage, res: ServerResponse): void {
  if (res.headersSent || res.writableEnded) return;
  const length = raw.status === 204 ? undefined : String(typeof raw.body === 'string' ? Buffer.byteLength(raw.body) : raw.body.byteLength);
  if (req.httpVersionMajor !== 1) {
    // HTTP/2 compatibility responses take a header object and forbid `Connection`.
    const record: Record<string, string> = {};
    for (let i = 0; i < raw.headers.length; i += 2) record[raw.headers[i]!] = raw.headers[i + 1]!;
    if (length !== undefined) record['content-length'] = length;
    res.writeHead(raw.status, record);
  } else {
    const headers = length === undefined ? [...raw.headers] : [...raw.headers, 'content-length', length];
    if (!req.complete) headers.push('connection', 'close');
    res.writeHead(raw.status, headers);
  }
  res.end(length === undefined ? undefined : raw.body);
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
