/**
 * Public types of `chartio-embed/server`, in one place so the signer, the verifier, the token
 * handler and the Node adapter agree on them.
 * @module
 */
import type { CryptoKey } from 'jose';
import type { EmbedClaims, Env, EnvInput, TokenResponse } from '../protocol/index.js';
import type { AnswerCode, TokenOutcome } from './endpoint/response.js';
import type { JsonWebKeyLike } from './token/key-pem.js';

/** The HS256 secret: a string (UTF-8) or bytes, at least 32 bytes either way. */
export type EmbedSecret = string | Uint8Array;

/**
 * A public or private key for ES256 (EC P-256) or EdDSA (Ed25519): PEM text, as
 * `chartio-embed keygen` prints it, or a JWK object.
 */
export type EmbedKeyText = string | JsonWebKeyLike;

/** Options of {@link createEmbedSigner}. */
export interface EmbedSignerOptions {
  /** The HS256 Embed Secret (the default, as the original protocol has it). Give this or `privateKey`. */
  secret?: EmbedSecret;
  /**
   * Sign with a key pair instead: the private key (PEM `PRIVATE KEY`, or on Node also OpenSSL's
   * `EC PRIVATE KEY`, or a JWK with `d`). Its curve decides the algorithm: P-256 signs ES256,
   * Ed25519 signs EdDSA. Hosts then hold only the public key, so reading their configuration
   * mints no token. Needs `kid` (hosts pick the public key by it).
   */
  privateKey?: EmbedKeyText;
  /** The organization id, a positive integer (Chartio's example: 16417). */
  organization: number;
  /**
   * The key id written in each token's header (`kid`), so verifiers holding several keys during
   * a rotation know which one to check it with: 1 to 64 printable ASCII characters without
   * spaces, quotes or backslashes (like `'2025-06'`). Without it the header has no `kid`.
   */
  kid?: string;
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
  /** The dashboard id the token opens, a positive integer like `38727`. */
  dashboard: number;
  /** Hidden Variable values; numbers become strings. */
  env?: Record<string, unknown>;
  /** Lifetime in seconds for this token, 1 … 86 400; defaults to the signer's. */
  ttl?: number;
  /**
   * `true`: a token issued now (`iat` is this second, not rounded down to the reuse window) and
   * never served from the memo, for a retry after a dashboard host refused the token in hand
   * (expired, key unknown, revoked). The token endpoint passes its request's `fresh` here.
   */
  fresh?: boolean;
}

/** A signer bound to one organization and secret. */
export interface EmbedSigner {
  /** The organization id every token it signs carries. */
  readonly organization: number;
  /** The key id its tokens carry, if it was given one. */
  readonly kid?: string | undefined;
  /** The algorithm its tokens carry: `HS256` (a secret), `ES256` or `EdDSA` (a private key). */
  readonly alg?: 'HS256' | 'ES256' | 'EdDSA';
  /** Signs a token for `input` (or serves the same one again within the reuse window). */
  sign(input: SignInput): Promise<TokenResponse>;
}

/** One key a verifier accepts tokens signed with: a secret (HS256) or a public key (ES256, EdDSA). */
export type EmbedKey = EmbedSecretKey | EmbedPublicKey;

/** A public key a verifier accepts ES256 or EdDSA tokens signed with (by the private key of the pair). */
export interface EmbedPublicKey {
  /** The key id its signer writes in every token's header: required. */
  kid: string;
  /** PEM `PUBLIC KEY` text, or a public JWK; its curve decides its one algorithm (P-256: ES256, Ed25519: EdDSA). */
  publicKey: EmbedKeyText;
  /** Never set on a public key: a key is either a secret or a public key. */
  secret?: undefined;
}

/** An HS256 secret a verifier accepts tokens signed with. */
export interface EmbedSecretKey {
  /**
   * The key id signers write in the header (`createEmbedSigner({ kid })`). Leave it out for a key
   * that tokens without a `kid` are checked with, such as the secret in use before key ids.
   */
  kid?: string;
  /** The secret: a string (UTF-8) or bytes of at least 32 bytes, or an imported HMAC `CryptoKey`. */
  secret: EmbedSecret | CryptoKey;
  /** Never set on a secret: a key is either a secret or a public key. */
  publicKey?: undefined;
}

/** The keys of a verifier: one `secret`, or `keys` while a secret is being rotated. */
export type EmbedKeyOptions =
  | {
      /** The organization's Embed Secret; tokens without a `kid` are checked with it. */
      secret: EmbedSecret | CryptoKey;
      /** Not with `secret`: give one secret, or `keys` and/or `jwksUrl`. */
      keys?: undefined;
      /** Not with `secret`: give one secret, or `keys` and/or `jwksUrl`. */
      jwksUrl?: undefined;
    }
  | {
      /**
       * Every key tokens may be signed with right now: a token naming a `kid` is checked with that
       * key only (`token_key_unknown` when there is none), a token without one with each key
       * that has no id. Each key accepts its own algorithm only.
       */
      keys?: readonly EmbedKey[];
      /**
       * Public keys published by the signers as a JWKS (`createEmbedVerifier` only): fetched when
       * a token names an unknown `kid`, at most once a minute, refreshed in the background every
       * ten minutes; the keys last fetched stay in use while it cannot be reached. Give this,
       * `keys`, or both (the configured keys win on a shared `kid`).
       */
      jwksUrl?: string;
      /** Not with `keys` or `jwksUrl`: put the secret in `keys` as `{ secret }` instead. */
      secret?: undefined;
    };

