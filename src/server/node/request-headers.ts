/**
 * The `headers` of a lazy Node `Request` (request.ts): an `instanceof Headers` whose `get` and
 * `has` read the `IncomingMessage`'s raw header list directly, and whose every other member
 * (`set`, `append`, `delete`, iteration, …) comes from a real `Headers` built from that list on
 * first use, which from then on answers `get` and `has` too. On Node 20 building a `Headers`
 * costs a validated `append` per header; the token endpoint and a typical `lockedEnv` only ever
 * call `get` a few times, so they pay for none.
 *
 * `get` answers as a `Headers` built from the same list would: names match case-insensitively,
 * repeated headers are joined with `, ` (`; ` for `Cookie`, as Node's `Headers` does), values are
 * trimmed of HTTP whitespace, HTTP/2 pseudo-headers are left out, and a name that is not an HTTP
 * token goes to the real `Headers`, which throws its `TypeError`.
 * @module
 */

/** What a lazy `Headers` is made from, and the real one once built. */
interface HeadersState {
  readonly raw: readonly string[];
  full?: Headers;
}

const STATE = Symbol('node headers state');
type LazyHeaders = Headers & { [STATE]: HeadersState };

/** RFC 9110 `token`: what a field name is. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** HTTP whitespace `Headers` trims from both ends of a value. */
const EDGE_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;

/** `Headers` members answered by the real thing, built on first use. */
const DELEGATED = Reflect.ownKeys(Headers.prototype).filter(
  (key) => key !== 'constructor' && key !== 'get' && key !== 'has' && key !== Symbol.toStringTag,
);

const headersPrototype: object = Object.create(Headers.prototype, {
  get: {
    value(this: LazyHeaders, name: string): string | null {
      const state = this[STATE];
      if (state.full !== undefined || typeof name !== 'string' || !TOKEN.test(name)) return fullHeaders(this).get(name);
      return rawGet(state.raw, name.toLowerCase());
    },
  },
  has: {
    value(this: LazyHeaders, name: string): boolean {
      const state = this[STATE];
      if (state.full !== undefined || typeof name !== 'string' || !TOKEN.test(name)) return fullHeaders(this).has(name);
      return rawGet(state.raw, name.toLowerCase()) !== null;
    },
  },
  [Symbol.toStringTag]: { value: 'Headers' },
  ...Object.fromEntries(
    DELEGATED.map((key) => {
      const descriptor = Object.getOwnPropertyDescriptor(Headers.prototype, key)!;
      if (typeof descriptor.value === 'function') {
        const method = descriptor.value as (...args: unknown[]) => unknown;
        return [key, { value(this: LazyHeaders, ...args: unknown[]) { return method.apply(fullHeaders(this), args); } }];
      }
      return [key, { get(this: LazyHeaders) { return Reflect.get(Headers.prototype, key, fullHeaders(this)); } }];
    }),
  ),
});

/**
 * A `Headers` over a Node request's `rawHeaders` (`[name, value, name, value, …]`), lazily built
 * (see the module doc).
 *
 * @example
 * const headers = createNodeHeaders(req.rawHeaders);
 * headers.get('cookie'); // read from the list; no Headers is built
 */
export function createNodeHeaders(raw: readonly string[]): Headers {
  const headers = Object.create(headersPrototype) as LazyHeaders;
  Object.defineProperty(headers, STATE, { value: { raw } satisfies HeadersState });
  return headers;
}

/**
 * The real `Headers` behind `headers` when it is a lazy one (built now if not yet), else
 * `headers` itself: what to hand to `new Request`.
 *
 * @example
 * new Request(url, { headers: fullHeaders(request.headers) });
 */
export function fullHeaders(headers: Headers): Headers {
  const state = (headers as Partial<LazyHeaders>)[STATE];
  if (state === undefined) return headers;
  if (state.full !== undefined) return state.full;
  const full = new Headers();
  const raw = state.raw;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.charCodeAt(0) !== 58 /* : */) full.append(name, raw[i + 1] as string);
  }
  return (state.full = full);
}

/** The value `Headers#get(lower)` would give for the raw list. */
function rawGet(raw: readonly string[], lower: string): string | null {
  let value: string | null = null;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.length !== lower.length || name.toLowerCase() !== lower) continue;
    const next = trimmed(raw[i + 1] as string);
    value = value === null ? next : `${value}${lower === 'cookie' ? '; ' : ', '}${next}`;
  }
  return value;
}

function trimmed(value: string): string {
  if (value.length === 0) return value;
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(value.length - 1);
  return isWhitespace(first) || isWhitespace(last) ? value.replace(EDGE_WHITESPACE, '') : value;
}

function isWhitespace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}
