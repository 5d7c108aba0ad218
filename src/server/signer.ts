/**
 * `createEmbedSigner`: signs embed tokens (HS256 JWTs, or ES256 / EdDSA with a private key) for one organization, reusing the same
 * token for the same payload within a reuse window so the dashboard host's per-token cache hits.
 * This module signs through Web Crypto (edge runtimes); on Node the package's `node` export
 * condition gives the same function over `node:crypto` (node/index.ts), with the same bytes.
 * @module
 */
import { createSigner } from './token/sign-token.js';
import { WEB_CRYPTO } from './token/web-crypto.js';
import type { EmbedSigner, EmbedSignerOptions } from './types.js';

/**
 * Creates a signer for one organization. Checks the secret (≥ 32 bytes), the organization id,
 * the key id, the default `ttl` and the `baseUrl` right here, so a misconfigured server fails at
 * start-up rather than on its first request. The secret is copied, imported once (on first sign)
 * as an HMAC key, and the copy is then dropped.
 *
 * With `privateKey` instead of `secret` (PEM or JWK, with a required `kid`) it signs ES256 (an EC
 * P-256 key) or EdDSA (Ed25519): hosts then hold only the public key.
 *
 * `sign()` resolves to `{ token, expiresAt, url? }`. The header is `{"alg":"HS256","typ":"JWT"}`,
 * or `{"alg":"HS256","kid":"…","typ":"JWT"}` with `kid` (`ES256`/`EdDSA` with a key pair). Signing the same dashboard, env (in any
 * key order) and ttl again within the reuse window (a tenth of the ttl, 1 s … 1 h) resolves to the
 * byte-identical token, served from a bounded memo; concurrent identical calls share one
 * signature. Rejects with `EmbedError` (`invalid_dashboard`, `invalid_env`, `invalid_ttl`,
 * `invalid_base_url`).
 *
 * @example
 * const signer = createEmbedSigner({
 *   secret: process.env.CHARTIO_EMBED_SECRET!,
 *   organization: 16417,
 *   kid: '2025-06', // optional: lets hosts hold several keys while the secret rotates
 *   ttl: 900,
 *   baseUrl: 'https://dash.example.com/d/{dashboard}',
 * });
 * const { token, expiresAt, url } = await signer.sign({
 *   dashboard: 38727,
 *   env: { ACCT_ID: 1, DATE_RANGE: ['2014-02-11', '2015-02-11'] },
 * });
 * // url: 'https://dash.example.com/d/38727/?embed_token=eyJhbGciOiJIUzI1NiIsImtpZCI6IjIwMjUtMDYi…'
 */
export function createEmbedSigner(options: EmbedSignerOptions): EmbedSigner {
  return createSigner(WEB_CRYPTO, options);
}
