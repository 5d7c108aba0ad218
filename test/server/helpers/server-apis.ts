/**
 * The two ways `chartio-embed/server` signs and verifies: `index.ts` over Web Crypto (the package's
 * `default` condition, edge runtimes) and `node/index.ts` over `node:crypto` (the `node`
 * condition). Tests that hold for both run once per entry, so neither path goes untested.
 * @module
 */
import * as nodeEntry from '../../../src/server/node/index.js';
import * as webEntry from '../../../src/server/index.js';

/** The functions that differ between the two entries. */
export interface ServerApi {
  readonly name: string;
  readonly createEmbedSigner: typeof webEntry.createEmbedSigner;
  readonly createEmbedVerifier: typeof webEntry.createEmbedVerifier;
  readonly verifyEmbedToken: typeof webEntry.verifyEmbedToken;
}

/** Web Crypto, through `src/server/index.ts`. */
export const WEB_API: ServerApi = {
  name: 'Web Crypto',
  createEmbedSigner: webEntry.createEmbedSigner,
  createEmbedVerifier: webEntry.createEmbedVerifier,
  verifyEmbedToken: webEntry.verifyEmbedToken,
};

/** `node:crypto`, through `src/server/node/index.ts`. */
export const NODE_API: ServerApi = {
  name: 'node:crypto',
  createEmbedSigner: nodeEntry.createEmbedSigner,
  createEmbedVerifier: nodeEntry.createEmbedVerifier,
  verifyEmbedToken: nodeEntry.verifyEmbedToken,
};

export const SERVER_APIS: readonly ServerApi[] = [WEB_API, NODE_API];
