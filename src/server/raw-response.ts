/**
 * The light `Response`: an answer whose bytes are complete in memory (a token, a cached page, an
 * error), made for almost nothing. On Node 20 `new Response(text)` builds a body stream at once
 * (about 30 µs, more than signing a token), and even `new Response(null, { status, headers })`
 * allocates some 2.5 KB (its `Headers`, their list, the response's state). So the light response
 * is an `instanceof Response` made of one object: `status`, `ok`, `statusText`, `type`, `url` and
 * `redirected` read from what it carries, `headers` from a bodiless `Response` made on first read,
 * and its body members (`body`, `text()`, …) from a full `Response` made on first use. It
 * carries its status, headers and bytes under the well-known {@link RAW_RESPONSE} symbol. The Node
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

/**
 * Makes a light response: an `instanceof Response` that reads as a plain one would, whose headers
 * and body are built only when read, carrying `raw` for the Node listener. Throws the
 * `RangeError` a `Response` throws for a status outside 200–599.
 *
 * @example
 * return rawResponse({ status: 200, headers: ['content-type', 'text/html; charset=utf-8'], body: page.bytes });
 */
export function rawResponse(raw: RawResponse): Response {
  const status = raw.status;
  if (!Number.isInteger(status) || status < 200 || status > 599) {
    throw new RangeError(`A response status must be a whole number from 200 to 599, got ${String(status)}.`);
  }
  const light = Object.create(lightPrototype) as LightResponse;
  light[RAW_RESPONSE] = raw;
  return light;
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

/** Statuses whose `Response` may carry no body, not even an empty one. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/** A light response: the raw answer, and what has been built from it on demand. */
interface LightResponse extends Response {
  [RAW_RESPONSE]: RawResponse;
  /** A bodiless `Response` with the same status and headers: what `headers` answers from. */
  [HEAD]?: Response;
  /** The same answer as a plain `Response`, body included: what every body reader reads. */
  [FULL]?: Response;
}

const HEAD = Symbol('light response head');
const FULL = Symbol('light response full');

function headOf(light: LightResponse): Response {
  const raw = light[RAW_RESPONSE];
  return (light[HEAD] ??= new Response(null, { status: raw.status, headers: pairs(raw.headers) }));
}

function fullOf(light: LightResponse): Response {
  const raw = light[RAW_RESPONSE];
  const body = NULL_BODY_STATUSES.has(raw.status) ? null : (raw.body as Uint8Array<ArrayBuffer> | string);
  return (light[FULL] ??= new Response(body, { status: raw.status, headers: pairs(raw.headers) }));
}

function pairs(flat: readonly string[]): [string, string][] {
  const list: [string, string][] = [];
  for (let i = 0; i < flat.length; i += 2) list.push([flat[i]!, flat[i + 1]!]);
  return list;
}

/** What a `Response` made with `{ status }` and no body answers, read without making one. */
const OWN: PropertyDescriptorMap = {
  status: {
    get(this: LightResponse) {
      return this[RAW_RESPONSE].status;
    },
  },
  ok: {
    get(this: LightResponse) {
      const status = this[RAW_RESPONSE].status;
      return status >= 200 && status <= 299;
    },
  },
  statusText: { get: () => '' },
  type: { get: () => 'default' },
  url: { get: () => '' },
  redirected: { get: () => false },
  headers: {
    get(this: LightResponse) {
      return headOf(this).headers;
    },
  },
  // A copy has its own body, as `clone()` promises.
  clone: {
    value(this: LightResponse) {
      return rawResponse(this[RAW_RESPONSE]);
    },
  },
  [Symbol.toStringTag]: { value: 'Response' },
};

/**
 * The prototype of every light response: a `Response.prototype` (so `instanceof Response` holds)
 * whose own members are {@link OWN} and whose every other member (the body readers, `inspect`)
 * comes from the full `Response`, made on first use.
 */
const lightPrototype: object = Object.create(Response.prototype, {
  ...Object.fromEntries(
    Reflect.ownKeys(Response.prototype)
      .filter((key) => key !== 'constructor' && !Object.hasOwn(OWN, key))
      .map((key) => {
        const descriptor = Object.getOwnPropertyDescriptor(Response.prototype, key)!;
        if (typeof descriptor.value === 'function') {
          const method = descriptor.value as (...args: unknown[]) => unknown;
          return [key, { value(this: LightResponse, ...args: unknown[]) { return method.apply(fullOf(this), args); } }];
        }
        return [key, { get(this: LightResponse) { return Reflect.get(Response.prototype, key, fullOf(this)); } }];
      }),
  ),
  ...OWN,
});
