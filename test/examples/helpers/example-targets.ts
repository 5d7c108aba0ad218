/**
 * The examples as contract targets: each configuration is one child process of the example,
 * configured through its environment with the endpoint fixture (secret, organization,
 * dashboards, filters, base URL, `session=acct-N` cookies), signing on the real clock.
 * @module
 */
import { sendHttp, type ContractTarget, type EndpointConfig } from '../../server/helpers/endpoint-clients.js';
import { BASE_URL, DASHBOARDS, FILTERS, ORGANIZATION, SECRET, SESSIONS } from '../../server/helpers/endpoint-fixtures.js';
import { startExample, type Language, type RunningExample } from './example-process.js';

/** Where every example serves its endpoint. */
export const TOKEN_PATH = '/embed-token';

/**
 * The environment an example reads its configuration from.
 *
 * @example
 * await startExample('ruby', exampleEnv({ ttl: 900 }));
 */
export function exampleEnv(config: EndpointConfig = {}): Record<string, string> {
  return {
    CHARTIO_EMBED_SECRET: SECRET,
    CHARTIO_ORGANIZATION: String(ORGANIZATION),
    CHARTIO_DASHBOARDS: DASHBOARDS.join(','),
    CHARTIO_FILTERS: (config.filters ?? FILTERS).join(','),
    CHARTIO_BASE_URL: BASE_URL,
    CHARTIO_TTL: String(config.ttl ?? 86_400),
    CHARTIO_ALLOWED_ORIGINS: (config.allowedOrigins ?? []).join(','),
    CHARTIO_EMBED_KID: config.kid ?? '',
    CHARTIO_EMBED_PRIVATE_KEY: config.privateKey ?? '',
    DEMO_SESSIONS: [...SESSIONS].map(([id, account]) => `${id}=${account}`).join(','),
    // The contract needs no page: an empty bundle keeps the examples from warning about it.
    CHARTIO_ELEMENT_JS: '/dev/null',
  };
}

/**
 * An example as a contract target: one process per configuration, on the real clock.
 *
 * @example
 * endpointContract(exampleTarget('python'));
 */
export function exampleTarget(language: Language): ContractTarget {
  const running: RunningExample[] = [];
  return {
    name: `the ${language} example`,
    now: Date.now,
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
