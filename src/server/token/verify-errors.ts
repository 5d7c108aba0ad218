/**
 * Translates jose's verification errors into `EmbedError`s with our stable codes and messages
 * that say what to do. jose's own message, stack and payload are never passed on: a message here
 * names at most a claim, a time or an algorithm, never the token or the secret.
 * @module
 */
import { decodeProtectedHeader } from 'jose';
import { EmbedError } from '../errors.js';

/** jose error codes (`error.code`) this module knows; stable across jose releases. */
const JOSE = {
  algNotAllowed: 'ERR_JOSE_ALG_NOT_ALLOWED',
  notSupported: 'ERR_JOSE_NOT_SUPPORTED',
  jwsInvalid: 'ERR_JWS_INVALID',
  jwtInvalid: 'ERR_JWT_INVALID',
  signature: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  expired: 'ERR_JWT_EXPIRED',
  claim: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
} as const;

interface JoseErrorShape {
  code?: unknown;
  claim?: unknown;
  reason?: unknown;
  payload?: unknown;
}

/** A line everyone whose token fails can act on. */
const SIGN_NEW = 'sign a new one';

/**
 * The `EmbedError` for an error jose threw while verifying `token`; errors that are not jose's
 * (a programming mistake such as a wrong key) are returned unchanged.
 *
 * @example
 * try {
 *   await jwtVerify(token, key, { algorithms: ['HS256'] });
 * } catch (error) {
 *   throw fromJoseError(error, token);
 * }
 */
export function fromJoseError(error: unknown, token: string): unknown {
  const { code, claim, reason, payload } = (error ?? {}) as JoseErrorShape;
  switch (code) {
    case JOSE.algNotAllowed:
      return new EmbedError('token_algorithm', `the token is signed with ${quotedAlg(token)}; only HS256 is accepted: sign it with HS256 and the organization's Embed Secret`);
    case JOSE.signature:
      return new EmbedError('token_signature', `the token's signature does not match the organization's Embed Secret (signed with another secret, changed after signing, or the secret was reset); ${SIGN_NEW} with the current secret`);
    case JOSE.jwsInvalid:
    case JOSE.notSupported:
      return new EmbedError('token_malformed', 'the token is not a well-formed HS256 JWT (bad header, encoding or unsupported critical header); pass the embed_token exactly as it was signed');
    case JOSE.jwtInvalid:
      return new EmbedError('token_malformed', 'the token\'s payload is not a JSON object of claims; pass the embed_token exactly as it was signed');
    case JOSE.expired:
      if (claim === 'iat') {
        return new EmbedError('token_lifetime', `the token was issued at ${timeOf(payload, 'iat')}, more than 24 hours ago, and tokens live at most 24 hours; ${SIGN_NEW}`);
      }
      return new EmbedError('token_expired', `the token expired at ${timeOf(payload, 'exp')}; ${SIGN_NEW}`);
    case JOSE.claim:
      return claimError(claim, reason, payload);
    default:
      return error;
  }
}

function claimError(claim: unknown, reason: unknown, payload: unknown): EmbedError {
  const name = typeof claim === 'string' ? claim.slice(0, 20) : 'unknown';
  if (reason === 'missing') {
    return new EmbedError('token_claims', `the token has no "${name}" claim; embed tokens carry organization, dashboard, env, iat and exp`);
  }
  if (reason === 'invalid') {
    return new EmbedError('token_claims', `the token's "${name}" claim must be a number of seconds since the epoch`);
  }
  if (name === 'iat') {
    return new EmbedError('token_claims', `the token was issued in the future (iat ${timeOf(payload, 'iat')}); check the signing server's clock`);
  }
  if (name === 'nbf') {
    return new EmbedError('token_claims', `the token is not valid before ${timeOf(payload, 'nbf')}; check the signing server's clock`);
  }
  return new EmbedError('token_claims', `the token's "${name}" claim is not acceptable`);
}

/**
 * A NumericDate claim as an ISO time, for messages; "an unknown time" when it is not one.
 *
 * @example
 * timeOf({ exp: 1700000000 }, 'exp'); // '2023-11-14T22:13:20.000Z'
 */
export function timeOf(payload: unknown, claim: string): string {
  const value = (payload as Record<string, unknown> | null | undefined)?.[claim];
  if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > 8.64e12) return 'an unknown time';
  return new Date(value * 1000).toISOString();
}

/** The header's `alg`, quoted and made safe to print (it is attacker-controlled text). */
function quotedAlg(token: string): string {
  try {
    const { alg } = decodeProtectedHeader(token);
    if (typeof alg === 'string') return `"${alg.slice(0, 16).replace(/[^\x20-\x7e]/g, '?')}"`;
  } catch {
    // fall through: the header could not be read again
  }
  return 'another algorithm';
}
