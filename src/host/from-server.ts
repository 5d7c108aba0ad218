/**
 * The host's one door to the server code: every import of `chartio-embed/server` the host needs
 * is here, from its public index only, so when the server side offers `createEmbedVerifier` (keys
 * prepared once, key rotation), switching to it is a change to this file alone. Here too: the
 * verifier the host calls for every token it has not seen.
 * @module
 */
import { MIN_SECRET_BYTES, type EmbedClaims } from '../protocol/index.js';
import { EmbedError, toNodeHandler, verifyEmbedToken, type EmbedErrorCode } from '../server/index.js';

export { EmbedError, toNodeHandler, type EmbedErrorCode };

/** Options of {@link createHostVerifier}. */
export interface HostVerifierOptions {
  secret: string | Uint8Array;
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
 * Checks the secret at once (an `EmbedError` `secret_too_short`, never echoing it) and returns
 * the verifier the host calls for every token it has not seen.
 *
 * @example
 * const verifier = createHostVerifier({ secret, organization: 16417, clockTolerance: undefined, now: Date.now });
 * const claims = await verifier.verify(token, 38727);
 */
export function createHostVerifier(options: HostVerifierOptions): HostVerifier {
  const secret = checkSecret(options.secret);
  const { organization, clockTolerance, now } = options;
  return {
    async verify(token, dashboard) {
      const claims = await verifyEmbedToken(token, { secret, organization, dashboard, clockTolerance, now });
      // The verifier's clock tolerance is for signing servers whose clock runs ahead (iat); a
      // page is served until exp by this host's clock, exactly as long as it stays cached.
      if (now() >= claims.exp * 1000) {
        throw new EmbedError('token_expired', `the token expired at ${new Date(claims.exp * 1000).toISOString()}; sign a new one`);
      }
      return claims;
    },
  };
}

/** A copy of the secret's bytes, at least 32 of them (RFC 7518 §3.2). */
function checkSecret(secret: unknown): Uint8Array<ArrayBuffer> {
  let bytes: Uint8Array<ArrayBuffer>;
  if (typeof secret === 'string') bytes = new TextEncoder().encode(secret);
  else if (secret instanceof Uint8Array) bytes = new Uint8Array(secret);
  else {
    // The usual cause is an unset environment variable: say so rather than "wrong type".
    throw new EmbedError('secret_too_short', `the Embed Secret is missing (got ${secret === null ? 'null' : typeof secret}); pass the organization's secret as a string or bytes of at least ${MIN_SECRET_BYTES} bytes`);
  }
  if (bytes.length < MIN_SECRET_BYTES) {
    throw new EmbedError('secret_too_short', `the Embed Secret is ${bytes.length} bytes; HS256 needs at least ${MIN_SECRET_BYTES} (RFC 7518 §3.2): use the organization's Embed Secret, or generate one with 32 random bytes`);
  }
  return bytes;
}
