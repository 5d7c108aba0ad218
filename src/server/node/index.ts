/**
 * `chartio-embed/server` on Node, chosen by the package's `node` export condition: everything
 * `index.ts` exports, with the signer and the verifiers bound to `node:crypto` (a `KeyObject` made
 * once per key, a synchronous HMAC) instead of Web Crypto, whose HMAC is asynchronous on Node.
 * The tokens are the same bytes either way (test/server/crypto-paths.test.ts).
 * @module
 */
import type { EmbedClaims } from '../../protocol/index.js';
import { createSigner } from '../token/sign-token.js';
import { createVerifier, verifyOnceWith } from '../token/verifier.js';
import type { EmbedSigner, EmbedSignerOptions, EmbedVerifier, EmbedVerifierOptions, VerifyOptions } from '../types.js';
import { NODE_CRYPTO } from './node-crypto.js';

export * from '../index.js';

/**
 * `createEmbedSigner` signing through `node:crypto`: see signer.ts for the options.
 *
 * @example
 * const signer = createEmbedSigner({ secret: process.env.CHARTIO_EMBED_SECRET!, organization: 16417 });
 */
export function createEmbedSigner(options: EmbedSignerOptions): EmbedSigner {
  return createSigner(NODE_CRYPTO, options);
}

/**
 * `createEmbedVerifier` verifying through `node:crypto`: see verify.ts for the options.
 *
 * @example
 * const verifier = createEmbedVerifier({ secret: process.env.CHARTIO_EMBED_SECRET!, organization: 16417 });
 */
export function createEmbedVerifier(options: EmbedVerifierOptions): EmbedVerifier {
  return createVerifier(NODE_CRYPTO, options);
}

const verifyOnce = verifyOnceWith(NODE_CRYPTO);

/**
 * `verifyEmbedToken` verifying through `node:crypto`: see verify.ts for the options.
 *
 * @example
 * const claims = await verifyEmbedToken(token, { secret: process.env.CHARTIO_EMBED_SECRET!, organization: 16417 });
 */
export function verifyEmbedToken(token: string, options: VerifyOptions): Promise<EmbedClaims> {
  return verifyOnce(token, options);
}
