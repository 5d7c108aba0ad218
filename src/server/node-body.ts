/**
 * What a request that came through the Node listener (`toNodeHandler`) offers besides the Fetch
 * `Request` members: its body as Node has it, under the well-known {@link NODE_BODY} symbol. A
 * handler that wants a small body read with a bound (the token endpoint) takes it from here
 * without the web stream a `Request` body costs (a full `Request` is about 45 µs on Node 20,
 * more than signing a token), and uses what a framework's body parser already produced.
 *
 * Its presence also tells the handler that the listener writes light responses
 * (raw-response.ts). Runtime-neutral: declares the contract only; node/request.ts fulfils it.
 * @module
 */

/** The well-known symbol under which a Node request carries its {@link NodeBody}. */
export const NODE_BODY: unique symbol = Symbol.for('chartio-embed.node-body') as never;

/** A Node request's body as the Node listener can give it. */
export interface NodeBody {
  /**
   * When an upstream parser already turned the body into a value (Express's `express.json()`),
   * `{ value }`; otherwise `undefined`.
   */
  readonly parsed: { readonly value: unknown } | undefined;
  /**
   * Reads the body as UTF-8 text, at most `limit` bytes, throwing a `BodyReadError`
   * (`too_large`, `not_utf8`, `unreadable`, `consumed`) otherwise.
   */
  read(limit: number): Promise<string>;
}

/**
 * The {@link NodeBody} of a request, when it came through the Node listener.
 *
 * @example
 * const body = nodeBodyOf(request);
 * const text = body === undefined ? await request.text() : await body.read(16 * 1024);
 */
export function nodeBodyOf(request: Request): NodeBody | undefined {
  return (request as { [NODE_BODY]?: NodeBody })[NODE_BODY];
}
