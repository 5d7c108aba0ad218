/**
 * Reads a web `ReadableStream` request body as UTF-8 text with a byte bound enforced **while**
 * reading: a body over the bound stops at the first chunk past it, chunked or not, so memory stays
 * bounded. Web APIs only, so the Fetch handler runs on edge runtimes too.
 * @module
 */

/** Why a body could not be read. */
export type BodyReadProblem = 'too_large' | 'not_utf8' | 'unreadable' | 'consumed';

/**
 * Thrown by the body readers; `problem` says which answer the endpoint gives.
 *
 * @example
 * throw new BodyReadError('too_large', 'The body is over 16384 bytes.');
 */
export class BodyReadError extends Error {
  override readonly name = 'BodyReadError';
  readonly problem: BodyReadProblem;

  constructor(problem: BodyReadProblem, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.problem = problem;
  }
}

// `fatal` rejects malformed UTF-8 instead of hiding it behind U+FFFD; `ignoreBOM` keeps a BOM
// (which JSON.parse then refuses) rather than silently dropping it.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decodes UTF-8 strictly, throwing `BodyReadError('not_utf8')` on malformed input.
 *
 * @example
 * decodeUtf8(new TextEncoder().encode('{"dashboard":1}')); // '{"dashboard":1}'
 */
export function decodeUtf8(bytes: Uint8Array): string {
  if (bytes.byteLength === 0) return '';
  try {
    return utf8.decode(bytes);
  } catch (error) {
    throw new BodyReadError('not_utf8', 'The body is not valid UTF-8.', error);
  }
}

/**
 * Reads a web `ReadableStream` (a Fetch `Request.body`) to text, at most `limit` bytes. Past the
 * bound it cancels the stream and throws `BodyReadError('too_large')`.
 *
 * @example
 * const text = await readStreamBody(request.body, 16 * 1024);
 */
export async function readStreamBody(stream: ReadableStream<Uint8Array> | null, limit: number): Promise<string> {
  if (stream === null) return '';
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        // Stop the sender instead of draining whatever it still has to send.
        reader.cancel().catch(() => undefined);
        throw new BodyReadError('too_large', `The body is over ${limit} bytes.`);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof BodyReadError) throw error;
    throw new BodyReadError('unreadable', 'The request body could not be read to its end.', error);
  } finally {
    reader.releaseLock();
  }
  return decodeUtf8(chunks.length === 1 ? (chunks[0] as Uint8Array) : concat(chunks, size));
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
