/**
 * The token endpoint in three languages behind one small interface, configured alike: the
 * Python and Ruby examples as child processes (configured through their environment), and the
 * TypeScript `createTokenHandler` under `node:http`. All listen on 127.0.0.1 and sign with the
 * real clock; the endpoint tests' fixture (secret, organization, dashboards, filters, base URL,
 * `session=acct-N` cookies) is what each is configured with.
 * @module
 */
import { createEmbedSigner } from '../../../src/server/signer.js';
import { createTokenHandler } from '../../../src/server/token-handler.js';
import { toNodeHandler } from '../../../src/server/node-adapter.js';
import { ServerSet, sendHttp, type EndpointClient } from '../../server/helpers/endpoint-clients.js';
import { DASHBOARD, ORGANIZATION, OTHER_DASHBOARD, SECRET } from '../../server/helpers/endpoint-fixtures.js';
import { startExample, type Language, type RunningExample } from './example-process.js';

/** Where every implementation serves its endpoint (the examples' own path). */
export const TOKEN_PATH = '/embed-token';
export const FILTERS = ['DATE_RANGE', 'USER_ID'];
export const DASHBOARDS = [DASHBOARD, OTHER_DASHBOARD];
export const BASE_URL = 'https://dash.example.test/d/{dashboard}';
/** Sessions every implementation knows: cookie `session=acct-N` is account N. */
export const SESSIONS: ReadonlyMap<string, string> = new Map(Array.from({ length: 50 }, (_, i) => [`acct-${i + 1}`, String(i + 1)]));

/** What a contract test may change from the defaults, as each language can be configured. */
export interface WireConfig {
  ttl?: number;
  allowedOrigins?: string[];
  filters?: string[];
}

export interface WireServer {
  readonly name: string;
  /** Starts one more endpoint with this configuration. */
  start(config?: WireConfig): Promise<EndpointClient>;
  /** Stops every endpoint it started. */
  stopAll(): Promise<void>;
}

/** The environment an example reads its configuration from. */
export function exampleEnv(config: WireConfig = {}): Record<string, string> {
  return {
    CHARTIO_EMBED_SECRET: SECRET,
    CHARTIO_ORGANIZATION: String(ORGANIZATION),
    CHARTIO_DASHBOARDS: DASHBOARDS.join(','),
    CHARTIO_FILTERS: (config.filters ?? FILTERS).join(','),
    CHARTIO_BASE_URL: BASE_URL,
    CHARTIO_TTL: String(config.ttl ?? 86_400),
    CHARTIO_ALLOWED_ORIGINS: (config.allowedOrigins ?? []).join(','),
    DEMO_SESSIONS: [...SESSIONS].map(([id, account]) => `${id}=${account}`).join(','),
    // The contract needs no page: an empty bundle keeps the examples from warning about it.
    CHARTIO_ELEMENT_JS: '/dev/null',
  };
}

/** A Python or Ruby example per configuration, each its own process. */
export function exampleServer(language: Language): WireServer {
  const running: RunningExample[] = [];
  return {
    name: `the ${language} example`,
    async start(config) {
      const example = await startExample(language, exampleEnv(config));
      running.push(example);
      return { origin: example.origin, send: (options) => sendHttp(example.port, options, TOKEN_PATH) };
    },
    async stopAll() {
      await Promise.all(running.splice(0).map((example) => example.stop()));
    },
  };
}

/** The session lookup every implementation does: the `session` cookie's id in {@link SESSIONS}. */
export function accountOf(cookie: string | null): string | undefined {
  const id = /(?:^|;\s*)session=([^;]*)/.exec(cookie ?? '')?.[1];
  return id === undefined ? undefined : SESSIONS.get(id);
}

/** The project's own endpoint, configured like the examples. */
export function typescriptServer(): WireServer {
  const servers = new ServerSet();
  return {
    name: 'the TypeScript endpoint',
    async start(config = {}) {
      const signer = createEmbedSigner({ secret: SECRET, organization: ORGANIZATION, baseUrl: BASE_URL });
      const handler = createTokenHandler({
        signer,
        dashboards: DASHBOARDS,
        filters: config.filters ?? FILTERS,
        lockedEnv: (request) => {
          const account = accountOf(request.headers.get('cookie'));
          return account === undefined ? null : { ACCT_ID: account };
        },
        ...(config.ttl === undefined ? {} : { ttl: config.ttl }),
        ...(config.allowedOrigins === undefined ? {} : { allowedOrigins: config.allowedOrigins }),
      });
      const { port, origin } = await servers.start(toNodeHandler(handler));
      return { origin, send: (options) => sendHttp(port, options, TOKEN_PATH) };
    },
    stopAll: () => servers.close(),
  };
}
