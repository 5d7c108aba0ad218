/**
 * The light `Response`: an answer whose bytes are complete in memory (a token, a cached page, an
 * error), made for almost nothing. On Node 20 `new Response(text)` builds a body stream at once
 * (about 30 µs, more than signing a token), while `new Response(null)` costs about 1 µs. So the
 * light response is a real `Response` made without a body, whose body members (`body`, `text()`,
 * `clone()`, …) answer from a full `Response` built only if someone reads them, and which carries
 * its status, headers and bytes under the well-known {@link RAW_RESPONSE} symbol. The Node
 * listener (node/response.ts) writes such an answer in one `writeHead` + `end`.
 *
 * One type and one symbol for every answer written that way: the token endpoint's and the
 * dashboard host's. Runtime-neutral (no `node:` import): the token handler makes light responses
 * only for requests that came through the Node listener (see node-body.ts), since an edge
 * runtime's native server reads a `Response`'s internal body, not these members.
 * @module
 */

/**
 * The well-known symbol a light response carries its {@link RawResponse} under (registered with
 * `Symbol.for`, so a second copy of the package still recognizes it).
 */
export const RAW_RESPONSE: unique symbol = Symbol.for('chartio-embed.raw-response') as never;

/** What a light response carries under {@link RAW_RESPONSE}. */
export interface RawResponse {
  readonly status: number;
  /** Header names and values, flat: `[name, value, name, value, …]`. */
  readonly headers: readonly string[];
  /** The complete body: bytes, or text sent as UTF-8. Empty for a 204 or 304. */
  readonly body: Uint8Array | string;
}

/** Response members that read the body: served by a full `Response`, made on first use. */
const BODY_PROPERTIES = ['body', 'bodyUsed'] as const;
const BODY_METHODS = ['arrayBuffer', 'blob', 'bytes', 'formData', 'json', 'text'] as const;
/** Statuses whose `Response` may carry no body, not even an empty one. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * Makes a light response: a real `Response` (status and headers its own, `instanceof Response`)
 * whose body is built only when read, carrying `raw` for the Node listener.
 *
 * @example
 * return rawResponse({ status: 200, headers: ['content-type', 'text/html; charset=utf-8'], body: page.bytes });
 */
export function rawResponse(raw: RawResponse): Response {
  return new LightResponse(raw);
}

/**
 * Reads the {@link RawResponse} a response carries, if it is a light one.
 *
 * @example
 * const raw = rawOf(response); // undefined for a plain Response
 */
export function rawOf(response: Response): RawResponse | undefined {
  return (response as { [RAW_RESPONSE]?: RawResponse })[RAW_RESPONSE];
}

class LightResponse extends Response {
  readonly [RAW_RESPONSE]: RawResponse;
  #full: Response | undefined;

  constructor(raw: RawResponse) {
    super(null, { status: raw.status, headers: pairs(raw.headers) });
    this[RAW_RESPONSE] = raw;
  }

  /** The same answer as a plain `Response`, body included: what every body reader reads. */
  full(): Response {
    const raw = this[RAW_RESPONSE];
    const body = NULL_BODY_STATUSES.has(raw.status) ? null : (raw.body as Uint8Array<ArrayBuffer> | string);
    return (this.#full ??= new Response(body, { status: raw.status, headers: pairs(raw.headers) }));
  }
}

function pairs(flat: readonly string[]): [string, string][] {
  const list: [string, string][] = [];
  for (let i = 0; i < flat.length; i += 2) list.push([flat[i]!, flat[i + 1]!]);
  return list;
}

// A copy has its own body, as `clone()` promises.
Object.defineProperty(LightResponse.prototype, 'clone', {
  value(this: LightResponse) {
    return new LightResponse(this[RAW_RESPONSE]);
  },
});
for (const name of BODY_PROPERTIES) {
  Object.defineProperty(LightResponse.prototype, name, {
    get(this: LightResponse) {
      return this.full()[name];
    },
  });
}
for (const name of BODY_METHODS) {
  Object.defineProperty(LightResponse.prototype, name, {
    value(this: LightResponse) {
      return (this.full() as unknown as Record<string, () => unknown>)[name]!();
    },
  });
}
