/**
 * A `Response` with a complete body in memory (a cached page, an error page, a JSON answer) that
 * costs almost nothing to make on Node 20, where `new Response(bytes)` builds a body stream at
 * once (tens of microseconds, more than serving a cached page should take in all). It is a real
 * `Response` (status and headers are its own); its body is made only if someone reads it, and it
 * carries its bytes under the well-known `chartio-embed.raw-response` symbol, which
 * `toNodeHandler` writes directly, in one `writeHead` and `end`.
 * @module
 */

/** The symbol `toNodeHandler` reads (registered, so neither side imports the other). */
const RAW_RESPONSE = Symbol.for('chartio-embed.raw-response');

/** Response members that read the body: served by a full `Response`, made on first use. */
const BODY_PROPERTIES = ['body', 'bodyUsed'] as const;
const BODY_METHODS = ['arrayBuffer', 'blob', 'bytes', 'formData', 'json', 'text'] as const;

/**
 * Makes a response carrying `body` (UTF-8 when a string).
 *
 * @example
 * return bytesResponse(200, [['content-type', 'text/html; charset=utf-8']], page.bytes);
 */
export function bytesResponse(status: number, headers: readonly (readonly [string, string])[], body: Uint8Array | string): Response {
  const bytes = typeof body === 'string' ? encoder.encode(body) : body;
  return new BytesResponse(status, headers, bytes);
}

const encoder = new TextEncoder();

class BytesResponse extends Response {
  readonly #bytes: Uint8Array;
  readonly #headerList: readonly (readonly [string, string])[];
  #full: Response | undefined;

  constructor(status: number, headers: readonly (readonly [string, string])[], bytes: Uint8Array) {
    super(null, { status, headers: headers as [string, string][] });
    this.#bytes = bytes;
    this.#headerList = headers;
    Object.defineProperty(this, RAW_RESPONSE, { value: { status, headers: headers.flat(), body: bytes } });
  }

  /** The same answer as a plain `Response`, body included: what every body reader reads. */
  full(): Response {
    return (this.#full ??= new Response(this.#bytes as Uint8Array<ArrayBuffer>, { status: this.status, headers: this.#headerList as [string, string][] }));
  }

  /** A fresh copy (its own body): what `clone()` returns. */
  copy(): Response {
    return new BytesResponse(this.status, this.#headerList, this.#bytes);
  }
}

Object.defineProperty(BytesResponse.prototype, 'clone', {
  value(this: BytesResponse) {
    return this.copy();
  },
});

for (const name of BODY_PROPERTIES) {
  Object.defineProperty(BytesResponse.prototype, name, {
    get(this: BytesResponse) {
      return this.full()[name];
    },
  });
}
for (const name of BODY_METHODS) {
  Object.defineProperty(BytesResponse.prototype, name, {
    value(this: BytesResponse) {
      return (this.full() as unknown as Record<string, () => unknown>)[name]!();
    },
  });
}
