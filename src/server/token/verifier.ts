/**
 * The verifier behind `createEmbedVerifier` and `verifyEmbedToken`, written once over a
 * {@link TokenCrypto}: options checked once, the key ring made once (a verifier), or from a cache
 * of imported keys (`verifyEmbedToken`, which takes its options on every call).
 * @module
 */
import { isPositiveId, type EmbedClaims } from '../../protocol/index.js';
import { EmbedError } from '../errors.js';
import type { EmbedVerifier, EmbedVerifierOptions, VerifyOptions } from '../types.js';
import { JwksKeys } from './jwks-keys.js';
import { cachedKeySource, cachedPublicKeySource, keyRing, publicKeySource, type KeyRing } from './key-ring.js';
import { LazyKey } from './lazy-key.js';
import { checkedSecret } from './secret.js';
import type { TokenCrypto } from './token-crypto.js';
import { verifyToken, type ClaimChecks } from './verify-token.js';

/** Default tolerated clock skew between the signing server and the host, in seconds. */
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;

/**
 * Creates a verifier over `crypto` (see `createEmbedVerifier`).
 *
 * @example
 * const verifier = createVerifier(NODE_CRYPTO, { secret, organization: 16417 });
 */
export function createVerifier(crypto: TokenCrypto, options: EmbedVerifierOptions): EmbedVerifier {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('createEmbedVerifier takes { secret | keys and/or jwksUrl, organization, clockTolerance?, now?, fetch? }');
  }
  const { organization, clockTolerance, now } = checkOptions(options, undefined);
  const { jwksUrl, fetch, onJwksProblem } = options;
  if (jwksUrl !== undefined && typeof jwksUrl !== 'string') throw new TypeError('jwksUrl must be a URL string like "https://signer.example.com/.well-known/jwks.json"');
  if (onJwksProblem !== undefined && typeof onJwksProblem !== 'function') throw new TypeError('onJwksProblem must be a function (message) => void');
  const jwks = jwksUrl === undefined ? undefined : new JwksKeys({ url: jwksUrl, crypto, now, ...(fetch === undefined ? {} : { fetch }), ...(onJwksProblem === undefined ? {} : { onProblem: onJwksProblem }) });
  const ring = keyRing({ ...options, jwks }, (secret) => new LazyKey(crypto, checkedSecret(secret, 'verify'), 'verify'), publicKeySource(crypto));
  importPublicKeysNow(ring);
  return Object.freeze({
    organization,
    verify(token: string, request?: { dashboard?: number }): Promise<EmbedClaims> {
      try {
        const dashboard = checkDashboard(request?.dashboard);
        return verifyToken(crypto, ring, token, { organization, dashboard, clockTolerance, now });
      } catch (error) {
        return Promise.reject(error);
      }
    },
  });
}

/**
 * `verifyEmbedToken` over `crypto`: its options on every call, keys imported once per secret.
 *
 * @example
 * const verify = verifyOnceWith(NODE_CRYPTO);
 * const claims = await verify(token, { secret, organization: 16417, dashboard: 38727 });
 */
export function verifyOnceWith(crypto: TokenCrypto): (token: string, options: VerifyOptions) => Promise<EmbedClaims> {
  const keyOf = cachedKeySource(crypto, 'verify');
  const publicKeyOf = cachedPublicKeySource(crypto);
  return async (token, options) => {
    if (options === null || typeof options !== 'object') {
      throw new TypeError('verifyEmbedToken takes (token, { secret | keys, organization, dashboard?, clockTolerance?, now? })');
    }
    // A JWKS is fetched and kept across tokens: that is a verifier's job, made once.
    if (options.jwksUrl !== undefined) throw new TypeError('verifyEmbedToken does not take jwksUrl (its keys are fetched and kept): use createEmbedVerifier({ jwksUrl, organization })');
    const checks = checkOptions(options, options.dashboard);
    const ring: KeyRing = keyRing(options, keyOf, publicKeyOf);
    return verifyToken(crypto, ring, token, checks);
  };
}

/** Options come from the host's own code: a mistake there is a `TypeError` or an id error. */
function checkOptions(options: EmbedVerifierOptions, dashboard: unknown): ClaimChecks {
  const { organization, clockTolerance = DEFAULT_CLOCK_TOLERANCE_SECONDS, now = Date.now } = options;
  if (!isPositiveId(organization)) {
    throw new EmbedError('invalid_organization', `organization must be a positive integer (the organization id the host serves), got ${String(organization)}`);
  }
  if (typeof clockTolerance !== 'number' || !Number.isFinite(clockTolerance) || clockTolerance < 0) {
    throw new TypeError('clockTolerance must be a non-negative number of seconds');
  }
  if (typeof now !== 'function') throw new TypeError('now must be a function returning milliseconds since the epoch');
  return { organization, dashboard: checkDashboard(dashboard), clockTolerance, now };
}

function checkDashboard(dashboard: unknown): number | undefined {
  if (dashboard === undefined || isPositiveId(dashboard)) return dashboard;
  throw new EmbedError('invalid_dashboard', `dashboard must be a positive integer (the dashboard being served), got ${String(dashboard)}`);
}

/**
 * Imports the configured public keys at once, so a damaged one fails the verifier's construction
 * on node:crypto (synchronous), not its first token. On Web Crypto the import is a promise: its
 * failure is left to the first token naming that key (the key tries again then).
 */
function importPublicKeysNow(ring: KeyRing): void {
  for (const kid of ring.ids) {
    if (kid === undefined) continue;
    for (const key of ring.candidates(kid)) {
      if (key.alg === 'HS256') continue;
      const imported = key.get();
      if (imported instanceof Promise) imported.catch(() => undefined);
    }
  }
}
