/**
 * How the one endpoint contract reaches an implementation. A {@link ContractTarget} starts
 * endpoints configured like the fixture and signs by a known clock: the TypeScript endpoint over
 * three transports (the Fetch handler called directly, `toNodeHandler` under `node:http`, and
 * mounted in Express 5), on the fixed clock; test/examples adds the Python, Ruby and PHP
 * examples as child processes on the real clock. Servers listen on 127.0.0.1 only.
 * @module
 */
import { createServer, request as httpRequest, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import express from 'express';
import { toNodeHandler, type FetchHandler, type TokenHandlerOptions } from '../../../src/server/index.js';
import { createFixture, now, type Answer, type Fixture } from './endpoint-fixtures.js';
import { WEB_API, type ServerApi } from './server-apis.js';
import { listenLocal } from '../../launchers/listen-local.js';

/** The endpoint's path on every transport. */
export const ENDPOINT_PATH = '/api/embed-token';

export interface SendOptions {
  method?: string;
  headers?: Record<string, string>;
  /** Sent whole, with a Content-Length. */
  body?: string | Uint8Array;
  /** Sent as separate chunks with no Content-Length (chunked transfer encoding). */
  chunks?: Array<string | Uint8Array>;
}

export interface EndpointClient {
  /** The origin the endpoint sees as its own (a same-origin `Origin` header). */
  readonly origin: string;
  send(options: SendOptions): Promise<Answer>;
}

export interface Transport {
  readonly name: string;
  serve(handler: FetchHandler): Promise<EndpointClient>;
  close(): Promise<void>;
}

/** What the contract may change from the fixture's configuration, as every language can be configured. */
export interface EndpointConfig {
  ttl?: number;
  allowedOrigins?: string[];
  filters?: string[];
  /** The key id the signer writes in each token's header. */
  kid?: string;
  /** Sign ES256 with this EC P-256 private key (PKCS #8 PEM) instead of HS256; needs `kid`. */
  privateKey?: string;
}

/** One implementation of the token endpoint, as the contract drives it. */
export interface ContractTarget {
  readonly name: string;
  /** The clock its signer reads, in milliseconds: tokens are verified by the same one. */
  readonly now: () => number;
  /** Starts one more endpoint, configured like the fixture with `config` on top. */
  start(config?: EndpointConfig): Promise<EndpointClient>;
  /** Stops every endpoint it started. */
  stopAll(): Promise<void>;
  /**
   * TypeScript only: an endpoint made with any `createTokenHandler` options, with what reached
   * its `onError`, for the options no other language has (callbacks, custom signers).
   */
  readonly serveHandler?: (overrides: Partial<TokenHandlerOptions>) => Promise<{ client: EndpointClient; fixture: Fixture }>;
}

/**
 * The TypeScript endpoint (`createTokenHandler`) over `transport`, its signer reading `clock` (the
 * fixed one unless told) and signing through `api` (Web Crypto unless told).
 *
 * @example
 * endpointContract(typescriptTarget(nodeTransport(), { api: NODE_API }));
 */
export function typescriptTarget(transport: Transport, { clock = now, api = WEB_API }: { clock?: () => number; api?: ServerApi } = {}): ContractTarget {
  return {
    name: `TypeScript (${api.name}), ${transport.name}`,
    now: clock,
    start: (config = {}) => {
      const overrides: Partial<TokenHandlerOptions> = {};
      if (config.ttl !== undefined) overrides.ttl = config.ttl;
      if (config.allowedOrigins !== undefined) overrides.allowedOrigins = config.allowedOrigins;
      if (config.filters !== undefined) overrides.filters = config.filters;
      return transport.serve(createFixture(overrides, { clock, api, ...(config.kid === undefined ? {} : { kid: config.kid }), ...(config.privateKey === undefined ? {} : { privateKey: config.privateKey }) }).handler);
    },
    stopAll: () => transport.close(),
    async serveHandler(overrides) {
      const fixture = createFixture(overrides, { clock, api });
      return { client: await transport.serve(fixture.handler), fixture };
    },
  };
}

/** The Fetch handler called directly with `new Request(...)`. */
export function fetchTransport(): Transport {
  return {
    name: 'Fetch handler',
    async serve(handler) {
      const origin = 'http://app.test';
      return {
        origin,
        async send(options) {
          const init: RequestInit & { duplex?: 'half' } = { method: options.method ?? 'POST' };
          if (options.headers !== undefined) init.headers = options.headers;
          if (options.body !== undefined) init.body = options.body as string | Uint8Array<ArrayBuffer>;
          if (options.chunks !== undefined) {
            const chunks = options.chunks.map((chunk) => (typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk));
            init.body = new ReadableStream<Uint8Array>({
              pull(controller) {
                const next = chunks.shift();
                if (next === undefined) controller.close();
                else controller.enqueue(next);
              },
            });
            init.duplex = 'half';
          }
          const response = await handler(new Request(`${origin}${ENDPOINT_PATH}`, init));
          return { status: response.status, headers: response.headers, text: await response.text() };
        },
      };
    },
    async close() {},
  };
}

/** `toNodeHandler(handler)` as the whole `node:http` listener. */
export function nodeTransport(): Transport {
  const servers = new ServerSet();
  return {
    name: 'node:http',
    async serve(handler) {
      return servers.start(toNodeHandler(handler));
    },
    close: () => servers.close(),
  };
}

/**
 * `toNodeHandler(handler)` mounted with `app.use(ENDPOINT_PATH, …)` in Express 5, optionally
 * behind `express.json()`. A middleware after it answers 418, so any call of `next` shows.
 */
export function expressTransport(options: { json?: boolean } = {}): Transport {
  const servers = new ServerSet();
  return {
    name: options.json === true ? 'Express 5 + express.json()' : 'Express 5',
    async serve(handler) {
      const app = express();
      if (options.json === true) app.use(express.json());
      app.use(ENDPOINT_PATH, toNodeHandler(handler));
      app.use((_req, res) => {
        res.status(418).json({ error: { code: 'next_called', message: 'the endpoint called next()' } });
      });
      return servers.start(app);
    },
    close: () => servers.close(),
  };
}

/** Servers on 127.0.0.1 with clients that speak raw `node:http`, all closed together. */
export class ServerSet {
  readonly #servers: Server[] = [];

  async start(listener: RequestListener): Promise<EndpointClient & { server: Server; port: number }> {
    const server = createServer(listener);
    this.#servers.push(server);
    const { port } = await listenLocal(server);
    return { server, port, origin: `http://127.0.0.1:${port}`, send: (options) => sendHttp(port, options) };
  }

  async close(): Promise<void> {
    await Promise.all(
      this.#servers.splice(0).map(
        (server) =>
          new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
          }),
      ),
    );
  }
}

/**
 * One request over a fresh connection. An answer that arrives while the body is still being
 * written (a 413 mid-upload) counts; a write error after it (the server closed) is ignored.
 */
export function sendHttp(port: number, options: SendOptions, path = ENDPOINT_PATH): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.chunks !== undefined) headers['transfer-encoding'] = 'chunked';
    // Node's client frames a DELETE body only when told its length.
    else if (options.body !== undefined) headers['content-length'] ??= String(Buffer.byteLength(options.body));
    const req = httpRequest({ host: '127.0.0.1', port, path, method: options.method ?? 'POST', headers, agent: false });
    let answered = false;
    req.on('response', (res: IncomingMessage) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          headers: { get: (name) => headerOf(res, name) },
          text,
        });
      });
      res.on('error', reject);
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (options.chunks !== undefined) {
      for (const chunk of options.chunks) req.write(chunk);
      req.end();
    } else {
      req.end(options.body);
    }
  });
}

function headerOf(res: IncomingMessage, name: string): string | null {
  const value = res.headers[name.toLowerCase()];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}
