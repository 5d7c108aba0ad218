/**
 * The host's token verifier: the one the host calls for every token it has not seen, made once
 * from the organization's `secret`, or from `keys: [{ kid?, secret } | { kid, publicKey }, …]`
 * and/or a `jwksUrl` (public keys: the host can check tokens but never mint one), with the
 * token's types and errors the rest of the host names.
 *
 * With `node-http.ts`, one of the host's two doors to the server code: every import of
 * `chartio-embed/server` the host needs is in one of them. The host runs on Node only (it serves
 * HTTP, opens databases), so it takes the server's Node entry (`server/node/index.ts`, what the
 * package's `node` export condition gives users of `chartio-embed/server`): tokens are verified
 * through `node:crypto`, with one `KeyObject` per key made once and a synchronous HMAC. The edge
 * entry (`server/index.ts`, Web Crypto) stays free of `node:` imports; nothing here changes it.
 * @module
 */
import type { EmbedClaims } from '../protocol/index.js';
import {
  createEmbedVerifier,
  DEFAULT_CLOCK_TOLERANCE_SECONDS,
  EmbedError,
  secretBytes,
  type EmbedErrorCode,
  type EmbedKey,
  type EmbedPublicKey,
} from '../server/node/index.js';

export { DEFAULT_CLOCK_TOLERANCE_SECONDS, EmbedError, type EmbedErrorCode, type EmbedKey, type EmbedPublicKey };

/** Options of {@link createHostVerifier}. */
export interface HostVerifierOptions {
  /** One key: the organization's Embed Secret. Give this or `keys`. */
  secret: string | Uint8Array | undefined;
  /** Several keys during a rotation: a token naming a `kid` is checked with that key only. */
  keys: readonly EmbedKey[] | undefined;
  /** Public keys the signers publish (a JWKS document), fetched and kept by the verifier. */
  jwksUrl?: string | undefined;
  /** Told why the JWKS could not be fetched (one line, no secret). */
  onJwksProblem?: ((message: string) => void) | undefined;
  organization: number;
  /** Seconds of clock skew tolerated (default: the verifier's). */
  clockTolerance: number | undefined;
  now: () => number;
}

/** Verifies a page's token for the dashboard in its path. */
export interface HostVerifier {
  /**
   * The token's claims, or an `EmbedError` with a `token_*` code. A token is refused once its
   * `exp` has passed by this host's clock, with no tolerance: a page is served exactly as long
   * as it may stay cached.
   */
  verify(token: string, dashboard: number): Promise<EmbedClaims>;
}

/**
 * Checks the secret or the keys at once (an `EmbedError` `secret_too_short` or `invalid_key_id`
 * naming the option, never echoing a secret) and returns the verifier the host calls for every
 * token it has not seen: `createEmbedVerifier` over `node:crypto`, keys prepared once.
 *
 * @example
 * const verifier = createHostVerifier({ secret: undefined, keys: [{ secret: old }, { kid: '2025-06', secret }], organization: 16417, clockTolerance: undefined, now: Date.now });
 * const claims = await verifier.verify(token, 38727);
 */
export function createHostVerifier(options: HostVerifierOptions): HostVerifier {
  const { organization, clockTolerance, now, onJwksProblem } = options;
  const verifier = createEmbedVerifier({
    ...checkKeys(options),
    ...(onJwksProblem === undefined ? {} : { onJwksProblem }),
    organization,
    ...(clockTolerance === undefined ? {} : { clockTolerance }),
    now,
  });
  return {
    async verify(token, dashboard) {
      const claims = await verifier.verify(token, { dashboard });
      // The verifier's clock tolerance is for signing servers whose clock runs ahead (iat); a
      // page is served until exp by this host's clock, exactly as long as it stays cached.
      if (now() >= claims.exp * 1000) {
        throw new EmbedError('token_expired', `the token expired at ${new Date(claims.exp * 1000).toISOString()}; sign a new one`);
      }
      return claims;
    },
  };
}

/**
 * `{ secret }`, or `{ keys }` and/or `{ jwksUrl }`, each secret checked here so that a message names the option at
 * fault (`keys[1].secret`); the verifier checks the rest (key ids, repeats) with its own messages.
 */
function checkKeys(options: HostVerifierOptions): { secret: Uint8Array } | { keys?: EmbedKey[]; jwksUrl?: string } {
  const { jwksUrl } = options;
  if (options.keys === undefined && jwksUrl !== undefined) {
    // A JWKS beside the old secret: the host accepts both while the signers move to key pairs.
    return options.secret === undefined ? { jwksUrl } : { keys: [{ secret: secretBytes(options.secret) }], jwksUrl };
  }
  if (options.keys === undefined) return { secret: secretBytes(options.secret) };
  if (options.secret !== undefined) {
    throw new TypeError('give the host either secret (one key) or keys ([{ kid, secret } | { kid, publicKey }, …]), not both');
  }
  if (!Array.isArray(options.keys) || options.keys.length === 0) {
    throw new TypeError('keys must be a non-empty list of { kid?, secret }: the keys embed tokens may be signed with');
  }
  return {
    ...(jwksUrl === undefined ? {} : { jwksUrl }),
    keys: options.keys.map((key, index) => {
      if (key === null || typeof key !== 'object') throw new TypeError(`keys[${index}] must be an object { kid?, secret } or { kid, publicKey }`);
      if (key.publicKey !== undefined) return key; // a public key: the verifier checks it, naming keys[index]
      // Strings and bytes are copied and checked here; an imported CryptoKey is the verifier's to check.
      if (!isSecretText(key.secret)) return key;
      try {
        return { ...key, secret: secretBytes(key.secret) };
      } catch (error) {
        if (error instanceof EmbedError) throw new EmbedError(error.code, `keys[${index}]${key.kid === undefined ? '' : ` (kid "${String(key.kid)}")`}: ${error.message}`);
        throw error;
      }
    }),
  };
}

/** A secret given as text or bytes, or missing (which `secretBytes` reports as missing). */
function isSecretText(secret: unknown): boolean {
  return secret === undefined || secret === null || typeof secret === 'string' || secret instanceof Uint8Array;
}
