/**
 * The verifier's refusals, each an `EmbedError` with a stable code and a message that says what
 * to do. A message names at most a claim, a time, an algorithm or a key id (each cut short and
 * made printable: they come from the token), never the token or the secret.
 * @module
 */
import { EmbedError } from '../errors.js';

/** A line everyone whose token fails can act on. */
const SIGN_NEW = 'sign a new one';

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

/** Text from a token, shown in a message: at most `max` characters, printable ASCII only. */
function shown(text: string, max = 64): string {
  const clipped = text.length > max ? `${text.slice(0, max)}…` : text;
  return `"${clipped.replace(/[^\x20-\x7e…]/g, '?')}"`;
}

/** The refusals, by code; each returns the error to throw. */
export const refuse = {
  malformed: (): EmbedError =>
    new EmbedError('token_malformed', 'the token is not a compact JWT (three base64url parts joined by dots); pass the embed_token exactly as it was signed'),
  badHeader: (): EmbedError =>
    new EmbedError('token_malformed', 'the token is not a well-formed HS256 JWT (bad header, encoding or unsupported critical header); pass the embed_token exactly as it was signed'),
  badPayload: (): EmbedError =>
    new EmbedError('token_malformed', 'the token\'s payload is not a JSON object of claims; pass the embed_token exactly as it was signed'),
  algorithm: (alg: string): EmbedError =>
    new EmbedError('token_algorithm', `the token is signed with ${shown(alg, 16)}; only HS256 (the Embed Secret), ES256 and EdDSA (a key pair) are accepted: sign it with one of those`),
  algorithmForKey: (alg: string, kid: string | undefined, keyAlg: string): EmbedError =>
    new EmbedError(
      'token_algorithm',
      `the token is signed with ${shown(alg, 16)}, but ${kid === undefined ? 'the keys without a key id are' : `the key ${shown(kid)} is`} for ${keyAlg} only; ${SIGN_NEW} with that key's own algorithm`,
    ),
  keyUnknown(kid: string | undefined, known: readonly (string | undefined)[], jwksProblem?: string): EmbedError {
    const ids = known.filter((id): id is string => id !== undefined).map((id) => shown(id));
    const withoutId = known.length - ids.length;
    const has = [ids.length === 0 ? '' : `key id${ids.length === 1 ? '' : 's'} ${ids.join(', ')}`, withoutId === 0 ? '' : `${withoutId === 1 ? 'a key' : `${withoutId} keys`} without one`]
      .filter(Boolean)
      .join(' and ');
    const which = kid === undefined ? 'the token has no key id (kid), and this verifier has no key without one' : `the token's key id ${shown(kid)} is not one of this verifier's keys`;
    const fetched = jwksProblem === undefined ? '' : `; ${jwksProblem}`;
    return new EmbedError('token_key_unknown', `${which} (it has ${has || 'no key yet'}${fetched}); ${SIGN_NEW} with a current key, or give the verifier that key`);
  },
  signature: (alg: string): EmbedError =>
    alg !== 'HS256'
      ? new EmbedError('token_signature', `the token's signature does not verify with the ${alg} public key of its key id (signed with another private key, or changed after signing); ${SIGN_NEW} with the current key`)
      : new EmbedError('token_signature', `the token's signature does not match the organization's Embed Secret (signed with another secret, changed after signing, or the secret was reset); ${SIGN_NEW} with the current secret`),
  missing: (claim: string): EmbedError =>
    new EmbedError('token_claims', `the token has no "${claim}" claim; embed tokens carry organization, dashboard, env, iat and exp`),
  notNumericDate: (claim: string): EmbedError =>
    new EmbedError('token_claims', `the token's "${claim}" claim must be a number of seconds since the epoch`),
  notBefore: (payload: object): EmbedError =>
    new EmbedError('token_claims', `the token is not valid before ${timeOf(payload, 'nbf')}; check the signing server's clock`),
  expired: (payload: object): EmbedError => new EmbedError('token_expired', `the token expired at ${timeOf(payload, 'exp')}; ${SIGN_NEW}`),
  issuedTooLongAgo: (payload: object): EmbedError =>
    new EmbedError('token_lifetime', `the token was issued at ${timeOf(payload, 'iat')}, more than 24 hours ago, and tokens live at most 24 hours; ${SIGN_NEW}`),
  issuedInFuture: (payload: object): EmbedError =>
    new EmbedError('token_claims', `the token was issued in the future (iat ${timeOf(payload, 'iat')}); check the signing server's clock`),
  livesTooLong: (payload: object): EmbedError =>
    new EmbedError('token_lifetime', `the token runs from ${timeOf(payload, 'iat')} to ${timeOf(payload, 'exp')}; embed tokens live more than 0 s and at most 24 hours, so sign one with a ttl of at most 86400`),
  badClaim: (claim: string, shape: string): EmbedError => new EmbedError('token_claims', `the token's "${claim}" claim must be ${shape}`),
  organization: (claimed: number, expected: number): EmbedError =>
    new EmbedError('token_organization', `the token is for organization ${claimed}, not ${expected}; sign it with this organization's id and Embed Secret`),
  dashboard: (claimed: number, expected: number): EmbedError =>
    new EmbedError('token_dashboard', `the token is for dashboard ${claimed}, not ${expected}; sign a token for dashboard ${expected}`),
  env: (problem: string): EmbedError => new EmbedError('token_claims', `the token's env claim is not valid: ${problem}`),
  envNotStrings: (): EmbedError =>
    new EmbedError('token_claims', 'the token\'s env claim must map Hidden Variable names to strings or lists of strings (numbers must be signed as strings)'),
} as const;
