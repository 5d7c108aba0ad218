/**
 * A Node request's body as the {@link NodeBody} a Node `Request` carries: what a framework's
 * parser already made of it, or its text read with the byte bound enforced while reading,
 * without building any web stream. Uses only the global `Buffer`, no `node:` import, so
 * `chartio-embed/server` still loads on runtimes that lack Node's modules.
 * @module
 */
import type { IncomingMessage } from 'node:http';
import { BodyReadError, decodeUtf8 } from '../endpoint/read-stream-body.js';
import type { NodeBody } from '../node-body.js';
import type { FrameworkRequest } from './framework-request.js';

/**
 * The body of `req` for handlers that read it bounded (the token endpoint). A body already
 * parsed by `express.json()` (`req.body` set and the stream read to its end) is `parsed`; a
 * string or Buffer from `express.text()` / `express.raw()` is read with the same bound and UTF-8
 * rule as a streamed body; otherwise the stream is read.
 *
 * @example
 * const text = await nodeBody(req).read(16 * 1024);
 */
export function nodeBody(req: IncomingMessage): NodeBody {
  const body = (req as FrameworkRequest).body;
  // Only a body the parser actually read counts: Express 4's body-parser leaves `{}` on
  // requests it skipped, while the stream is still unread.
  const consumed = body !== undefined && req.readableEnded;
  const buffered = consumed && (typeof body === 'string' || body instanceof Uint8Array);
  return {
    parsed: consumed && !buffered ? { value: body } : undefined,
    read(limit) {
      if (!buffered) return readNodeBody(req, limit);
      try {
        return Promise.resolve(bufferedBodyText(body as string | Uint8Array, limit));
      } catch (error) {
        return Promise.reject(error);
      }
    },
  };
}

/**
 * Reads `req` to text, at most `limit` bytes. Past the bound it stops listening and throws
 * `BodyReadError('too_large')`; the adapter answers and lets Node discard the rest (or close the
 * connection). A body another middleware already consumed is a `BodyReadError('consumed')`.
 *
 * @example
 * const text = await readNodeBody(req, 16 * 1024);
 */
export function readNodeBody(req: IncomingMessage, limit: number): Promise<string> {
  if (req.readableEnded) {
    return Promise.reject(
      new BodyReadError(
        'consumed',
        'The request body was already read by an earlier middleware; parse it with express.json() before the token handler, or leave it unread.',
      ),
    );
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer | string): void => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += bytes.length;
      if (size > limit) {
        cleanup();
        req.pause();
        reject(new BodyReadError('too_large', `The body is over ${limit} bytes.`));
        return;
      }
      chunks.push(bytes);
    };
    const onEnd = (): void => {
      cleanup();
      try {
        resolve(toText(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)));
      } catch (error) {
        reject(error);
      }
    };
    const onError = (error: unknown): void => {
      cleanup();
      reject(new BodyReadError('unreadable', 'The request body could not be read to its end.', error));
    };
    const onClose = (): void => {
      cleanup();
      reject(new BodyReadError('unreadable', 'The client closed the connection before the body ended.'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/**
 * Turns a body an upstream middleware already read (Express's `express.text()` or
 * `express.raw()`) into text, with the same bound and UTF-8 rule as a streamed body.
 *
 * @example
 * bufferedBodyText(req.body, 16 * 1024); // when req.body is a string or a Buffer
 */
export function bufferedBodyText(body: string | Uint8Array, limit: number): string {
  const bytes = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  if (bytes > limit) throw new BodyReadError('too_large', `The body is over ${limit} bytes.`);
  return typeof body === 'string' ? body : toText(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
}

/**
 * `Buffer#toString` is the fastest decoder on Node but replaces malformed bytes with U+FFFD; only
 * when that character shows up is the strict decoder run, to tell a real U+FFFD from bad input.
 */
function toText(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return text.includes('\uFFFD') ? decodeUtf8(bytes) : text;
}
