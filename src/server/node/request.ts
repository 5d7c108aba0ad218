/**
 * A Node `IncomingMessage` seen through the token endpoint core's small input interface, and at
 * the same time the light {@link EmbedRequest} view the application's callbacks receive (with
 * `node` = the `IncomingMessage`, so `lockedEnv` can read Express's `req.session`). Nothing is
 * copied up front: headers are read from `req.headers` on demand, the URL is built only if asked.
 * @module
 */
import type { IncomingMessage } from 'node:http';
import type { EndpointInput } from '../endpoint/core.js';
import { bufferedBodyText, readNodeBody } from './read-body.js';
import { nodeRequestScheme } from './request-scheme.js';
import type { EmbedRequest } from '../types.js';

/** The fields Express (or another framework) may have added to the request. */
interface FrameworkRequest extends IncomingMessage {
  /** Set by body parsers such as `express.json()`. */
  body?: unknown;
  /** Express keeps the unmounted URL here; `url` is relative to the mount point. */
  originalUrl?: string;
}

/**
 * The origin a Node request was addressed to: `Host` (or HTTP/2's `:authority`), with `https`
 * when the socket is TLS or a proxy says so in `X-Forwarded-Proto`. Trusting that header is safe
 * here. The own origin is consulted only when `allowedOrigins` is not set, and such an endpoint
 * grants no CORS preflight (`OPTIONS` is a 405), so a page on another origin cannot send a
 * request carrying a header of its choosing. With `allowedOrigins` the own origin is not used at
 * all, and the preflight allows `Content-Type` only. A non-browser client can send any `Origin`
 * anyway.
 *
 * @example
 * nodeRequestOrigin(req); // 'https://app.example.com'
 */
export function nodeRequestOrigin(req: IncomingMessage): string | undefined {
  const headers = req.headers;
  const host = headers.host ?? (headers[':authority'] as string | undefined);
  if (host === undefined || host === '') return undefined;
  return `${nodeRequestScheme(req)}://${host}`;
}

/**
 * The absolute URL of a Node request, from its origin and Express's `originalUrl` when mounted.
 *
 * @example
 * nodeRequestUrl(req); // 'https://app.example.com/api/embed-token'
 */
export function nodeRequestUrl(req: IncomingMessage): string {
  const path = (req as FrameworkRequest).originalUrl ?? req.url ?? '/';
  return `${nodeRequestOrigin(req) ?? 'http://localhost'}${path}`;
}

/** `headers.get(name)` over a Node header map, case-insensitive like the Fetch `Headers`. */
class NodeHeaderView {
  readonly #req: IncomingMessage;

  constructor(req: IncomingMessage) {
    this.#req = req;
  }

  get(name: string): string | null {
    return headerValue(this.#req, name.toLowerCase());
  }
}

/**
 * One Node request as the core's input and as the callbacks' {@link EmbedRequest}.
 *
 * A body already parsed by `express.json()` (`req.body` set and the stream read to its end) is
 * used as it is; a string or Buffer from `express.text()` / `express.raw()` is parsed here with
 * the endpoint's own bound. Otherwise the body is read from the stream.
 *
 * @example
 * const result = await core.handle(new NodeEndpointInput(req));
 */
export class NodeEndpointInput implements EndpointInput, EmbedRequest {
  readonly node: IncomingMessage;
  readonly parsedBody: { readonly value: unknown } | undefined;
  #headers: NodeHeaderView | undefined;

  constructor(req: IncomingMessage) {
    this.node = req;
    const body = (req as FrameworkRequest).body;
    // Only a body the parser actually read counts: Express 4's body-parser leaves `{}` on
    // requests it skipped, while the stream is still unread.
    this.parsedBody =
      body !== undefined && req.readableEnded && typeof body !== 'string' && !(body instanceof Uint8Array)
        ? { value: body }
        : undefined;
  }

  get method(): string {
    return this.node.method ?? 'GET';
  }

  get url(): string {
    return nodeRequestUrl(this.node);
  }

  get headers(): { get(name: string): string | null } {
    return (this.#headers ??= new NodeHeaderView(this.node));
  }

  get request(): EmbedRequest {
    return this;
  }

  header(name: string): string | null {
    return headerValue(this.node, name);
  }

  ownOrigin(): string | undefined {
    return nodeRequestOrigin(this.node);
  }

  readBody(limit: number): Promise<string> {
    const body = (this.node as FrameworkRequest).body;
    if (this.node.readableEnded && (typeof body === 'string' || body instanceof Uint8Array)) {
      try {
        return Promise.resolve(bufferedBodyText(body, limit));
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return readNodeBody(this.node, limit);
  }
}

/** A header by lower-case name; repeated headers joined with ", " as the Fetch `Headers` does. */
function headerValue(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  if (value === undefined) return null;
  return typeof value === 'string' ? value : value.join(', ');
}
