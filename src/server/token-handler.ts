/**
 * `createTokenHandler`: the endpoint a `<chartio-embed>` element asks for its token, as a standard
 * Fetch-API handler `(request: Request) => Promise<Response>`. Next.js route handlers, Hono, Deno,
 * Bun and workers use it as it is; on Node (`node:http`, Express, Connect) wrap it with
 * `toNodeHandler`, like any Fetch handler. A request that came through `toNodeHandler` carries its
 * body as Node has it (node-body.ts): the endpoint reads it bounded from there, without a web
 * stream, and answers with a light response (raw-response.ts) the listener writes in one go.
 * @module
 */
import { createEndpointCore, type EndpointInput } from './endpoint/core.js';
import { readStreamBody } from './endpoint/read-stream-body.js';
import type { EndpointResult } from './endpoint/response.js';
import { nodeBodyOf, type NodeBody } from './node-body.js';
import { rawResponse } from './raw-response.js';
import type { EmbedRequest, TokenHandlerOptions } from './types.js';

/** A Fetch-API request handler. */
export type FetchHandler = (request: Request) => Promise<Response>;

/** The handler `createTokenHandler` returns: a plain Fetch-API handler. */
export type TokenHandler = FetchHandler;

/**
 * Creates the token endpoint. The browser POSTs `{"dashboard": 38727, "filters": {…}}` and gets
 * `{"token", "expiresAt", "url"}` (200, `Cache-Control: no-store`), or
 * `{"error": {"code", "message"}}` with a 4xx status saying what to fix (500 `internal_error` for
 * the server's own failures, whose detail goes to `onError` only).
 *
 * - `dashboards`: ids the browser may ask for, or `(id, request) => boolean | Promise<boolean>`
 *   (only `true` allows).
 * - `filters`: the Hidden Variable names the browser may set; any other name is a 400
 *   `filter_not_allowed`.
 * - `lockedEnv(request)`: the values the server sets from its session (like `ACCT_ID`); always in
 *   the token, never settable by the browser (400 `filter_locked`); `null` means no session (401).
 * - `allowedOrigins`: origins allowed to ask (default: the request's own origin; a request with no
 *   `Origin` and no `Sec-Fetch-Site`, such as curl's, was not sent by a web page and passes).
 *   Listed origins may call across origins: their preflight (`OPTIONS`) is answered 204 and every
 *   answer to them carries credentialed CORS headers; the element then needs
 *   `credentials="include"` to send the session cookie.
 * - `maxBodyBytes` (default 16 KiB), `ttl` (1 … 86 400 s, default the signer's), `onError`.
 *
 * Throws a `TypeError` at once for options that could never work.
 *
 * @example
 * // Next.js, app/api/embed-token/route.ts
 * import { createEmbedSigner, createTokenHandler } from 'chartio-embed/server';
 * import { getSession } from '@/lib/session';
 *
 * const signer = createEmbedSigner({
 *   secret: process.env.CHARTIO_EMBED_SECRET!,
 *   organization: 16417,
 *   baseUrl: (id) => `https://dash.example.com/d/${id}`,
 * });
 * export const POST = createTokenHandler({
 *   signer,
 *   dashboards: [38727],
 *   filters: ['DATE_RANGE', 'USER_ID'],
 *   lockedEnv: async (request) => {
 *     const session = await getSession(request.headers.get('cookie'));
 *     return session ? { ACCT_ID: String(session.accountId) } : null;
 *   },
 * });
 *
 * @example
 * // Express 5 (see toNodeHandler)
 * app.use('/api/embed-token', toNodeHandler(createTokenHandler({ signer, dashboards: [38727], filters: [] })));
 */
export function createTokenHandler(options: TokenHandlerOptions): TokenHandler {
  const core = createEndpointCore(options);
  return async (request: Request): Promise<Response> => {
    const node = nodeBodyOf(request);
    const result = await core.handle(new FetchEndpointInput(request, node));
    return node === undefined ? fetchResponse(result) : rawResponse({ status: result.status, headers: result.headers.flat, body: result.body });
  };
}

/** A plain `Response`, for runtimes whose server reads it natively. */
function fetchResponse(result: EndpointResult): Response {
  // A 204 (a CORS preflight) has no body: a Response refuses one, even empty.
  return new Response(result.status === 204 ? null : result.body, { status: result.status, headers: result.headers.record });
}

/**
 * A Fetch `Request` seen through the core's small input interface; with a {@link NodeBody} (the
 * request came through `toNodeHandler`) the body is read from it.
 */
class FetchEndpointInput implements EndpointInput {
  readonly parsedBody: { readonly value: unknown } | undefined;
  readonly #request: Request;
  readonly #node: NodeBody | undefined;

  constructor(request: Request, node: NodeBody | undefined) {
    this.#request = request;
    this.#node = node;
    this.parsedBody = node?.parsed;
  }

  get method(): string {
    return this.#request.method;
  }

  get request(): EmbedRequest {
    return this.#request;
  }

  header(name: string): string | null {
    return this.#request.headers.get(name);
  }

  ownOrigin(): string | undefined {
    try {
      return new URL(this.#request.url).origin;
    } catch {
      return undefined;
    }
  }

  readBody(limit: number): Promise<string> {
    return this.#node === undefined ? readStreamBody(this.#request.body, limit) : this.#node.read(limit);
  }
}
