/**
 * `chartio-embed/server`: sign embed tokens, serve them to the element, verify them on the
 * dashboard host. This entry signs and verifies through Web Crypto, so it runs on edge runtimes
 * (the package's `default` condition); on Node the `node` condition selects node/index.ts, the
 * same exports over `node:crypto`.
 * @module
 */
export { createEmbedSigner } from './signer.js';
export { createEmbedVerifier, verifyEmbedToken, DEFAULT_CLOCK_TOLERANCE_SECONDS } from './verify.js';
export { reuseWindowSeconds } from './token/reuse-window.js';
export { EmbedError, type EmbedErrorCode } from './errors.js';
export { secretBytes } from './token/secret.js';
export { createTokenHandler, type FetchHandler, type TokenHandler } from './token-handler.js';
export { toNodeHandler, type NodeHandler } from './node/listener.js';
export type { AnswerCode, EndpointErrorCode, TokenOutcome } from './endpoint/response.js';
export type {
  EmbedClaims,
  EmbedKey,
  EmbedKeyOptions,
  EmbedKeyText,
  EmbedPublicKey,
  EmbedSecretKey,
  JsonWebKeyLike,
  EmbedRequest,
  EmbedSecret,
  EmbedSigner,
  EmbedSignerOptions,
  EmbedVerifier,
  EmbedVerifierOptions,
  Env,
  EnvInput,
  SignInput,
  TokenAnswer,
  TokenHandlerOptions,
  TokenResponse,
  VerifyOptions,
} from './types.js';
