/**
 * `createEmbedVerifier` and `verifyEmbedToken`: what a dashboard host runs on every
 * `?embed_token=`. HS256 with the organization's secret or keys, ES256 and EdDSA with public keys
 * (given, or from a JWKS URL), each key its own algorithm only; `exp` and `iat` required,
 * lifetime at most 24 h; organization, dashboard and the `env` shape checked. Every failure is an
 * `EmbedError` with a stable code. This module verifies through Web Crypto (edge runtimes); on
 * Node the package's `node` export condition gives the same functions over `node:crypto`.
 * @module
 */
import type { EmbedClaims } from '../protocol/index.js';
import { DEFAULT_CLOCK_TOLERANCE_SECONDS, createVerifier, verifyOnceWith } from './token/verifier.js';
import { WEB_CRYPTO } from './token/web-crypto.js';
import type { EmbedVerifier, EmbedVerifierOptions, VerifyOptions } from './types.js';

export { DEFAULT_CLOCK_TOLERANCE_SECONDS };

/**
 * Creates a verifier for one organization, with its keys checked and prepared once: the way a
 * dashboard host should verify. `secret` is one key; `keys: [{ kid?, secret }, …]` holds several
 * while the secret rotates (a token naming a `kid` is checked with that key only, a token without
 * one with each key that has no id). Throws at once (`EmbedError` `secret_too_short`,
 * `invalid_key_id`, `invalid_organization`, or a `TypeError`) for options that could never work.
 *
 * Public keys: `keys: [{ kid, publicKey }]` (PEM or JWK; ES256 for P-256, EdDSA for Ed25519)
 * and/or `jwksUrl` (fetched on an unknown `kid`, at most once a minute; see jwks-keys.ts).
 *
 * `verify(token, { dashboard? })` resolves to the claims (`env` in canonical key order), or
 * rejects with an `EmbedError`: `token_malformed`, `token_algorithm` (anything but HS256, ES256
 * and EdDSA, `none` included, or not the algorithm of the key its `kid` names), `token_key_unknown`, `token_signature`, `token_expired`, `token_lifetime`
 * (`exp − iat` over 24 h, or issued over 24 h ago), `token_claims` (a claim missing or of the
 * wrong shape, `iat` in the future), `token_organization`, `token_dashboard`.
 *
 * @example
 * // A rotation: accept the old secret (tokens without a kid) and the new one, then drop the old.
 * const verifier = createEmbedVerifier({
 *   keys: [{ secret: process.env.OLD_SECRET! }, { kid: '2025-06', secret: process.env.CHARTIO_EMBED_SECRET! }],
 *   organization: 16417,
 * });
 * const claims = await verifier.verify(url.searchParams.get('embed_token') ?? '', { dashboard: 38727 });
 */
export function createEmbedVerifier(options: EmbedVerifierOptions): EmbedVerifier {
  return createVerifier(WEB_CRYPTO, options);
}

const verifyOnce = verifyOnceWith(WEB_CRYPTO);

/**
 * Verifies one embed token with options given on the call: the same checks and codes as
 * {@link createEmbedVerifier}'s `verify`, with `dashboard` among the options. Keys are imported
 * once per secret and cached (strings in a small bounded map, bytes and keys by identity).
 *
 * @example
 * // In the dashboard host, for GET /d/38727/?embed_token=…
 * try {
 *   const claims = await verifyEmbedToken(url.searchParams.get('embed_token') ?? '', {
 *     secret: process.env.CHARTIO_EMBED_SECRET!,
 *     organization: 16417,
 *     dashboard: 38727,
 *   });
 *   render(claims.dashboard, claims.env); // env: { ACCT_ID: '1', DATE_RANGE: [...] }
 * } catch (error) {
 *   if (error instanceof EmbedError) respond(401, `${error.code}: ${error.message}`);
 *   else throw error;
 * }
 */
export function verifyEmbedToken(token: string, options: VerifyOptions): Promise<EmbedClaims> {
  return verifyOnce(token, options);
}