/** Options of {@link createEmbedVerifier}. */
export type EmbedVerifierOptions = EmbedKeyOptions & {
  /** The organization id tokens must carry. */
  organization: number;
  /** Seconds of clock skew tolerated on `exp`, `nbf` and `iat` (default 30). */
  clockTolerance?: number;
  /** The clock, in milliseconds since the epoch (default `Date.now`); tests inject their own. */
  now?: () => number;
  /** The Fetch API function the JWKS is fetched with (default the global `fetch`). */
  fetch?: typeof fetch;
  /** Told, in one line without secrets, when the JWKS cannot be fetched or an entry is skipped. */
  onJwksProblem?: (message: string) => void;
};

/** Options of {@link verifyEmbedToken}: a verifier's, and the dashboard being served. */
export type VerifyOptions = EmbedVerifierOptions & {
  /** When given, the token's `dashboard` must equal it. */
  dashboard?: number;
};

/** A verifier bound to one organization and its keys, prepared once. */
export interface EmbedVerifier {
  /** The organization id the tokens it accepts must carry. */
  readonly organization: number;
  /**
   * Resolves to the token's claims, or rejects with an `EmbedError` (`token_*`). With
   * `dashboard`, the token must be for that dashboard.
   */
  verify(token: string, options?: { dashboard?: number }): Promise<EmbedClaims>;
}

export type { EmbedClaims, Env, EnvInput, JsonWebKeyLike, TokenResponse };

/**
 * The part of a request the token handler's callbacks may read: the `Request` the handler was
 * given. Through {@link toNodeHandler} that is its lazy `Request`, which also carries `node`, the
 * `IncomingMessage` (for Express's `req.session`, say).
 */
export interface EmbedRequest {
  /** The HTTP method, upper case as sent (`POST`). */
  readonly method: string;
  /** The absolute URL the request was addressed to. */
  readonly url: string;
  /** The request's headers. */
  readonly headers: {
    /** A header by name (any case), repeated ones joined with `, `; `null` when absent. */
    get(name: string): string | null;
  };
  /** Set only on the Node path: the original `IncomingMessage` (an Express `req`). */
  readonly node?: unknown;
}

/** Options of {@link createTokenHandler}. */
export interface TokenHandlerOptions {
  /** The signer tokens are signed with (from {@link createEmbedSigner}). */
  signer: EmbedSigner;
  /** Dashboard ids a browser may ask for, or a function deciding per request. */
  dashboards: readonly number[] | ((dashboard: number, request: EmbedRequest) => boolean | Promise<boolean>);
  /** Hidden Variable names the browser may set. */
  filters: readonly string[];
  /**
   * Values the server sets from its own session (the seed's `ACCT_ID`). They always reach the
   * token; a browser that sends one of these names is refused. `null` means no session (401).
   * Numbers are taken as the signer takes them (`{ ACCT_ID: 42 }` signs `"42"`).
   */
  lockedEnv?: (request: EmbedRequest) => EnvInput | null | Promise<EnvInput | null>;
  /**
   * Origins allowed to ask, like `'https://app.example.com'` (default: the request's own origin
   * only). Listing them also makes the endpoint usable from those origins across sites: it answers
   * their CORS preflight (`OPTIONS`) and sends them credentialed CORS headers (the exact origin,
   * `Access-Control-Allow-Credentials: true`, `Vary: Origin`); any other origin gets none.
   */
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
  /**
   * Told about every answer, once, just before it is sent: what a metrics counter and histogram
   * need (see {@link TokenAnswer}). A hook that throws is reported to `onError`; the answer is
   * sent all the same.
   */
  onAnswer?: (answer: TokenAnswer) => void;
}

/** What {@link TokenHandlerOptions.onAnswer} is told about one answer. */
export interface TokenAnswer {
  /** The HTTP status: 200, 204 (a CORS preflight), 4xx, or 500. */
  readonly status: number;
  /** `ok` for a token, `preflight` for a CORS preflight, else the error code (`filter_locked`, …). */
  readonly code: AnswerCode;
  /** From the request reaching the handler to its answer being ready, in seconds. */
  readonly durationSeconds: number;
  /**
   * For a token: `signed` when a new one was signed (the dashboard host will run its queries for
   * it), `reused` when the signer served it again within its reuse window (the host's cache will
   * hit). `undefined` for other answers, and for a signer of the application's own making.
   */
  readonly token: TokenOutcome | undefined;
  /** The request, for labels of the application's own (its route, its tenant). */
  readonly request: EmbedRequest;
}
