/**
 * Public types of `chartio-embed/server`, in one place so the signer, the verifier, the token
 * handler and the Node adapter agree on them.
 * @module
 */
import type { CryptoKey } from 'jose';
import type { EmbedClaims, Env, TokenResponse } from '../protocol/index.js';

/** The HS256 secret: a string (UTF-8) or bytes, at least 32 bytes either way. */
export type EmbedSecret = string | Uint8Array;

/** Options of {@link createEmbedSigner}. */
export interface EmbedSignerOptions {
  secret: EmbedSecret;
  /** The organization id, a positive integer (Chartio's example: 16417). */
  organization: number;
  /** Default token lifetime in seconds, 1 … 86 400 (default 86 400). */
  ttl?: number;
  /** `'https://dash.example.com/d/{dashboard}'`, or a function of the dashboard id. */
  baseUrl?: string | ((dashboard: number) => string);
  /** The clock, in milliseconds since the epoch (default `Date.now`); tests inject their own. */
  now?: () => number;
  /**
   * Called with the claims each time a token is actually signed, not when one is served again
   * from the reuse memo: every new token costs the dashboard host a query run, so count them.
   * It runs before `sign()` resolves; if it throws, that `sign()` rejects with its error.
   */
  onSign?: (claims: EmbedClaims) => void;
}

/** What {@link EmbedSigner.sign} takes. */
export interface SignInput {
  dashboard: number;
  /** Hidden Variable values; numbers become strings. */
  env?: Record<string, unknown>;
  /** Lifetime in seconds for this token, 1 … 86 400; defaults to the signer's. */
  ttl?: number;
}

/** A signer bound to one organization and secret. */
export interface EmbedSigner {
  readonly organization: number;
  sign(input: SignInput): Promise<TokenResponse>;
}

/** Options of {@link verifyEmbedToken}. */
export interface VerifyOptions {
  secret: EmbedSecret | CryptoKey;
  organization: number;
  /** When given, the token's `dashboard` must equal it. */
  dashboard?: number;
  /** Seconds of clock skew tolerated on `exp` and `iat` (default 30). */
  clockTolerance?: number;
  /** The clock, in milliseconds since the epoch (default `Date.now`); tests inject their own. */
  now?: () => number;
}

export type { EmbedClaims, Env, TokenResponse };

/**
 * The part of a request the token handler's callbacks may read. Through the Fetch-API handler
 * it is the `Request` itself; through {@link toNodeHandler} it is a light view with the same
 * `method`, `url` and `headers.get()`, plus `node`, the `IncomingMessage` (for Express's
 * `req.session`, say), so the Node path need not build a Fetch `Request`.
 */
export interface EmbedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: { get(name: string): string | null };
  /** Set only on the Node path: the original `IncomingMessage` (an Express `req`). */
  readonly node?: unknown;
}

/** Options of {@link createTokenHandler}. */
export interface TokenHandlerOptions {
  signer: EmbedSigner;
  /** Dashboard ids a browser may ask for, or a function deciding per request. */
  dashboards: readonly number[] | ((dashboard: number, request: EmbedRequest) => boolean | Promise<boolean>);
  /** Hidden Variable names the browser may set. */
  filters: readonly string[];
  /**
   * Values the server sets from its own session (the seed's `ACCT_ID`). They always reach the
   * token; a browser that sends one of these names is refused. `null` means no session (401).
   */
  lockedEnv?: (request: EmbedRequest) => Env | null | Promise<Env | null>;
  /** Origins allowed to ask (default: the request's own origin only). */
  allowedOrigins?: readonly string[];
  /** Bound on the request body in bytes (default 16 KiB). */
  maxBodyBytes?: number;
  /** Token lifetime in seconds for tokens this endpoint signs (default: the signer's). */
  ttl?: number;
  /**
   * Told about every unexpected error (answered as a generic 500) and configuration problems.
   * Default: `console.error` of the error's message only.
   */
  onError?: (error: unknown, request: EmbedRequest) => void;
}
