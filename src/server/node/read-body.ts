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
  // One read per request: the state below lives on the request.
  if ((req as ReadingRequest)[READ] !== undefined) {
    return Promise.reject(new BodyReadError('consumed', 'The request body is already being read by another call; read it once.'));
  }
  return new Promise((resolve, reject) => {
    (req as ReadingRequest)[READ] = { chunks: [], size: 0, limit, resolve, reject };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/**
 * A read in progress, kept on the request itself: the listeners below are module functions that
 * find it there (`this` is the request), so a read allocates no closures of its own.
 */
interface BodyRead {
  readonly chunks: Buffer[];
  size: number;
  readonly limit: number;
  readonly resolve: (text: string) => void;
  readonly reject: (error: unknown) => void;
}

const READ = Symbol('chartio-embed body read');
type ReadingRequest = IncomingMessage & { [READ]?: BodyRead | undefined };

/** Stops listening and hands back the read, once: later events find nothing. */
function finish(req: ReadingRequest): BodyRead | undefined {
  const read = req[READ];
  if (read === undefined) return undefined;
  req[READ] = undefined;
  req.off('data', onData);
  req.off('end', onEnd);
  req.off('error', onError);
  req.off('close', onClose);
  return read;
}

function onData(this: ReadingRequest, chunk: Buffer | string): void {
  const read = this[READ];
  if (read === undefined) return;
  const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
  read.size += bytes.length;
  if (read.size > read.limit) {
    finish(this);
    this.pause();
    read.reject(new BodyReadError('too_large', `The body is over ${read.limit} bytes.`));
    return;
  }
  read.chunks.push(bytes);
}

function onEnd(this: ReadingRequest): void {
  const read = finish(this);
  if (read === undefined) return;
  const { chunks, size } = read;
  try {
    read.resolve(toText(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)));
  } catch (error) {
    read.reject(error);
  }
}

function onError(this: ReadingRequest, error: unknown): void {
  finish(this)?.reject(new BodyReadError('unreadable', 'The request body could not be read to its end.', error));
}

function onClose(this: ReadingRequest): void {
  finish(this)?.reject(new BodyReadError('unreadable', 'The client closed the connection before the body ended.'));
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
