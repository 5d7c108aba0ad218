/**
 * `chartio-embed/server`: sign embed tokens, serve them to the element, verify them on the
 * dashboard host. Web Crypto and jose only, so it runs on Node 20 and edge runtimes.
 * @module
 */
export { createEmbedSigner } from './signer.js';
export { verifyEmbedToken, DEFAULT_CLOCK_TOLERANCE_SECONDS } from './verify.js';
export { reuseWindowSeconds } from './token/reuse-window.js';
export { EmbedError, type EmbedErrorCode } from './errors.js';
export { secretBytes } from './token/secret.js';
export { createTokenHandler, type FetchHandler, type TokenHandler } from './token-handler.js';
export { toNodeHandler, type NodeHandler } from './node-adapter.js';
export type { EndpointErrorCode } from './endpoint/response.js';
export type {
  EmbedClaims,
  EmbedRequest,
  EmbedSecret,
  EmbedSigner,
  EmbedSignerOptions,
  Env,
  SignInput,
  TokenHandlerOptions,
  TokenResponse,
  VerifyOptions,
} from './types.js';
