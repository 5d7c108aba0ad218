/**
 * The verifier behind `createEmbedVerifier` and `verifyEmbedToken`, written once over a
 * {@link TokenCrypto}: options checked once, the key ring made once (a verifier), or from a cache
 * of imported keys (`verifyEmbedToken`, which takes its options on every call).
 * @module
 */
import { isPositiveId, type EmbedClaims } from '../../protocol/index.js';
import { EmbedError } from '../errors.js';
import type { EmbedVerifier, EmbedVerifierOptions, VerifyOptions } from '../types.js';
import { LazyKey, cachedKeySource, keyRing, type KeyRing } from './key-ring.js';
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
    throw new TypeError('createEmbedVerifier takes { secret | keys, organization, clockTolerance?, now? }');
  }
  const { organization, clockTolerance, now } = checkOptions(options, undefined);
  const ring = keyRing(options, (secret) => new LazyKey(crypto, checkedSecret(secret, 'verify'), 'verify'));
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
  return async (token, options) => {
    if (options === null || typeof options !== 'object') {
      throw new TypeError('verifyEmbedToken takes (token, { secret | keys, organization, dashboard?, clockTolerance?, now? })');
    }
    const checks = checkOptions(options, options.dashboard);
    const ring: KeyRing = keyRing(options, keyOf);
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
